package dev.evomerge.search.ga;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.search.Direction;
import dev.evomerge.search.Optimizer;
import dev.evomerge.search.Solution;
import dev.evomerge.search.StateJson;
import dev.evomerge.search.Xoshiro256;
import io.jenetics.Alterer;
import io.jenetics.DoubleGene;
import io.jenetics.EliteSelector;
import io.jenetics.Genotype;
import io.jenetics.Optimize;
import io.jenetics.Phenotype;
import io.jenetics.Selector;
import io.jenetics.TournamentSelector;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A single-objective genetic search on Jenetics 9, driven ask/tell. Each generation is bred the way Jenetics'
 * {@code Engine} breeds one: survivors chosen by an elitist tournament ({@link EliteSelector} keeping the best,
 * then {@link TournamentSelector}), offspring chosen by tournament and varied ({@link Variation}), individuals
 * older than {@link GeneticSettings#maxAge()} (if limited) replaced by random ones. Only individuals that are new
 * (changed by variation, or random) are asked for; survivors and unchanged offspring keep their score. So a
 * generation asks for at most the population size, and may ask for none (then {@code tell} takes an empty list).
 *
 * <p>All randomness comes from the generator given at start; Jenetics' selectors and alterers receive it through
 * {@link RandomRegistry#with(java.util.random.RandomGenerator)} for the duration of a breeding step only, never
 * through Jenetics' global registry. The state holds the settings, the generator, the last evaluated population,
 * the pending one and the best solution, so {@link #restore(JsonNode)} continues bit for bit.
 *
 * <p>Not thread-safe.
 */
public final class GeneticSearch implements Optimizer {

    /** The {@link #kind()} written in the state. */
    public static final String KIND = "ga";
    private static final int STATE_VERSION = 1;

    private final GeneticSettings settings;
    private final GenomeEncoding encoding;
    private final Xoshiro256 random;
    private final Optimize optimize;
    private final Selector<DoubleGene, Double> survivorSelector;
    private final Selector<DoubleGene, Double> offspringSelector;
    private final Alterer<DoubleGene, Double> alterer;

    private long generation;
    private long evaluations;
    private List<Phenotype<DoubleGene, Double>> population = List.of();  // last evaluated generation
    private List<Phenotype<DoubleGene, Double>> pending;                 // asked generation, or null
    private Solution best;

    private GeneticSearch(GeneticSettings settings, Xoshiro256 random) {
        this.settings = settings;
        this.encoding = settings.encoding();
        this.random = random;
        this.optimize = settings.direction() == Direction.MINIMIZE ? Optimize.MINIMUM : Optimize.MAXIMUM;
        this.survivorSelector = new EliteSelector<DoubleGene, Double>(1,
                new TournamentSelector<DoubleGene, Double>(settings.tournamentSize()));
        this.offspringSelector = new TournamentSelector<>(settings.tournamentSize());
        this.alterer = settings.variation().alterer(encoding);
    }

    /** A new search at generation 0, drawing every random number from {@code random} (which it now owns). */
    public static GeneticSearch start(GeneticSettings settings, Xoshiro256 random) {
        return new GeneticSearch(settings, random);
    }

    public GeneticSettings settings() {
        return settings;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int dimension() {
        return encoding.dimension();
    }

    @Override
    public List<Direction> directions() {
        return List.of(settings.direction());
    }

    @Override
    public long generation() {
        return generation;
    }

    @Override
    public long evaluations() {
        return evaluations;
    }

    @Override
    public List<double[]> ask() {
        if (pending == null) {
            pending = population.isEmpty() ? initialPopulation() : breed();
        }
        List<double[]> genomes = new ArrayList<>();
        for (Phenotype<DoubleGene, Double> pt : pending) {
            if (pt.nonEvaluated()) {
                genomes.add(encoding.decode(pt.genotype()));
            }
        }
        return genomes;
    }

    @Override
    public void tell(List<double[]> scores) {
        if (pending == null) {
            throw new IllegalStateException("tell() without ask(): generation " + generation + " was not asked");
        }
        int asked = (int) pending.stream().filter(Phenotype::nonEvaluated).count();
        if (scores.size() != asked) {
            throw new IllegalArgumentException("expected " + asked + " scores, got " + scores.size());
        }
        Direction direction = settings.direction();
        List<Phenotype<DoubleGene, Double>> evaluated = new ArrayList<>(pending.size());
        int k = 0;
        for (Phenotype<DoubleGene, Double> pt : pending) {
            if (pt.isEvaluated()) {
                evaluated.add(pt);
                continue;
            }
            double[] s = scores.get(k++);
            if (s.length != 1) {
                throw new IllegalArgumentException("a genetic search has one objective, score " + (k - 1) + " has "
                        + s.length);
            }
            double fitness = direction.sanitize(s[0]);
            evaluated.add(pt.withFitness(fitness));
            if (Double.isFinite(fitness) && (best == null || direction.isBetter(fitness, best.fitness()))) {
                best = new Solution(encoding.decode(pt.genotype()), new double[] {fitness}, generation);
            }
        }
        evaluations += asked;
        population = List.copyOf(evaluated);
        pending = null;
        generation++;
    }

    @Override
    public Optional<Solution> best() {
        return Optional.ofNullable(best);
    }

    @Override
    public List<Solution> paretoFront() {
        return best == null ? List.of() : List.of(best);
    }

    /** A genetic search has no criterion of its own; the run loop's budget ends it. */
    @Override
    public Optional<String> termination() {
        return Optional.empty();
    }

    private List<Phenotype<DoubleGene, Double>> initialPopulation() {
        List<Phenotype<DoubleGene, Double>> pop = new ArrayList<>(settings.populationSize());
        for (double[] genome : settings.initial()) {
            pop.add(Phenotype.of(encoding.encode(genome), generation));
        }
        while (pop.size() < settings.populationSize()) {
            pop.add(Phenotype.of(encoding.random(random, settings.indicatorOnProbability()), generation));
        }
        return List.copyOf(pop);
    }

    /** Survivors plus varied offspring, as one step of Jenetics' engine. */
    private List<Phenotype<DoubleGene, Double>> breed() {
        ISeq<Phenotype<DoubleGene, Double>> parents = ISeq.of(population);
        int offspringCount = settings.offspringCount();
        int survivorCount = settings.populationSize() - offspringCount;
        return RandomRegistry.with(random).call(() -> {
            ISeq<Phenotype<DoubleGene, Double>> survivors = survivorCount > 0
                    ? survivorSelector.select(parents, survivorCount, optimize)
                    : ISeq.empty();
            ISeq<Phenotype<DoubleGene, Double>> offspring = offspringSelector.select(parents, offspringCount,
                    optimize);
            ISeq<Phenotype<DoubleGene, Double>> varied = alterer.alter(offspring, generation).population();
            List<Phenotype<DoubleGene, Double>> next = new ArrayList<>(settings.populationSize());
            for (Phenotype<DoubleGene, Double> pt : survivors.append(varied)) {
                next.add(pt.age(generation) > settings.maxAge()
                        ? Phenotype.of(encoding.random(random, settings.indicatorOnProbability()), generation)
                        : pt);
            }
            return List.copyOf(next);
        });
    }

    /**
     * The state: {@code optimizer} ("ga"), {@code version} (1), {@code settings} ({@code bounds}, {@code indicators},
     * {@code direction}, {@code populationSize}, {@code offspringFraction}, {@code tournamentSize},
     * {@code variation}, {@code maxAge}, {@code indicatorOnProbability}, {@code initial}), {@code random} (4 longs),
     * {@code generation}, {@code evaluations}, {@code population} (the last evaluated generation) and
     * {@code pending} (the asked one, or null) as lists of {@link MemberJson}, and {@code best}
     * ({genome, score, generation} or null).
     */
    @Override
    public ObjectNode state() {
        ObjectNode s = StateJson.header(KIND, STATE_VERSION);
        s.set("settings", GeneticJson.settings(settings));
        s.set("random", StateJson.longs(random.state()));
        s.put("generation", generation);
        s.put("evaluations", evaluations);
        s.set("population", MemberJson.toJson(members(population), encoding));
        s.set("pending", pending == null ? null : MemberJson.toJson(members(pending), encoding));
        s.set("best", best == null ? null : StateJson.solution(best));
        return s;
    }

    /** The search {@link #state()} was taken from, continuing exactly where it stood. */
    public static GeneticSearch restore(JsonNode state) {
        StateJson.requireHeader(state, KIND, STATE_VERSION);
        GeneticSettings settings = GeneticJson.readSettings(StateJson.field(state, "settings"));
        GeneticSearch ga = new GeneticSearch(settings, Xoshiro256.ofState(StateJson.longs(state, "random", 4)));
        ga.generation = StateJson.longValue(state, "generation");
        ga.evaluations = StateJson.longValue(state, "evaluations");
        ga.population = phenotypes(MemberJson.fromJson(state, "population", ga.encoding, 1));
        if (StateJson.has(state, "pending")) {
            ga.pending = phenotypes(MemberJson.fromJson(state, "pending", ga.encoding, 1));
        }
        if (StateJson.has(state, "best")) {
            ga.best = StateJson.solution(state, "best", ga.encoding.dimension(), 1);
        }
        return ga;
    }

    private static List<MemberJson> members(List<Phenotype<DoubleGene, Double>> phenotypes) {
        List<MemberJson> out = new ArrayList<>(phenotypes.size());
        for (Phenotype<DoubleGene, Double> pt : phenotypes) {
            double[] score = pt.isEvaluated() ? new double[] {pt.fitness()} : null;
            out.add(new MemberJson(pt.genotype(), pt.generation(), score));
        }
        return out;
    }

    private static List<Phenotype<DoubleGene, Double>> phenotypes(List<MemberJson> members) {
        List<Phenotype<DoubleGene, Double>> out = new ArrayList<>(members.size());
        for (MemberJson m : members) {
            Genotype<DoubleGene> gt = m.genotype();
            double[] score = m.score();
            out.add(score == null ? Phenotype.of(gt, m.born()) : Phenotype.of(gt, m.born(), score[0]));
        }
        return List.copyOf(out);
    }
}

package dev.evomerge.search.ga;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.search.Direction;
import dev.evomerge.search.Solution;
import dev.evomerge.search.StateJson;
import dev.evomerge.search.Xoshiro256;
import io.jenetics.Alterer;
import io.jenetics.DoubleGene;
import io.jenetics.EliteSelector;
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
public final class GeneticSearch extends PopulationSearch<Double> {

    /** The {@link #kind()} written in the state. */
    public static final String KIND = "ga";
    private static final int STATE_VERSION = 1;

    private final GeneticSettings settings;
    private final Optimize optimize;
    private final Selector<DoubleGene, Double> survivorSelector;
    private final Selector<DoubleGene, Double> offspringSelector;
    private final Alterer<DoubleGene, Double> alterer;

    private Solution best;

    private GeneticSearch(GeneticSettings settings, Xoshiro256 random) {
        super(KIND, settings.encoding(), random, settings.populationSize(), settings.indicatorOnProbability(),
                settings.initial());
        this.settings = settings;
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
    public List<Direction> directions() {
        return List.of(settings.direction());
    }

    @Override
    public void tell(List<double[]> scores) {
        List<Phenotype<DoubleGene, Double>> pending = asked(scores);
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
                best = new Solution(encoding.decode(pt.genotype()), new double[] {fitness}, generation());
            }
        }
        advance(evaluated, scores.size());
    }

    @Override
    public Optional<Solution> best() {
        return Optional.ofNullable(best);
    }

    @Override
    public List<Solution> paretoFront() {
        return best == null ? List.of() : List.of(best);
    }

    /** Survivors plus varied offspring, as one step of Jenetics' engine. */
    @Override
    protected List<Phenotype<DoubleGene, Double>> breed() {
        ISeq<Phenotype<DoubleGene, Double>> parents = ISeq.of(population);
        int offspringCount = settings.offspringCount();
        int survivorCount = settings.populationSize() - offspringCount;
        return RandomRegistry.with(random).call(() -> {
            ISeq<Phenotype<DoubleGene, Double>> survivors = survivorCount > 0
                    ? survivorSelector.select(parents, survivorCount, optimize)
                    : ISeq.empty();
            ISeq<Phenotype<DoubleGene, Double>> offspring = offspringSelector.select(parents, offspringCount,
                    optimize);
            ISeq<Phenotype<DoubleGene, Double>> varied = alterer.alter(offspring, generation()).population();
            List<Phenotype<DoubleGene, Double>> next = new ArrayList<>(settings.populationSize());
            for (Phenotype<DoubleGene, Double> pt : survivors.append(varied)) {
                next.add(pt.age(generation()) > settings.maxAge() ? randomMember() : pt);
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
        putProgress(s);
        s.set("pending", pendingJson());
        s.set("best", best == null ? null : StateJson.solution(best));
        return s;
    }

    /** The search {@link #state()} was taken from, continuing exactly where it stood. */
    public static GeneticSearch restore(JsonNode state) {
        StateJson.requireHeader(state, KIND, STATE_VERSION);
        GeneticSettings settings = GeneticJson.readSettings(StateJson.field(state, "settings"));
        GeneticSearch ga = new GeneticSearch(settings, restoreRandom(state));
        ga.restoreProgress(state);
        if (StateJson.has(state, "best")) {
            ga.best = StateJson.solution(state, "best", ga.encoding.dimension(), 1);
        }
        return ga;
    }

    @Override
    protected Double fitness(double[] score) {
        return score[0];
    }

    @Override
    protected double[] score(Double fitness) {
        return new double[] {fitness};
    }
}

package dev.evomerge.search.nsga2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.search.Direction;
import dev.evomerge.search.Solution;
import dev.evomerge.search.StateJson;
import dev.evomerge.search.Xoshiro256;
import dev.evomerge.search.ga.GeneticJson;
import dev.evomerge.search.ga.GenomeEncoding;
import dev.evomerge.search.ga.MemberJson;
import dev.evomerge.search.ga.PopulationSearch;
import io.jenetics.Alterer;
import io.jenetics.DoubleGene;
import io.jenetics.Phenotype;
import io.jenetics.ext.moea.Vec;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * NSGA-II (Deb, Pratap, Agarwal and Meyarivan, "A Fast and Elitist Multiobjective Genetic Algorithm: NSGA-II",
 * IEEE TEC 6(2), 2002) on Jenetics 9, driven ask/tell. Each generation: parents are drawn from the current
 * population by binary tournament on its crowded-comparison order, varied into offspring ({@link
 * dev.evomerge.search.ga.Variation}); the new offspring are asked for; after the tell, parents and offspring
 * together are cut back to the population size by {@link CrowdedSurvival}: Jenetics ranks them into fronts, the
 * crowding distance is Deb's, per front (Jenetics' own {@code NSGA2Selector} measures it over the whole merged
 * population, which picks other survivors), and the tournament compares rank, then crowding distance, then a coin.
 *
 * <p>Objectives have a {@link Direction} each; Jenetics' {@link Vec} maximises, so the selector sees every
 * minimised score negated (exactly). Failed candidates (any non-finite score) never reach the selector: they only
 * fill the population when too few candidates succeeded. Every successful evaluation is offered to a Pareto
 * archive; {@link #paretoFront()} returns it, each solution with its genome and score vector.
 *
 * <p>All randomness comes from the generator given at start, handed to Jenetics through
 * {@link RandomRegistry#with(java.util.random.RandomGenerator)} for a breeding step only. The state holds the
 * settings, the generator, the population, the pending offspring and the archive, so {@link #restore(JsonNode)}
 * continues bit for bit.
 *
 * <p>Not thread-safe.
 */
public final class Nsga2Search extends PopulationSearch<Vec<double[]>> {

    /** The {@link #kind()} written in the state. */
    public static final String KIND = "nsga2";
    private static final int STATE_VERSION = 2;

    private final Nsga2Settings settings;
    private final Alterer<DoubleGene, Vec<double[]>> alterer;
    private final ParetoArchive archive;

    // the population is in crowded-comparison order
    private int[] rank = new int[0];          // per population member: its front at the last cut
    private double[] crowding = new double[0]; // per population member: its crowding distance in that front

    private Nsga2Search(Nsga2Settings settings, Xoshiro256 random) {
        super(KIND, settings.encoding(), random, settings.populationSize(), settings.indicatorOnProbability(),
                settings.initial());
        this.settings = settings;
        this.alterer = settings.variation().alterer(encoding);
        this.archive = new ParetoArchive(settings.directions());
    }

    /** A new search at generation 0, drawing every random number from {@code random} (which it now owns). */
    public static Nsga2Search start(Nsga2Settings settings, Xoshiro256 random) {
        return new Nsga2Search(settings, random);
    }

    public Nsga2Settings settings() {
        return settings;
    }

    /** The current population with scores, in crowded-comparison order (best first). */
    public List<Solution> population() {
        List<Solution> out = new ArrayList<>(population.size());
        for (Phenotype<DoubleGene, Vec<double[]>> pt : population) {
            out.add(new Solution(encoding.decode(pt.genotype()), score(pt.fitness()), pt.generation()));
        }
        return out;
    }

    @Override
    public List<Direction> directions() {
        return settings.directions();
    }

    @Override
    public void tell(List<double[]> scores) {
        List<Phenotype<DoubleGene, Vec<double[]>>> pending = asked(scores);
        int m = settings.directions().size();
        List<Phenotype<DoubleGene, Vec<double[]>>> succeeded = new ArrayList<>();
        List<Phenotype<DoubleGene, Vec<double[]>>> failed = new ArrayList<>();
        for (Phenotype<DoubleGene, Vec<double[]>> pt : population) {
            (isFinite(pt.fitness()) ? succeeded : failed).add(pt);
        }
        for (int k = 0; k < scores.size(); k++) {
            double[] raw = scores.get(k);
            if (raw.length != m) {
                throw new IllegalArgumentException("expected " + m + " objectives, score " + k + " has "
                        + raw.length);
            }
            double[] score = new double[m];
            boolean ok = true;
            for (int i = 0; i < m; i++) {
                score[i] = settings.directions().get(i).sanitize(raw[i]);
                ok &= Double.isFinite(score[i]);
            }
            Phenotype<DoubleGene, Vec<double[]>> pt = pending.get(k);
            Phenotype<DoubleGene, Vec<double[]>> evaluated = pt.withFitness(fitness(score));
            (ok ? succeeded : failed).add(evaluated);
            archive.add(new Solution(encoding.decode(pt.genotype()), score, generation()));
        }
        int size = settings.populationSize();
        List<double[]> maximised = new ArrayList<>(succeeded.size());
        for (Phenotype<DoubleGene, Vec<double[]>> pt : succeeded) {
            maximised.add(pt.fitness().data());
        }
        CrowdedSurvival.Survivors cut = CrowdedSurvival.cut(maximised, Math.min(size, succeeded.size()), random);
        List<Phenotype<DoubleGene, Vec<double[]>>> next = new ArrayList<>(size);
        int[] nextRank = new int[Math.min(size, succeeded.size() + failed.size())];
        double[] nextCrowding = new double[nextRank.length];
        for (int k = 0; k < cut.members().length; k++) {
            next.add(succeeded.get(cut.members()[k]));
            nextRank[k] = cut.rank()[k];
            nextCrowding[k] = cut.crowding()[k];
        }
        for (int k = 0; next.size() < size && k < failed.size(); k++) {
            nextRank[next.size()] = Integer.MAX_VALUE;   // failed members lose every tournament to a scored one
            next.add(failed.get(k));
        }
        rank = nextRank;
        crowding = nextCrowding;
        advance(next, scores.size());
    }

    /** NSGA-II has no single best; see {@link #paretoFront()}. */
    @Override
    public Optional<Solution> best() {
        return Optional.empty();
    }

    @Override
    public List<Solution> paretoFront() {
        return archive.solutions();
    }

    /**
     * Offspring of Deb's crowded binary tournaments ({@link CrowdedSurvival#tournament}) on the ranks and crowding
     * distances of the last cut. Offspring equal to their parent (not varied) are dropped: the parent is already
     * scored and in the population.
     */
    @Override
    protected List<Phenotype<DoubleGene, Vec<double[]>>> breed() {
        return RandomRegistry.with(random).call(() -> {
            List<Phenotype<DoubleGene, Vec<double[]>>> parents = new ArrayList<>(settings.populationSize());
            for (int k = 0; k < settings.populationSize(); k++) {
                parents.add(population.get(CrowdedSurvival.tournament(rank, crowding, random)));
            }
            ISeq<Phenotype<DoubleGene, Vec<double[]>>> varied = alterer.alter(ISeq.of(parents), generation())
                    .population();
            List<Phenotype<DoubleGene, Vec<double[]>>> offspring = new ArrayList<>(varied.size());
            for (Phenotype<DoubleGene, Vec<double[]>> pt : varied) {
                if (pt.nonEvaluated()) {
                    offspring.add(pt);
                }
            }
            return List.copyOf(offspring);
        });
    }

    private static boolean isFinite(Vec<double[]> vec) {
        for (double v : vec.data()) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Scores as Jenetics' maximising vector: minimised objectives negated, which is exact. */
    @Override
    protected Vec<double[]> fitness(double[] score) {
        double[] v = new double[score.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = settings.directions().get(i) == Direction.MINIMIZE ? -score[i] : score[i];
        }
        return Vec.of(v);
    }

    @Override
    protected double[] score(Vec<double[]> vec) {
        double[] v = vec.data();
        double[] score = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            score[i] = settings.directions().get(i) == Direction.MINIMIZE ? -v[i] : v[i];
        }
        return score;
    }

    /**
     * The state: {@code optimizer} ("nsga2"), {@code version} (2), {@code settings} ({@code bounds},
     * {@code indicators}, {@code directions}, {@code populationSize}, {@code variation},
     * {@code indicatorOnProbability}, {@code initial}), {@code random} (4 longs), {@code generation},
     * {@code evaluations}, {@code population} (crowded-comparison order), {@code rank} and {@code crowding} (each member's front and crowding
     * distance at the last cut), and {@code pending} (asked offspring, or
     * null) as lists of {@link MemberJson}, and {@code paretoFront}, the archive as a list of
     * {genome, score, generation}.
     */
    @Override
    public ObjectNode state() {
        ObjectNode s = StateJson.header(KIND, STATE_VERSION);
        ObjectNode st = StateJson.object();
        GeneticJson.putEncoding(st, encoding);
        st.set("directions", StateJson.directions(settings.directions()));
        st.put("populationSize", settings.populationSize());
        st.set("variation", GeneticJson.variation(settings.variation()));
        st.set("indicatorOnProbability", StateJson.number(settings.indicatorOnProbability()));
        st.set("initial", GeneticJson.genomes(settings.initial()));
        s.set("settings", st);
        putProgress(s);
        ArrayNode ranks = StateJson.array();
        for (int r : rank) {
            ranks.add(r);
        }
        s.set("rank", ranks);
        s.set("crowding", StateJson.doubles(crowding));
        s.set("pending", pendingJson());
        ArrayNode front = StateJson.array();
        for (Solution sol : archive.solutions()) {
            front.add(StateJson.solution(sol));
        }
        s.set("paretoFront", front);
        return s;
    }

    /** The search {@link #state()} was taken from, continuing exactly where it stood. */
    public static Nsga2Search restore(JsonNode state) {
        StateJson.requireHeader(state, KIND, STATE_VERSION);
        JsonNode st = StateJson.field(state, "settings");
        GenomeEncoding encoding = GeneticJson.readEncoding(st);
        Nsga2Settings settings;
        try {
            settings = new Nsga2Settings(encoding, StateJson.directions(st, "directions"),
                    StateJson.integer(st, "populationSize"),
                    GeneticJson.readVariation(StateJson.field(st, "variation")),
                    StateJson.doubleValue(st, "indicatorOnProbability"),
                    GeneticJson.readGenomes(st, "initial", encoding.dimension()));
        } catch (IllegalArgumentException e) {
            throw StateJson.damaged("the NSGA-II settings in the state are invalid: " + e.getMessage());
        }
        Nsga2Search search = new Nsga2Search(settings, restoreRandom(state));
        search.restoreProgress(state);
        int size = search.population.size();
        search.crowding = StateJson.doubles(state, "crowding", size);
        search.rank = new int[size];
        JsonNode ranks = StateJson.field(state, "rank");
        if (ranks.size() != size) {
            throw StateJson.damaged("the state has " + ranks.size() + " ranks for " + size + " members");
        }
        for (int k = 0; k < size; k++) {
            search.rank[k] = ranks.get(k).asInt();
        }
        for (JsonNode sol : StateJson.field(state, "paretoFront")) {
            search.archive.add(StateJson.toSolution(sol, encoding.dimension(), settings.directions().size()));
        }
        return search;
    }
}

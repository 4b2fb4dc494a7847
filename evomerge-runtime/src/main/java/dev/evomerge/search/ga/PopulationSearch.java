package dev.evomerge.search.ga;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.search.Optimizer;
import dev.evomerge.search.StateJson;
import dev.evomerge.search.Xoshiro256;
import io.jenetics.DoubleGene;
import io.jenetics.Phenotype;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the genetic searches ({@link GeneticSearch}, NSGA-II) share: a population of Jenetics phenotypes over a
 * {@link GenomeEncoding}, driven ask/tell one generation at a time. The first generation is the initial genomes
 * filled up with random individuals; each later one is {@link #breed() bred} by the subclass. Only members not yet
 * evaluated are asked for. The subclass says how its Jenetics fitness {@code C} and a score vector map onto each
 * other, which is all the state's member lists need.
 *
 * <p>Not thread-safe.
 *
 * @param <C> the Jenetics fitness type
 */
public abstract class PopulationSearch<C extends Comparable<? super C>> implements Optimizer {

    /** The genome's bounds and indicator coordinates. */
    protected final GenomeEncoding encoding;
    /** The search's only source of random numbers. */
    protected final Xoshiro256 random;
    private final String kind;
    private final int populationSize;
    private final double indicatorOnProbability;
    private final List<double[]> initial;

    private long generation;
    private long evaluations;
    /** The last evaluated generation, in the order the subclass keeps it. */
    protected List<Phenotype<DoubleGene, C>> population = List.of();
    private List<Phenotype<DoubleGene, C>> pending;  // asked generation, or null

    /**
     * @param kind the {@link #kind()} written in the state
     * @param initial genomes for the first generation (at most {@code populationSize}, already checked)
     * @param indicatorOnProbability the chance that a random individual's indicator is on
     */
    protected PopulationSearch(String kind, GenomeEncoding encoding, Xoshiro256 random, int populationSize,
            double indicatorOnProbability, List<double[]> initial) {
        this.kind = kind;
        this.encoding = encoding;
        this.random = random;
        this.populationSize = populationSize;
        this.indicatorOnProbability = indicatorOnProbability;
        this.initial = initial;
    }

    /** The next generation from {@link #population}, as one breeding step with {@link #random}. */
    protected abstract List<Phenotype<DoubleGene, C>> breed();

    /** A score vector (in the caller's terms) as this search's fitness. */
    protected abstract C fitness(double[] score);

    /** A fitness as the score vector in the caller's terms. */
    protected abstract double[] score(C fitness);

    @Override
    public final String kind() {
        return kind;
    }

    @Override
    public final int dimension() {
        return encoding.dimension();
    }

    @Override
    public final long generation() {
        return generation;
    }

    @Override
    public final long evaluations() {
        return evaluations;
    }

    /** A genetic search has no criterion of its own; the run loop's budget ends it. */
    @Override
    public final Optional<String> termination() {
        return Optional.empty();
    }

    @Override
    public final List<double[]> ask() {
        if (pending == null) {
            pending = population.isEmpty() ? initialPopulation() : breed();
        }
        List<double[]> genomes = new ArrayList<>(pending.size());
        for (Phenotype<DoubleGene, C> pt : pending) {
            if (pt.nonEvaluated()) {
                genomes.add(encoding.decode(pt.genotype()));
            }
        }
        return genomes;
    }

    /**
     * The asked generation, after checking that {@code scores} has one score for each member asked for.
     *
     * @throws IllegalStateException when the generation was not asked
     * @throws IllegalArgumentException for another number of scores
     */
    protected final List<Phenotype<DoubleGene, C>> asked(List<double[]> scores) {
        if (pending == null) {
            throw new IllegalStateException("tell() without ask(): generation " + generation + " was not asked");
        }
        long asked = pending.stream().filter(Phenotype::nonEvaluated).count();
        if (scores.size() != asked) {
            throw new IllegalArgumentException("expected " + asked + " scores, got " + scores.size());
        }
        return pending;
    }

    /** Ends the told generation: {@code next} is the population now, {@code evaluated} members were scored. */
    protected final void advance(List<Phenotype<DoubleGene, C>> next, int evaluated) {
        evaluations += evaluated;
        population = List.copyOf(next);
        pending = null;
        generation++;
    }

    private List<Phenotype<DoubleGene, C>> initialPopulation() {
        List<Phenotype<DoubleGene, C>> pop = new ArrayList<>(populationSize);
        for (double[] genome : initial) {
            pop.add(Phenotype.of(encoding.encode(genome), generation));
        }
        while (pop.size() < populationSize) {
            pop.add(randomMember());
        }
        return List.copyOf(pop);
    }

    /** A random individual born in this generation. */
    protected final Phenotype<DoubleGene, C> randomMember() {
        return Phenotype.of(encoding.random(random, indicatorOnProbability), generation);
    }

    /** Writes {@code random} (4 longs), {@code generation}, {@code evaluations} and {@code population}. */
    protected final void putProgress(ObjectNode state) {
        state.set("random", StateJson.longs(random.state()));
        state.put("generation", generation);
        state.put("evaluations", evaluations);
        state.set("population", members(population));
    }

    /** The asked generation as a list of {@link MemberJson}, or null when none is asked. */
    protected final ArrayNode pendingJson() {
        return pending == null ? null : members(pending);
    }

    /** The generator {@link #putProgress} wrote. */
    protected static Xoshiro256 restoreRandom(JsonNode state) {
        return Xoshiro256.ofState(StateJson.longs(state, "random", 4));
    }

    /** Reads back what {@link #putProgress} and {@link #pendingJson} wrote (the generator aside). */
    protected final void restoreProgress(JsonNode state) {
        int objectives = directions().size();
        generation = StateJson.longValue(state, "generation");
        evaluations = StateJson.longValue(state, "evaluations");
        population = phenotypes(MemberJson.fromJson(state, "population", encoding, objectives));
        if (StateJson.has(state, "pending")) {
            pending = phenotypes(MemberJson.fromJson(state, "pending", encoding, objectives));
        }
    }

    private ArrayNode members(List<Phenotype<DoubleGene, C>> phenotypes) {
        List<MemberJson> out = new ArrayList<>(phenotypes.size());
        for (Phenotype<DoubleGene, C> pt : phenotypes) {
            out.add(new MemberJson(pt.genotype(), pt.generation(), pt.isEvaluated() ? score(pt.fitness()) : null));
        }
        return MemberJson.toJson(out, encoding);
    }

    private List<Phenotype<DoubleGene, C>> phenotypes(List<MemberJson> members) {
        List<Phenotype<DoubleGene, C>> out = new ArrayList<>(members.size());
        for (MemberJson m : members) {
            double[] score = m.score();
            out.add(score == null ? Phenotype.of(m.genotype(), m.born())
                    : Phenotype.of(m.genotype(), m.born(), fitness(score)));
        }
        return List.copyOf(out);
    }
}

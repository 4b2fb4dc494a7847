package dev.evomerge.search.ga;

import io.jenetics.AbstractAlterer;
import io.jenetics.AltererResult;
import io.jenetics.Chromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import io.jenetics.util.MSeq;
import io.jenetics.util.RandomRegistry;
import io.jenetics.util.Seq;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A Jenetics alterer that mutates every gene independently with probability {@code p}. Jenetics' own
 * {@link io.jenetics.Mutator} draws at three nested levels (individual, chromosome, gene) with {@code p^(1/3)} each:
 * the expected rate is {@code p}, but an individual that mutates at all changes about {@code p^(1/3)} of its genes
 * (for p = 1/48, a quarter of them), so a near-optimal genome almost never gets the single flip or nudge it
 * needs. Independent per-gene mutation is what the usual GA and NSGA-II settings ({@code p = 1/n}) assume.
 *
 * <p>Draws from {@link RandomRegistry#random()}: callers run it within {@code RandomRegistry.with(generator)}.
 * An individual none of whose genes mutated is returned as it was, score included. Immutable and thread-safe.
 *
 * @param <C> the fitness type
 */
public abstract class GeneMutator<C extends Comparable<? super C>> extends AbstractAlterer<DoubleGene, C> {

    /** @param probability the probability that a gene mutates */
    protected GeneMutator(double probability) {
        super(probability);
    }

    /** The mutated gene. */
    protected abstract DoubleGene mutate(DoubleGene gene, RandomGenerator random);

    @Override
    public AltererResult<DoubleGene, C> alter(Seq<Phenotype<DoubleGene, C>> population, long generation) {
        RandomGenerator random = RandomRegistry.random();
        List<Phenotype<DoubleGene, C>> out = new ArrayList<>(population.size());
        int mutations = 0;
        for (Phenotype<DoubleGene, C> pt : population) {
            Genotype<DoubleGene> gt = pt.genotype();
            List<Chromosome<DoubleGene>> chromosomes = new ArrayList<>(gt.length());
            int changed = 0;
            for (Chromosome<DoubleGene> ch : gt) {
                MSeq<DoubleGene> genes = MSeq.of(ch);
                int before = changed;
                for (int i = 0; i < genes.length(); i++) {
                    if (random.nextDouble() < _probability) {
                        genes.set(i, mutate(genes.get(i), random));
                        changed++;
                    }
                }
                chromosomes.add(changed > before ? ch.newInstance(genes.toISeq()) : ch);
            }
            out.add(changed > 0 ? Phenotype.of(Genotype.of(chromosomes), generation) : pt);
            mutations += changed;
        }
        return new AltererResult<>(ISeq.of(out), mutations);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[p=" + _probability + "]";
    }
}

package dev.evomerge.search.ga;

import dev.evomerge.search.Bounds;
import io.jenetics.Chromosome;
import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * How a genome (a real vector within box bounds) is held as a Jenetics {@link Genotype}, for the genetic searches.
 * Coordinates are of two kinds:
 * <ul>
 *   <li><b>indicator</b> coordinates (a data-flow genome's slot switches: on iff the value is {@code > 0}) live in
 *   one chromosome of genes {@code +0.5} (on) or {@code -0.5} (off) and decode to {@code +1} or {@code -1}; they
 *   are recombined by uniform crossover and mutated by flipping;</li>
 *   <li><b>real</b> coordinates (scales, weights, densities) live in another chromosome, normalised to
 *   {@code [0, 1]} within their finite bounds, and are recombined by simulated binary crossover and mutated
 *   polynomially.</li>
 * </ul>
 * The indicator chromosome comes first when there is one. Normalising keeps coordinates with different bounds in
 * one chromosome, which crossover needs (Jenetics recombines one chromosome at a time).
 *
 * <p>Immutable and thread-safe.
 */
public final class GenomeEncoding {

    static final double ON = 0.5;
    static final double OFF = -0.5;

    private final Bounds bounds;
    private final int[] indicators;
    private final int[] reals;

    /**
     * An encoding for genomes within {@code bounds} whose coordinates listed in {@code indicatorCoordinates} are
     * indicators. Real coordinates need finite bounds; indicator coordinates need bounds that contain
     * {@code [-1, 1]} (they decode to -1 and +1).
     */
    public GenomeEncoding(Bounds bounds, int[] indicatorCoordinates) {
        this.bounds = bounds;
        int n = bounds.dimension();
        boolean[] isIndicator = new boolean[n];
        for (int c : indicatorCoordinates) {
            if (c < 0 || c >= n || isIndicator[c]) {
                throw new IllegalArgumentException("indicator coordinate " + c
                        + " is out of range or listed twice (dimension " + n + ")");
            }
            isIndicator[c] = true;
        }
        List<Integer> ind = new ArrayList<>();
        List<Integer> real = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (isIndicator[i]) {
                if (!(bounds.lower(i) <= -1.0 && bounds.upper(i) >= 1.0)) {
                    throw new IllegalArgumentException("indicator coordinate " + i + " needs bounds containing"
                            + " [-1, 1], got [" + bounds.lower(i) + ", " + bounds.upper(i) + "]");
                }
                ind.add(i);
            } else {
                if (!Double.isFinite(bounds.lower(i)) || !Double.isFinite(bounds.upper(i))) {
                    throw new IllegalArgumentException("real coordinate " + i + " needs finite bounds for a"
                            + " genetic search, got [" + bounds.lower(i) + ", " + bounds.upper(i) + "]");
                }
                real.add(i);
            }
        }
        this.indicators = ind.stream().mapToInt(Integer::intValue).toArray();
        this.reals = real.stream().mapToInt(Integer::intValue).toArray();
    }

    /** An encoding of real coordinates only. */
    public static GenomeEncoding reals(Bounds bounds) {
        return new GenomeEncoding(bounds, new int[0]);
    }

    public Bounds bounds() {
        return bounds;
    }

    public int dimension() {
        return bounds.dimension();
    }

    /** The indicator coordinates, ascending (a copy). */
    public int[] indicatorCoordinates() {
        return indicators.clone();
    }

    /** The index of the indicator chromosome in the genotype, or -1 when there are no indicators. */
    public int indicatorChromosome() {
        return indicators.length > 0 ? 0 : -1;
    }

    /** The index of the real chromosome in the genotype, or -1 when every coordinate is an indicator. */
    public int realChromosome() {
        if (reals.length == 0) {
            return -1;
        }
        return indicators.length > 0 ? 1 : 0;
    }

    /** The number of chromosomes in a genotype. */
    public int chromosomeCount() {
        return (indicators.length > 0 ? 1 : 0) + (reals.length > 0 ? 1 : 0);
    }

    /** The genotype of a genome within the bounds; an indicator is on iff its value is {@code > 0}. */
    public Genotype<DoubleGene> encode(double[] genome) {
        if (!bounds.contains(genome)) {
            throw new IllegalArgumentException("genome " + Arrays.toString(genome) + " is not within " + bounds);
        }
        double[] ind = new double[indicators.length];
        for (int k = 0; k < ind.length; k++) {
            ind[k] = genome[indicators[k]] > 0 ? ON : OFF;
        }
        double[] real = new double[reals.length];
        for (int k = 0; k < real.length; k++) {
            int i = reals[k];
            double u = (genome[i] - bounds.lower(i)) / (bounds.upper(i) - bounds.lower(i));
            real[k] = Math.min(1.0, Math.max(0.0, u));
        }
        return genotype(ind, real);
    }

    /** The genome of a genotype: indicators as +1 or -1, reals scaled back into their bounds. */
    public double[] decode(Genotype<DoubleGene> genotype) {
        double[] genome = new double[dimension()];
        int ic = indicatorChromosome();
        for (int k = 0; k < indicators.length; k++) {
            genome[indicators[k]] = genotype.get(ic).get(k).doubleValue() > 0 ? 1.0 : -1.0;
        }
        int rc = realChromosome();
        for (int k = 0; k < reals.length; k++) {
            int i = reals[k];
            double lo = bounds.lower(i);
            double hi = bounds.upper(i);
            double x = lo + genotype.get(rc).get(k).doubleValue() * (hi - lo);
            genome[i] = Math.min(hi, Math.max(lo, x));
        }
        return genome;
    }

    /**
     * Checks a chance of an indicator being on, as settings take it for {@link #random}.
     *
     * @throws IllegalArgumentException unless it is within [0, 1]
     */
    public static void checkOnProbability(double onProbability) {
        if (!(onProbability >= 0 && onProbability <= 1)) {
            throw new IllegalArgumentException("indicator on-probability must be within [0, 1], got "
                    + onProbability);
        }
    }

    /** A uniformly random genotype; each indicator is on with probability {@code onProbability}. */
    public Genotype<DoubleGene> random(RandomGenerator random, double onProbability) {
        double[] ind = new double[indicators.length];
        for (int k = 0; k < ind.length; k++) {
            ind[k] = random.nextDouble() < onProbability ? ON : OFF;
        }
        double[] real = new double[reals.length];
        for (int k = 0; k < real.length; k++) {
            real[k] = random.nextDouble();
        }
        return genotype(ind, real);
    }

    /** The genes of each chromosome, as stored in optimizer state. */
    public double[][] chromosomes(Genotype<DoubleGene> genotype) {
        double[][] out = new double[genotype.length()][];
        for (int c = 0; c < out.length; c++) {
            Chromosome<DoubleGene> ch = genotype.get(c);
            out[c] = new double[ch.length()];
            for (int k = 0; k < out[c].length; k++) {
                out[c][k] = ch.get(k).doubleValue();
            }
        }
        return out;
    }

    /** The genotype whose chromosomes hold exactly {@code genes} (the inverse of {@link #chromosomes}). */
    public Genotype<DoubleGene> fromChromosomes(double[][] genes) {
        if (genes.length != chromosomeCount()) {
            throw new IllegalArgumentException("expected " + chromosomeCount() + " chromosomes, got " + genes.length);
        }
        int ic = indicatorChromosome();
        int rc = realChromosome();
        return genotype(ic >= 0 ? genes[ic] : new double[0], rc >= 0 ? genes[rc] : new double[0]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenomeEncoding e && bounds.equals(e.bounds) && Arrays.equals(indicators, e.indicators);
    }

    @Override
    public int hashCode() {
        return 31 * bounds.hashCode() + Arrays.hashCode(indicators);
    }

    @Override
    public String toString() {
        return "GenomeEncoding[bounds=" + bounds + ", indicators=" + Arrays.toString(indicators) + "]";
    }

    private Genotype<DoubleGene> genotype(double[] ind, double[] real) {
        if (ind.length != indicators.length || real.length != reals.length) {
            throw new IllegalArgumentException("expected " + indicators.length + " indicator and " + reals.length
                    + " real genes, got " + ind.length + " and " + real.length);
        }
        List<DoubleChromosome> chromosomes = new ArrayList<>(2);
        if (ind.length > 0) {
            DoubleGene[] g = new DoubleGene[ind.length];
            for (int k = 0; k < g.length; k++) {
                g[k] = DoubleGene.of(ind[k], -1.0, 1.0);
            }
            chromosomes.add(DoubleChromosome.of(g));
        }
        if (real.length > 0) {
            DoubleGene[] g = new DoubleGene[real.length];
            for (int k = 0; k < g.length; k++) {
                g[k] = DoubleGene.of(real[k], 0.0, 1.0);
            }
            chromosomes.add(DoubleChromosome.of(g));
        }
        return Genotype.of(chromosomes);
    }
}

package dev.evomerge.search.ga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.search.Bounds;
import dev.evomerge.search.Xoshiro256;
import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import io.jenetics.util.MSeq;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VariationTest {

    private static MSeq<DoubleGene> genes(double... values) {
        MSeq<DoubleGene> seq = MSeq.ofLength(values.length);
        for (int i = 0; i < values.length; i++) {
            seq.set(i, DoubleGene.of(values[i], 0, 1));
        }
        return seq;
    }

    @Test
    void sbx_unclampedPairs_keepTheParentsMeanAndStayInRange() {
        SimulatedBinaryCrossover<Double> sbx = new SimulatedBinaryCrossover<>(1.0, 15);
        Xoshiro256 r = Xoshiro256.seeded(1);
        int changed = RandomRegistry.with(r).call(() -> {
            int total = 0;
            for (int k = 0; k < 2000; k++) {
                MSeq<DoubleGene> a = genes(0.4, 0.45);
                MSeq<DoubleGene> b = genes(0.6, 0.5);
                total += sbx.crossover(a, b);
                for (int i = 0; i < 2; i++) {
                    double x = a.get(i).doubleValue();
                    double y = b.get(i).doubleValue();
                    assertTrue(x >= 0 && x <= 1 && y >= 0 && y <= 1);
                }
                // Far from the bounds, SBX children are symmetric about the parents' mean.
                assertEquals(1.0, a.get(0).doubleValue() + b.get(0).doubleValue(), 1e-12);
                assertEquals(0.95, a.get(1).doubleValue() + b.get(1).doubleValue(), 1e-12);
            }
            return total;
        });
        // Each gene pair is recombined with probability 1/2.
        assertEquals(2000, changed, 150);
    }

    @Test
    void sbx_largerIndex_keepsChildrenCloserToParents() {
        double spreadLow = meanSpread(2);
        double spreadHigh = meanSpread(30);
        assertTrue(spreadHigh < spreadLow, spreadHigh + " vs " + spreadLow);
    }

    private static double meanSpread(double eta) {
        SimulatedBinaryCrossover<Double> sbx = new SimulatedBinaryCrossover<>(1.0, eta);
        return RandomRegistry.with(Xoshiro256.seeded(2)).call(() -> {
            double sum = 0;
            int n = 0;
            for (int k = 0; k < 4000; k++) {
                MSeq<DoubleGene> a = genes(0.45);
                MSeq<DoubleGene> b = genes(0.55);
                if (sbx.crossover(a, b) > 0) {
                    sum += Math.abs(a.get(0).doubleValue() - b.get(0).doubleValue());
                    n++;
                }
            }
            return sum / n;
        });
    }

    @Test
    void polynomialMutation_staysInRangeAndMostlyMovesLittle() {
        PolynomialMutator<Double> m = new PolynomialMutator<>(1.0, 20);
        Xoshiro256 r = Xoshiro256.seeded(3);
        int small = 0;
        for (int k = 0; k < 5000; k++) {
            double start = k % 2 == 0 ? 0.999 : 0.3;
            double x = m.mutate(DoubleGene.of(start, 0, 1), r).doubleValue();
            assertTrue(x >= 0 && x <= 1, "" + x);
            small += Math.abs(x - start) < 0.1 ? 1 : 0;
        }
        assertTrue(small > 4500, "moves below 0.1: " + small);
    }

    @Test
    void geneMutator_mutatesGenesIndependently() {
        // 48 genes at p = 1/48: the number of flips per individual is binomial, so about 37% of individuals get
        // exactly one (Jenetics' nested Mutator would give almost none: whole clumps of genes flip at once).
        GenomeEncoding e = new GenomeEncoding(Bounds.box(48, -1, 1), java.util.stream.IntStream.range(0, 48).toArray());
        List<Phenotype<DoubleGene, Double>> pop = new ArrayList<>();
        double[] allOff = new double[48];
        java.util.Arrays.fill(allOff, -1);
        for (int k = 0; k < 4000; k++) {
            pop.add(Phenotype.of(e.encode(allOff), 0, 0.0));
        }
        IndicatorFlipMutator<Double> m = new IndicatorFlipMutator<>(1.0 / 48);
        ISeq<Phenotype<DoubleGene, Double>> out = RandomRegistry.with(Xoshiro256.seeded(6))
                .call(() -> m.alter(ISeq.of(pop), 1).population());
        int[] histogram = new int[49];
        for (Phenotype<DoubleGene, Double> pt : out) {
            int flips = 0;
            for (double x : e.decode(pt.genotype())) {
                flips += x > 0 ? 1 : 0;
            }
            histogram[flips]++;
            assertEquals(flips == 0, pt.isEvaluated(), "unchanged individuals keep their score");
        }
        double p1 = 48 * (1.0 / 48) * Math.pow(47.0 / 48, 47);
        assertEquals(p1, histogram[1] / 4000.0, 0.03);
        assertEquals(Math.pow(47.0 / 48, 48), histogram[0] / 4000.0, 0.03);
    }

    @Test
    void indicatorFlip_negatesTheGene() {
        IndicatorFlipMutator<Double> m = new IndicatorFlipMutator<>(1.0);
        assertEquals(-0.5, m.mutate(DoubleGene.of(0.5, -1, 1), Xoshiro256.seeded(4)).doubleValue(), 0.0);
    }

    @Test
    void alterer_mixedGenome_changesEachChromosomeOnlyItsOwnWay() {
        GenomeEncoding e = new GenomeEncoding(new Bounds(new double[] {-1, -1, -1, 0, 0},
                new double[] {1, 1, 1, 1, 1}), new int[] {0, 1, 2});
        var alterer = Variation.defaults(5).<Double>alterer(e);
        Xoshiro256 r = Xoshiro256.seeded(5);
        List<Phenotype<DoubleGene, Double>> pop = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            pop.add(Phenotype.of(e.random(r, 0.5), 0, 0.0));
        }
        ISeq<Phenotype<DoubleGene, Double>> altered = RandomRegistry.with(r).call(
                () -> alterer.alter(ISeq.of(pop), 1).population());
        int changed = 0;
        for (Phenotype<DoubleGene, Double> pt : altered) {
            Genotype<DoubleGene> gt = pt.genotype();
            for (DoubleGene g : gt.get(0)) {
                assertEquals(0.5, Math.abs(g.doubleValue()), 0.0, "indicator genes stay +-0.5");
            }
            changed += pt.nonEvaluated() ? 1 : 0;
        }
        assertTrue(changed > 20, "altered " + changed);
        assertNotEquals(ISeq.of(pop), altered);
    }

    @Test
    void variation_invalidValues_throw() {
        assertThrows(IllegalArgumentException.class, () -> new Variation(1.5, 15, 0.1, 20));
        assertThrows(IllegalArgumentException.class, () -> new Variation(0.9, -1, 0.1, 20));
        assertThrows(IllegalArgumentException.class, () -> Variation.defaults(0));
        assertEquals(0.1, Variation.defaults(10).mutationProbability(), 0.0);
        assertTrue(DoubleChromosome.of(0, 1, 3).length() == 3);
    }

    @Test
    void defaults_paperShapedDataFlowGenome_aboutOneIndicatorFlipAndOneScaleMutationPerOffspring() {
        // M = 64, r = 3: 192 indicator genes, then a 65 x 64 scale matrix (4160 real genes)
        int indicators = 192;
        int n = indicators + 65 * 64;
        double[] lo = new double[n];
        double[] hi = new double[n];
        int[] coordinates = new int[indicators];
        for (int i = 0; i < n; i++) {
            lo[i] = i < indicators ? -1 : 0;
            hi[i] = i < indicators ? 1 : 2;
        }
        for (int i = 0; i < indicators; i++) {
            coordinates[i] = i;
        }
        GenomeEncoding encoding = new GenomeEncoding(new Bounds(lo, hi), coordinates);
        Variation variation = GeneticSettings.of(encoding).variation();   // crossover of equal parents changes nothing
        io.jenetics.Alterer<DoubleGene, Double> alterer = variation.alterer(encoding);
        Xoshiro256 random = Xoshiro256.seeded(4);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < indicators ? (i % 2 == 0 ? 0.5 : -0.5) : 1.0;
        }
        List<Phenotype<DoubleGene, Double>> population = new ArrayList<>();
        for (int k = 0; k < 500; k++) {
            population.add(Phenotype.of(encoding.encode(x), 0));
        }
        ISeq<Phenotype<DoubleGene, Double>> altered = RandomRegistry.with(random).call(
                () -> alterer.alter(ISeq.of(population), 1).population());
        long flips = 0;
        long scales = 0;
        for (Phenotype<DoubleGene, Double> pt : altered) {
            double[] y = encoding.decode(pt.genotype());
            for (int i = 0; i < n; i++) {
                if (i < indicators && (y[i] > 0) != (x[i] > 0)) {
                    flips++;
                } else if (i >= indicators && y[i] != x[i]) {
                    scales++;
                }
            }
        }
        // mutation probability 1/n over all 4352 genes flipped 0.044 indicators per offspring: paths stood still
        assertEquals(1.0, flips / 500.0, 0.15, "indicator flips per offspring");
        assertEquals(1.0, scales / 500.0, 0.15, "scale mutations per offspring");
    }
}

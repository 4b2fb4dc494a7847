package dev.evomerge.search.ga;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.search.Bounds;
import dev.evomerge.search.Xoshiro256;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import org.junit.jupiter.api.Test;

class GenomeEncodingTest {

    private static final Bounds MIXED = new Bounds(new double[] {0, -1, -5, Double.NEGATIVE_INFINITY},
            new double[] {1, 1, 5, Double.POSITIVE_INFINITY});

    @Test
    void encode_mixedGenome_indicatorsFirstThenNormalisedReals() {
        GenomeEncoding e = new GenomeEncoding(MIXED, new int[] {3, 1});
        assertEquals(2, e.chromosomeCount());
        assertEquals(0, e.indicatorChromosome());
        assertEquals(1, e.realChromosome());
        Genotype<DoubleGene> gt = e.encode(new double[] {0.25, 0.0, 2.5, 7.0});
        double[][] genes = e.chromosomes(gt);
        assertArrayEquals(new double[] {GenomeEncoding.OFF, GenomeEncoding.ON}, genes[0], 0.0);  // 0.0 is off
        assertArrayEquals(new double[] {0.25, 0.75}, genes[1], 0.0);
        assertArrayEquals(new double[] {0.25, -1.0, 2.5, 1.0}, e.decode(gt), 0.0);
    }

    @Test
    void decode_randomGenotypes_withinBounds() {
        GenomeEncoding e = new GenomeEncoding(MIXED, new int[] {1, 3});
        Xoshiro256 r = Xoshiro256.seeded(1);
        int on = 0;
        for (int k = 0; k < 2000; k++) {
            double[] x = e.decode(e.random(r, 0.25));
            assertTrue(MIXED.contains(x));
            on += x[3] > 0 ? 1 : 0;
        }
        assertEquals(500, on, 70);
    }

    @Test
    void fromChromosomes_ofChromosomes_isIdentity() {
        GenomeEncoding e = new GenomeEncoding(MIXED, new int[] {1, 3});
        Genotype<DoubleGene> gt = e.random(Xoshiro256.seeded(2), 0.5);
        assertEquals(gt, e.fromChromosomes(e.chromosomes(gt)));
    }

    @Test
    void reals_only_oneChromosome() {
        GenomeEncoding e = GenomeEncoding.reals(Bounds.box(3, -2, 2));
        assertEquals(1, e.chromosomeCount());
        assertEquals(-1, e.indicatorChromosome());
        assertEquals(0, e.realChromosome());
        assertArrayEquals(new double[] {-2, 0, 2}, e.decode(e.encode(new double[] {-2, 0, 2})), 0.0);
    }

    @Test
    void constructor_invalidLayouts_throw() {
        assertThrows(IllegalArgumentException.class, () -> GenomeEncoding.reals(Bounds.unbounded(2)));
        assertThrows(IllegalArgumentException.class, () -> new GenomeEncoding(Bounds.box(2, 0, 1), new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new GenomeEncoding(Bounds.box(2, -1, 1), new int[] {2}));
        assertThrows(IllegalArgumentException.class,
                () -> new GenomeEncoding(Bounds.box(2, -1, 1), new int[] {0, 0}));
        GenomeEncoding e = GenomeEncoding.reals(Bounds.box(2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> e.encode(new double[] {0.5, 1.5}));
    }
}

package dev.evomerge.search.cmaes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Our strategy constants against pycma's (src/test/reference/cmaes/pycma_parameters.py). */
class CmaEsParametersTest {

    private static JsonNode reference() throws IOException {
        try (InputStream in = CmaEsParametersTest.class.getResourceAsStream("/cmaes/pycma-parameters.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void of_dimension10_matchesPycmaWeightsAndLearningRates() throws IOException {
        JsonNode ref = reference();
        int n = ref.get("dimension").intValue();
        for (JsonNode c : ref.get("cases")) {
            boolean active = c.get("activeCovariance").booleanValue();
            CmaEsParameters p = CmaEsParameters.of(n, CmaEsSettings.defaultPopulationSize(n), active);
            assertEquals(c.get("populationSize").intValue(), p.lambda());
            for (int i = 0; i < p.lambda(); i++) {
                assertEquals(c.get("weights").get(i).doubleValue(), p.weight(i), 1e-15, "weight " + i);
            }
            assertRelative(c.get("mueff").doubleValue(), p.mueff());
            assertRelative(c.get("c1").doubleValue(), p.c1());
            assertRelative(c.get("cmu").doubleValue(), p.cmu());
            assertRelative(c.get("cc").doubleValue(), p.cc());
        }
    }

    private static void assertRelative(double expected, double actual) {
        assertEquals(expected, actual, 1e-14 * Math.abs(expected));
    }

    @Test
    void of_dimension10_stepSizeConstantsFollowTheTutorial() {
        // pycma 4.5 uses cs = (mueff + 2) / (n + mueff + 3) and a longer damping formula; we keep the tutorial's
        // (equation (55)), which gives 0.2844 and 1.2844 here against pycma's 0.3196 and 1.3196.
        CmaEsParameters p = CmaEsParameters.of(10, 10, true);
        assertEquals((p.mueff() + 2) / (10 + p.mueff() + 5), p.cs(), 0.0);
        assertEquals(1 + p.cs(), p.damps(), 0.0);
        assertEquals(0.2844, p.cs(), 1e-4);
    }

    @Test
    void of_activeCovariance_negativeWeightsObeyTheThreeLimits() {
        for (int n : new int[] {2, 6, 10, 40}) {
            for (int lambda : new int[] {CmaEsSettings.defaultPopulationSize(n), 50}) {
                CmaEsParameters p = CmaEsParameters.of(n, lambda, true);
                double positive = 0;
                double negative = 0;
                for (int i = 0; i < lambda; i++) {
                    if (i < p.mu()) {
                        positive += p.weight(i);
                    } else {
                        negative -= p.weight(i);
                    }
                }
                assertEquals(1.0, positive, 1e-15);
                double alphaMu = 1 + p.c1() / p.cmu();
                double alphaPosDef = (1 - p.c1() - p.cmu()) / (n * p.cmu());
                assertEquals(true, negative <= Math.min(alphaMu, alphaPosDef) + 1e-12,
                        "n=" + n + " lambda=" + lambda + " negative sum " + negative);
            }
        }
    }

    @Test
    void of_passive_weightsAfterMuAreZero() {
        CmaEsParameters p = CmaEsParameters.of(10, 10, false);
        for (int i = p.mu(); i < 10; i++) {
            assertEquals(0.0, p.weight(i), 0.0);
        }
        assertEquals(1.0, p.weightSum(), 1e-15);
        assertEquals(1, p.eigenInterval());
    }

    @Test
    void of_highDimension_decomposesLazily() {
        // 1 / (10 n (c1 + cmu)) generations between eigendecompositions.
        CmaEsParameters p = CmaEsParameters.of(1000, CmaEsSettings.defaultPopulationSize(1000), true);
        assertEquals((int) Math.floor(1.0 / (10.0 * 1000 * (p.c1() + p.cmu()))), p.eigenInterval());
        assertEquals(true, p.eigenInterval() > 1);
    }

    @Test
    void of_invalidSizes_throw() {
        assertThrows(IllegalArgumentException.class, () -> CmaEsParameters.of(0, 10, true));
        assertThrows(IllegalArgumentException.class, () -> CmaEsParameters.of(5, 1, true));
    }
}

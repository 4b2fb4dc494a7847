package dev.evomerge.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Optimizer} promises, run against each implementation by a subclass: ask/tell bookkeeping,
 * candidates within bounds, failed candidates, seeding without hidden randomness, and a state that restores to an
 * optimizer continuing bit for bit like one that never stopped.
 */
public abstract class OptimizerContract {

    /** A fresh optimizer seeded with {@code seed}. */
    protected abstract Optimizer create(long seed);

    /** The optimizer a state came from. */
    protected abstract Optimizer restore(JsonNode state);

    /** The bounds the created optimizers search in. */
    protected abstract Bounds bounds();

    /** The score vector of a genome (one value per objective). */
    protected abstract double[] evaluate(double[] genome);

    private List<double[]> scores(List<double[]> genomes) {
        List<double[]> out = new ArrayList<>(genomes.size());
        for (double[] g : genomes) {
            out.add(evaluate(g));
        }
        return out;
    }

    /** Runs one generation and returns what was asked. */
    private List<double[]> step(Optimizer o) {
        List<double[]> asked = o.ask();
        o.tell(scores(asked));
        return asked;
    }

    private static void assertSameGenomes(List<double[]> expected, List<double[]> actual, String where) {
        assertEquals(expected.size(), actual.size(), where);
        for (int k = 0; k < expected.size(); k++) {
            double[] e = expected.get(k);
            double[] a = actual.get(k);
            assertEquals(e.length, a.length, where);
            for (int i = 0; i < e.length; i++) {
                assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]),
                        where + ", candidate " + k + ", coordinate " + i);
            }
        }
    }

    private static String text(Optimizer o) {
        return StateJson.write(o.state());
    }

    @Test
    void restore_afterGenerations_continuesBitForBit() {
        Optimizer uninterrupted = create(17);
        Optimizer interrupted = create(17);
        for (int g = 0; g < 7; g++) {
            assertSameGenomes(step(uninterrupted), step(interrupted), "generation " + g);
        }
        Optimizer resumed = restore(StateJson.parse(text(interrupted)));
        assertEquals(interrupted.generation(), resumed.generation());
        assertEquals(interrupted.evaluations(), resumed.evaluations());
        for (int g = 7; g < 20; g++) {
            assertSameGenomes(step(uninterrupted), step(resumed), "generation " + g);
        }
        assertEquals(text(uninterrupted), text(resumed));
        assertEquals(uninterrupted.paretoFront(), resumed.paretoFront());
        assertEquals(uninterrupted.best(), resumed.best());
    }

    @Test
    void restore_betweenAskAndTell_continuesBitForBit() {
        Optimizer uninterrupted = create(23);
        Optimizer interrupted = create(23);
        for (int g = 0; g < 4; g++) {
            step(uninterrupted);
            step(interrupted);
        }
        List<double[]> asked = interrupted.ask();
        Optimizer resumed = restore(StateJson.parse(text(interrupted)));
        assertSameGenomes(asked, resumed.ask(), "pending generation");
        resumed.tell(scores(asked));
        step(uninterrupted);
        for (int g = 5; g < 12; g++) {
            assertSameGenomes(step(uninterrupted), step(resumed), "generation " + g);
        }
        assertEquals(text(uninterrupted), text(resumed));
    }

    @Test
    void state_restoredAndWrittenAgain_isTheSameText() {
        Optimizer o = create(5);
        for (int g = 0; g < 3; g++) {
            step(o);
        }
        o.ask();
        String first = text(o);
        assertEquals(first, text(restore(StateJson.parse(first))));
        assertEquals(o.kind(), StateJson.parse(first).get("optimizer").textValue());
    }

    @Test
    void ask_twiceBeforeTell_returnsTheSameCandidates() {
        Optimizer o = create(3);
        step(o);
        List<double[]> first = o.ask();
        assertSameGenomes(first, o.ask(), "second ask");
        first.get(0)[0] = Double.NaN;   // callers get copies
        assertFalse(Double.isNaN(o.ask().get(0)[0]));
    }

    @Test
    void ask_everyGeneration_candidatesWithinBounds() {
        Optimizer o = create(29);
        for (int g = 0; g < 15; g++) {
            for (double[] x : step(o)) {
                assertTrue(bounds().contains(x), "generation " + g);
            }
        }
    }

    @Test
    void tell_withoutAsk_throws() {
        Optimizer o = create(1);
        assertThrows(IllegalStateException.class, () -> o.tell(List.of()));
    }

    @Test
    void tell_wrongNumberOfScores_throwsAndKeepsGeneration() {
        Optimizer o = create(1);
        List<double[]> asked = o.ask();
        List<double[]> scores = scores(asked);
        scores.removeLast();
        assertThrows(IllegalArgumentException.class, () -> o.tell(scores));
        assertEquals(0, o.generation());
        o.tell(scores(asked));
        assertEquals(1, o.generation());
        assertEquals(asked.size(), o.evaluations());
    }

    @Test
    void tell_someCandidatesFailed_searchGoesOnAndReportsOnlySuccesses() {
        Optimizer o = create(31);
        long evaluations = 0;
        for (int g = 0; g < 12; g++) {
            List<double[]> asked = o.ask();
            List<double[]> scores = scores(asked);
            for (int k = 0; k < scores.size(); k += 3) {
                double[] failed = new double[o.directions().size()];
                java.util.Arrays.fill(failed, Double.NaN);
                scores.set(k, failed);
            }
            o.tell(scores);
            evaluations += asked.size();
        }
        assertEquals(12, o.generation());
        assertEquals(evaluations, o.evaluations());
        assertFalse(o.paretoFront().isEmpty());
        for (Solution s : o.paretoFront()) {
            for (double v : s.score()) {
                assertTrue(Double.isFinite(v), s.toString());
            }
        }
        Optimizer resumed = restore(StateJson.parse(text(o)));
        assertEquals(text(o), text(resumed));
    }

    @Test
    void tell_everyCandidateFailed_searchGoesOn() {
        Optimizer o = create(37);
        for (int g = 0; g < 3; g++) {
            List<double[]> asked = o.ask();
            List<double[]> failed = new ArrayList<>();
            for (int k = 0; k < asked.size(); k++) {
                double[] f = new double[o.directions().size()];
                java.util.Arrays.fill(f, g % 2 == 0 ? Double.NaN : Double.POSITIVE_INFINITY);
                failed.add(f);
            }
            o.tell(failed);
        }
        assertEquals(3, o.generation());
        assertTrue(o.paretoFront().isEmpty());
        assertTrue(o.best().isEmpty());
        for (int g = 0; g < 3; g++) {
            step(o);
        }
        assertFalse(o.paretoFront().isEmpty());
    }

    @Test
    void create_sameSeedInterleaved_identical_otherSeedDiffers() {
        // Two runs stepped alternately in one thread would diverge if anything drew from shared randomness.
        Optimizer a = create(41);
        Optimizer b = create(41);
        Optimizer c = create(42);
        boolean differs = false;
        for (int g = 0; g < 6; g++) {
            List<double[]> fromA = step(a);
            List<double[]> fromC = step(c);
            assertSameGenomes(fromA, step(b), "generation " + g);
            differs |= fromA.size() != fromC.size() || !java.util.Arrays.equals(fromA.get(0), fromC.get(0));
        }
        assertTrue(differs, "another seed should give other candidates");
        assertNotEquals(text(a), text(c));
    }
}

package dev.evomerge.search.nsga2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.search.Direction;
import dev.evomerge.search.Xoshiro256;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * NSGA-II's survivor cut against pymoo's {@code RankAndCrowding} survival on 60 fixed populations
 * (src/test/reference/nsga2/generate.py), each a cut that Deb's rule alone decides.
 */
class CrowdedSurvivalTest {

    private static JsonNode cases() throws IOException {
        try (InputStream in = CrowdedSurvivalTest.class.getResourceAsStream("/nsga2/rank_and_crowding.json")) {
            return new ObjectMapper().readTree(in).get("cases");
        }
    }

    private static List<Direction> directions(JsonNode c) {
        List<Direction> d = new ArrayList<>();
        for (JsonNode n : c.get("directions")) {
            d.add(n.asText().equals("maximize") ? Direction.MAXIMIZE : Direction.MINIMIZE);
        }
        return d;
    }

    /** The case's scores, minimised objectives negated (what the cut sees). */
    private static List<double[]> maximised(JsonNode c) {
        List<Direction> directions = directions(c);
        List<double[]> scores = new ArrayList<>();
        for (JsonNode row : c.get("scores")) {
            double[] v = new double[row.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = directions.get(i) == Direction.MINIMIZE ? -row.get(i).asDouble() : row.get(i).asDouble();
            }
            scores.add(v);
        }
        return scores;
    }

    @Test
    void survivors_fixedPopulations_areThoseOfPymoosRankAndCrowding() throws IOException {
        int checked = 0;
        for (JsonNode c : cases()) {
            int[] expected = new int[c.get("survivors").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = c.get("survivors").get(i).asInt();
            }
            for (long seed = 0; seed < 4; seed++) {
                CrowdedSurvival.Survivors cut = CrowdedSurvival.cut(maximised(c), c.get("keep").asInt(),
                        Xoshiro256.seeded(seed));
                assertArrayEquals(expected, IntStream.of(cut.members()).sorted().toArray(),
                        "case " + checked + ": " + c.get("scores"));
                for (int k = 0; k < cut.members().length; k++) {
                    int i = cut.members()[k];
                    assertEquals(c.get("rank").get(i).asInt(), cut.rank()[k], "case " + checked + " member " + i);
                    JsonNode d = c.get("crowding").get(i);
                    double want = d.isTextual() ? Double.POSITIVE_INFINITY : d.asDouble();
                    assertEquals(want, cut.crowding()[k], 1e-12, "case " + checked + " member " + i);
                    if (k > 0) {
                        boolean ordered = cut.rank()[k - 1] < cut.rank()[k] || cut.rank()[k - 1] == cut.rank()[k]
                                && cut.crowding()[k - 1] >= cut.crowding()[k];
                        assertTrue(ordered, "case " + checked + ": survivors best first");
                    }
                }
            }
            checked++;
        }
        assertTrue(checked >= 60, "cases " + checked);
    }

    @Test
    void cut_tieInsideTheSplitFront_isBrokenByTheGenerator() {
        // four mutually non-dominated points on a line: both ends infinite, the two inner ones equally crowded
        List<double[]> scores = List.of(new double[] {0, 3}, new double[] {1, 2}, new double[] {2, 1},
                new double[] {3, 0});
        Set<Integer> thirds = new HashSet<>();
        for (long seed = 0; seed < 32; seed++) {
            int[] members = CrowdedSurvival.cut(scores, 3, Xoshiro256.seeded(seed)).members();
            assertEquals(Set.of(0, 3), Set.of(members[0], members[1]));
            thirds.add(members[2]);
            assertArrayEquals(members, CrowdedSurvival.cut(scores, 3, Xoshiro256.seeded(seed)).members());
        }
        assertEquals(Set.of(1, 2), thirds);
    }

    @Test
    void tournament_comparesRankThenCrowdingThenACoin() {
        int[] rank = {0, 0, 1};
        double[] crowding = {2.0, 2.0, Double.POSITIVE_INFINITY};
        int[] wins = new int[3];
        Xoshiro256 random = Xoshiro256.seeded(7);
        for (int k = 0; k < 90_000; k++) {
            wins[CrowdedSurvival.tournament(rank, crowding, random)]++;
        }
        // member 2 wins only against itself (1/9); members 0 and 1 share the rest by coin and by draw (4/9 each)
        assertEquals(10_000, wins[2], 400);
        assertEquals(40_000, wins[0], 800);
        assertEquals(40_000, wins[1], 800);
    }
}

package dev.evomerge.search.nsga2;

import io.jenetics.ext.moea.Pareto;
import io.jenetics.ext.moea.Vec;
import io.jenetics.util.ISeq;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * NSGA-II's survivor cut and crowded tournament as Deb, Pratap, Agarwal and Meyarivan (IEEE TEC 6(2), 2002) define
 * them. Jenetics ranks the members (fast non-dominated sorting, {@link Pareto#rank}); the crowding distance is
 * computed here, per front: for each objective the front is sorted by its value, its two boundary members get an
 * infinite distance, and every other member adds the gap between its neighbours divided by the objective's range
 * on the front. An objective on which the whole front is equal adds nothing. Fronts are taken whole in rank order;
 * the front that does not fit is cut by descending crowding distance, members with equal distance in an order the
 * seeded generator draws. Scores are maximised (minimised objectives arrive negated). Stateless.
 */
final class CrowdedSurvival {

    private CrowdedSurvival() {
    }

    /**
     * The survivors of a cut, best first (rank ascending, then crowding distance descending), each with the rank
     * and crowding distance its front gave it before the cut.
     *
     * @param members indices into the cut population
     */
    record Survivors(int[] members, int[] rank, double[] crowding) {
    }

    /**
     * Cuts {@code scores} (maximised, all finite) to {@code keep} members.
     *
     * @throws IllegalArgumentException if {@code keep} is negative or above the number of scores
     */
    static Survivors cut(List<double[]> scores, int keep, RandomGenerator random) {
        int n = scores.size();
        if (keep < 0 || keep > n) {
            throw new IllegalArgumentException("cannot keep " + keep + " of " + n);
        }
        List<Vec<double[]>> vecs = new ArrayList<>(n);
        for (double[] s : scores) {
            vecs.add(Vec.of(s));
        }
        int[] rank = n == 0 ? new int[0] : Pareto.rank(ISeq.of(vecs));
        int fronts = Arrays.stream(rank).max().orElse(-1) + 1;
        List<List<Integer>> byRank = new ArrayList<>(fronts);
        for (int r = 0; r < fronts; r++) {
            byRank.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            byRank.get(rank[i]).add(i);
        }
        int[] members = new int[keep];
        int[] ranks = new int[keep];
        double[] crowding = new double[keep];
        int filled = 0;
        for (int r = 0; r < fronts && filled < keep; r++) {
            List<Integer> front = byRank.get(r);
            List<double[]> frontScores = new ArrayList<>(front.size());
            for (int i : front) {
                frontScores.add(scores.get(i));
            }
            double[] distance = crowdingDistance(frontScores);
            Integer[] order = new Integer[front.size()];
            for (int k = 0; k < order.length; k++) {
                order[k] = k;
            }
            boolean split = filled + front.size() > keep;
            if (split) {
                shuffle(order, random);
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer k) -> distance[k]).reversed());
            for (int k = 0; k < order.length && filled < keep; k++) {
                members[filled] = front.get(order[k]);
                ranks[filled] = r;
                crowding[filled] = distance[order[k]];
                filled++;
            }
        }
        return new Survivors(members, ranks, crowding);
    }

    /**
     * Deb's crowding distance of each member of one front. Each objective sorts the front from best to worst
     * (maximised scores in descending order), members with equal values in index order, which decides which of
     * several equal extreme members is the boundary one (the order pymoo's minimising sort gives).
     */
    static double[] crowdingDistance(List<double[]> front) {
        int n = front.size();
        double[] distance = new double[n];
        if (n == 0) {
            return distance;
        }
        int m = front.getFirst().length;
        Integer[] order = new Integer[n];
        for (int j = 0; j < m; j++) {
            int objective = j;
            for (int k = 0; k < n; k++) {
                order[k] = k;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer k) -> -front.get(k)[objective]));
            double range = front.get(order[0])[j] - front.get(order[n - 1])[j];
            if (range == 0) {
                continue;
            }
            distance[order[0]] = Double.POSITIVE_INFINITY;
            distance[order[n - 1]] = Double.POSITIVE_INFINITY;
            for (int k = 1; k < n - 1; k++) {
                distance[order[k]] += (front.get(order[k - 1])[j] - front.get(order[k + 1])[j]) / range;
            }
        }
        if (n <= 2) {
            Arrays.fill(distance, Double.POSITIVE_INFINITY);
        }
        return distance;
    }

    /**
     * Deb's crowded binary tournament: two members drawn uniformly (with replacement); the lower rank wins, then the
     * larger crowding distance, then a fair coin from {@code random}.
     *
     * @return the winner's index
     */
    static int tournament(int[] rank, double[] crowding, RandomGenerator random) {
        int a = random.nextInt(rank.length);
        int b = random.nextInt(rank.length);
        if (rank[a] != rank[b]) {
            return rank[a] < rank[b] ? a : b;
        }
        int byCrowding = Double.compare(crowding[a], crowding[b]);
        if (byCrowding != 0) {
            return byCrowding > 0 ? a : b;
        }
        return random.nextBoolean() ? a : b;
    }

    private static void shuffle(Integer[] order, RandomGenerator random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}

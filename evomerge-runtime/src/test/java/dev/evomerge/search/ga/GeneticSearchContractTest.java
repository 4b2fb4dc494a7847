package dev.evomerge.search.ga;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.search.Bounds;
import dev.evomerge.search.Direction;
import dev.evomerge.search.Optimizer;
import dev.evomerge.search.OptimizerContract;
import dev.evomerge.search.Xoshiro256;

/**
 * The optimizer contract for a genetic search over a data-flow-like genome: six indicator slots (unbounded, as the
 * DFS space declares them) then four scales in [0, 2], maximising.
 */
class GeneticSearchContractTest extends OptimizerContract {

    private static final Bounds BOUNDS = new Bounds(
            new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0, 0, 0},
            new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 2, 2, 2, 2});

    @Override
    protected Optimizer create(long seed) {
        GenomeEncoding encoding = new GenomeEncoding(BOUNDS, new int[] {0, 1, 2, 3, 4, 5});
        return GeneticSearch.start(GeneticSettings.of(encoding).withDirection(Direction.MAXIMIZE)
                .withPopulationSize(12), Xoshiro256.seeded(seed));
    }

    @Override
    protected Optimizer restore(JsonNode state) {
        return GeneticSearch.restore(state);
    }

    @Override
    protected Bounds bounds() {
        return BOUNDS;
    }

    /** Rewards slots 0, 2, 3 on and the others off, and scales near 1.3. */
    @Override
    protected double[] evaluate(double[] x) {
        double f = 0;
        boolean[] wanted = {true, false, true, true, false, false};
        for (int i = 0; i < 6; i++) {
            f += (x[i] > 0) == wanted[i] ? 1 : 0;
        }
        for (int i = 6; i < 10; i++) {
            f -= (x[i] - 1.3) * (x[i] - 1.3);
        }
        return new double[] {f};
    }
}

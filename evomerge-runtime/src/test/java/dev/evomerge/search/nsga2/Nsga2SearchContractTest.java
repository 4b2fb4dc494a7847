package dev.evomerge.search.nsga2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.search.Bounds;
import dev.evomerge.search.Direction;
import dev.evomerge.search.Optimizer;
import dev.evomerge.search.OptimizerContract;
import dev.evomerge.search.Xoshiro256;
import dev.evomerge.search.ga.GenomeEncoding;
import java.util.List;

/**
 * The optimizer contract for NSGA-II with mixed directions over a data-flow-like genome: maximise a task score,
 * minimise the path length (the number of slots on), as evolutionary-merge.md section 3 allows.
 */
class Nsga2SearchContractTest extends OptimizerContract {

    private static final Bounds BOUNDS = new Bounds(new double[] {-1, -1, -1, -1, -1, 0, 0, 0},
            new double[] {1, 1, 1, 1, 1, 2, 2, 2});

    @Override
    protected Optimizer create(long seed) {
        GenomeEncoding encoding = new GenomeEncoding(BOUNDS, new int[] {0, 1, 2, 3, 4});
        return Nsga2Search.start(Nsga2Settings.of(encoding, List.of(Direction.MAXIMIZE, Direction.MINIMIZE))
                .withPopulationSize(12), Xoshiro256.seeded(seed));
    }

    @Override
    protected Optimizer restore(JsonNode state) {
        return Nsga2Search.restore(state);
    }

    @Override
    protected Bounds bounds() {
        return BOUNDS;
    }

    @Override
    protected double[] evaluate(double[] x) {
        double score = 0;
        int length = 0;
        for (int i = 0; i < 5; i++) {
            if (x[i] > 0) {
                length++;
                score += (i + 1) * x[5 + i % 3];
            }
        }
        return new double[] {score - (x[6] - 1) * (x[6] - 1), length};
    }
}

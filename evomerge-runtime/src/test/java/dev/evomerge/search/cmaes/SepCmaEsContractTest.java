package dev.evomerge.search.cmaes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.search.Bounds;
import dev.evomerge.search.Optimizer;
import dev.evomerge.search.OptimizerContract;
import dev.evomerge.search.Xoshiro256;

/** The optimizer contract for a bounded separable CMA-ES on a shifted ellipsoid whose optimum lies on a bound. */
class SepCmaEsContractTest extends OptimizerContract {

    private static final Bounds BOUNDS = new Bounds(new double[] {0, 0, -1, -5, 0}, new double[] {1, 1, 1, 5, 2});

    @Override
    protected Optimizer create(long seed) {
        double[] x0 = {0.5, 0.5, 0.0, 0.0, 1.0};
        return SepCmaEs.start(CmaEsSettings.of(x0, 0.3).withBounds(BOUNDS).withPopulationSize(8),
                Xoshiro256.seeded(seed));
    }

    @Override
    protected Optimizer restore(JsonNode state) {
        return SepCmaEs.restore(state);
    }

    @Override
    protected Bounds bounds() {
        return BOUNDS;
    }

    @Override
    protected double[] evaluate(double[] x) {
        double f = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - 1.2;
            f += (i + 1) * d * d;
        }
        return new double[] {f};
    }
}

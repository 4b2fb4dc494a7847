package dev.evomerge.search.cmaes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.search.Bounds;
import dev.evomerge.search.Optimizer;
import dev.evomerge.search.OptimizerContract;
import dev.evomerge.search.Xoshiro256;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The optimizer contract for both CMA-ES variants, full and separable, bounded, on a shifted ellipsoid whose optimum
 * lies on a bound.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("variants")
class CmaEsContractTest extends OptimizerContract {

    private static final Bounds BOUNDS = new Bounds(new double[] {0, 0, -1, -5, 0}, new double[] {1, 1, 1, 5, 2});

    @Parameter(0)
    String variant;
    @Parameter(1)
    BiFunction<CmaEsSettings, Xoshiro256, Optimizer> start;
    @Parameter(2)
    Function<JsonNode, Optimizer> restorer;

    static Stream<Arguments> variants() {
        BiFunction<CmaEsSettings, Xoshiro256, Optimizer> full = CmaEs::start;
        BiFunction<CmaEsSettings, Xoshiro256, Optimizer> separable = SepCmaEs::start;
        Function<JsonNode, Optimizer> fullRestore = CmaEs::restore;
        Function<JsonNode, Optimizer> separableRestore = SepCmaEs::restore;
        return Stream.of(Arguments.of(CmaEs.KIND, full, fullRestore),
                Arguments.of(SepCmaEs.KIND, separable, separableRestore));
    }

    @Override
    protected Optimizer create(long seed) {
        double[] x0 = {0.5, 0.5, 0.0, 0.0, 1.0};
        return start.apply(CmaEsSettings.of(x0, 0.3).withBounds(BOUNDS).withPopulationSize(8),
                Xoshiro256.seeded(seed));
    }

    @Override
    protected Optimizer restore(JsonNode state) {
        return restorer.apply(state);
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

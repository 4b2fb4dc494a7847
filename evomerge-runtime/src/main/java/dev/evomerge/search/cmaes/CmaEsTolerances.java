package dev.evomerge.search.cmaes;

/**
 * CMA-ES's own termination criteria (Hansen's tutorial, appendix B.3; defaults as pycma's). The search reports a
 * criterion through {@link CmaEs#termination()}; whether to stop is the run loop's decision. Besides these, the
 * {@code noeffectaxis} and {@code noeffectcoord} criteria (the mean no longer moves in floating point) are always
 * checked. Immutable.
 *
 * @param tolFun stop when the range of the best costs of the last {@code 10 + ceil(30 n / lambda)} generations and
 *     all costs of the current one is below this ({@code tolfun}); pycma: 1e-11
 * @param tolX stop when {@code sigma * max(|pc_i|, sqrt(C_ii)) < tolX * sigma0} for every coordinate
 *     ({@code tolx}); relative to sigma0, as the tutorial's {@code 1e-12 sigma0}; default 1e-11
 * @param tolUpSigma stop when {@code sigma / sigma0 > tolUpSigma * sqrt(max eigenvalue of C)}, a sign of divergence
 *     ({@code tolupsigma}); pycma: 1e20
 * @param maxCondition stop when the condition number of C exceeds this ({@code conditioncov}); pycma: 1e14
 */
public record CmaEsTolerances(double tolFun, double tolX, double tolUpSigma, double maxCondition) {

    public CmaEsTolerances {
        requirePositive(tolFun, "tolFun");
        requirePositive(tolX, "tolX");
        requirePositive(tolUpSigma, "tolUpSigma");
        requirePositive(maxCondition, "maxCondition");
    }

    /** The defaults: tolFun 1e-11, tolX 1e-11 (times sigma0), tolUpSigma 1e20, maxCondition 1e14. */
    public static CmaEsTolerances defaults() {
        return new CmaEsTolerances(1e-11, 1e-11, 1e20, 1e14);
    }

    private static void requirePositive(double value, String name) {
        if (!(value > 0) || Double.isNaN(value)) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}

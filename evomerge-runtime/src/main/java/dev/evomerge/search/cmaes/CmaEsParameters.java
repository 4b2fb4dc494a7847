package dev.evomerge.search.cmaes;

/**
 * CMA-ES's strategy constants for dimension n and population lambda, as Hansen's tutorial ("The CMA Evolution
 * Strategy: A Tutorial", arXiv:1604.00772, Table 1 and equations (49)-(58)) sets them. Derived from the settings
 * only, in a fixed order with {@link StrictMath}, so a restored optimizer recomputes the same bits. Immutable.
 *
 * <p>Two choices follow pycma 4.x where the tutorial's revisions differ: {@code c_mu} includes the {@code 1/4}
 * offset in its numerator, and the weights are normalised as the tutorial's equation (53).
 *
 * @param n dimension
 * @param lambda population size
 * @param mu number of positive weights, {@code floor(lambda / 2)}
 * @param weights recombination weights by rank (best first): mu positive ones summing to 1, then the rest negative
 *     (active CMA) or zero
 * @param mueff variance effective selection mass of the positive weights
 * @param cc learning rate of the covariance path
 * @param cs learning rate of the step-size path
 * @param c1 rank-one learning rate
 * @param cmu rank-mu learning rate
 * @param damps step-size damping
 * @param chiN expected length of an n-dimensional standard normal vector
 * @param eigenInterval generations between eigendecompositions of C (the tutorial's lazy update)
 */
public record CmaEsParameters(int n, int lambda, int mu, double[] weights, double mueff, double cc, double cs,
        double c1, double cmu, double damps, double chiN, int eigenInterval) {

    /** The constants for dimension {@code n}, population {@code lambda}, with or without negative weights. */
    public static CmaEsParameters of(int n, int lambda, boolean activeCovariance) {
        if (n <= 0 || lambda < 2) {
            throw new IllegalArgumentException("need n > 0 and lambda >= 2, got " + n + ", " + lambda);
        }
        int mu = lambda / 2;
        double[] raw = new double[lambda];
        double logHalf = StrictMath.log((lambda + 1) / 2.0);
        double sumPositive = 0.0;
        double sumPositiveSquares = 0.0;
        double sumNegative = 0.0;
        double sumNegativeSquares = 0.0;
        for (int i = 0; i < lambda; i++) {
            raw[i] = logHalf - StrictMath.log(i + 1);
            if (i < mu) {
                sumPositive += raw[i];
                sumPositiveSquares += raw[i] * raw[i];
            } else {
                sumNegative += raw[i];
                sumNegativeSquares += raw[i] * raw[i];
            }
        }
        double mueff = sumPositive * sumPositive / sumPositiveSquares;
        double mueffMinus = sumNegativeSquares > 0 ? sumNegative * sumNegative / sumNegativeSquares : 0.0;

        double alphaCov = 2.0;
        double cc = (4.0 + mueff / n) / (n + 4.0 + 2.0 * mueff / n);
        double cs = (mueff + 2.0) / (n + mueff + 5.0);
        double c1 = alphaCov / ((n + 1.3) * (n + 1.3) + mueff);
        double cmu = Math.min(1.0 - c1, alphaCov * (0.25 + mueff + 1.0 / mueff - 2.0)
                / ((n + 2.0) * (n + 2.0) + alphaCov * mueff / 2.0));
        double damps = 1.0 + 2.0 * Math.max(0.0, Math.sqrt((mueff - 1.0) / (n + 1.0)) - 1.0) + cs;
        double chiN = Math.sqrt(n) * (1.0 - 1.0 / (4.0 * n) + 1.0 / (21.0 * n * n));

        double[] weights = new double[lambda];
        for (int i = 0; i < mu; i++) {
            weights[i] = raw[i] / sumPositive;
        }
        if (activeCovariance && sumNegative < 0) {
            // Equation (53): scale the negative weights by the smallest of the three limits, so that the update
            // keeps C positive definite and the negative mass matches the positive one.
            double alphaMu = 1.0 + c1 / cmu;
            double alphaMueff = 1.0 + 2.0 * mueffMinus / (mueff + 2.0);
            double alphaPosDef = (1.0 - c1 - cmu) / (n * cmu);
            double scale = Math.min(alphaMu, Math.min(alphaMueff, alphaPosDef)) / -sumNegative;
            for (int i = mu; i < lambda; i++) {
                weights[i] = raw[i] * scale;
            }
        }
        int eigenInterval = (int) Math.max(1.0, Math.floor(1.0 / (10.0 * n * (c1 + cmu))));
        return new CmaEsParameters(n, lambda, mu, weights, mueff, cc, cs, c1, cmu, damps, chiN, eigenInterval);
    }

    public CmaEsParameters {
        weights = weights.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** The weight of rank {@code i} (0 = best). */
    public double weight(int i) {
        return weights[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CmaEsParameters p && n == p.n && lambda == p.lambda && mu == p.mu
                && java.util.Arrays.equals(weights, p.weights) && Double.compare(mueff, p.mueff) == 0
                && Double.compare(cc, p.cc) == 0 && Double.compare(cs, p.cs) == 0 && Double.compare(c1, p.c1) == 0
                && Double.compare(cmu, p.cmu) == 0 && Double.compare(damps, p.damps) == 0
                && Double.compare(chiN, p.chiN) == 0 && eigenInterval == p.eigenInterval;
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(weights) + java.util.Objects.hash(n, lambda, mueff, cc, cs, c1, cmu);
    }

    @Override
    public String toString() {
        return "CmaEsParameters[n=" + n + ", lambda=" + lambda + ", mu=" + mu + ", weights="
                + java.util.Arrays.toString(weights) + ", mueff=" + mueff + ", cc=" + cc + ", cs=" + cs + ", c1=" + c1
                + ", cmu=" + cmu + ", damps=" + damps + ", chiN=" + chiN + ", eigenInterval=" + eigenInterval + "]";
    }

    /** The sum of all weights (1 without active CMA, less with it). */
    public double weightSum() {
        double s = 0.0;
        for (double w : weights) {
            s += w;
        }
        return s;
    }
}

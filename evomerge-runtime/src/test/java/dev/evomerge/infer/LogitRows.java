package dev.evomerge.infer;

/** The plain scalar reference the scoring tests check against: one row of logits, read in double precision. */
final class LogitRows {

    private LogitRows() {
    }

    /** {@code log Σ exp(row)}, so that {@code row[token] - logSumExp(row)} is the token's log-probability. */
    static double logSumExp(float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : row) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    /** The index of the largest logit, the first one among equals. */
    static int argMax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}

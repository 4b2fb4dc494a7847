package dev.evomerge.search;

/**
 * Whether an objective is minimised or maximised. Optimizers keep the caller's scores as given and use this to
 * rank them; a non-finite score ({@code NaN} or an infinity) marks a failed candidate and ranks below every finite
 * score in either direction.
 */
public enum Direction {
    MINIMIZE("minimize"),
    MAXIMIZE("maximize");

    private final String key;

    Direction(String key) {
        this.key = key;
    }

    /** The name used in state JSON and configs: {@code minimize} or {@code maximize}. */
    public String key() {
        return key;
    }

    /** The direction named {@code key}; the inverse of {@link #key()}. */
    public static Direction ofKey(String key) {
        for (Direction d : values()) {
            if (d.key.equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException("direction must be minimize or maximize, got " + key);
    }

    /** The worst possible score: {@code +inf} when minimising, {@code -inf} when maximising. */
    public double worst() {
        return this == MINIMIZE ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** The score as given when it is finite, otherwise {@link #worst()} (a failed candidate). */
    public double sanitize(double score) {
        return Double.isFinite(score) ? score : worst();
    }

    /**
     * The score as a cost to minimise: the score itself when minimising, its negation when maximising, and
     * {@code +inf} for a failed (non-finite) score.
     */
    public double toCost(double score) {
        if (!Double.isFinite(score)) {
            return Double.POSITIVE_INFINITY;
        }
        return this == MINIMIZE ? score : -score;
    }

    /** Whether score {@code a} is strictly better than score {@code b}, failed scores being the worst. */
    public boolean isBetter(double a, double b) {
        return toCost(a) < toCost(b);
    }
}

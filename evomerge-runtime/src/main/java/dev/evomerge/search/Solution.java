package dev.evomerge.search;

import java.util.Arrays;

/**
 * An evaluated genome: the genome as the optimizer asked for it and the score vector it was told (one value per
 * objective; a failed candidate's values are the worst of each objective's direction). Immutable; the arrays are
 * copied in and out.
 *
 * @param genome the candidate, within the optimizer's bounds
 * @param score one value per objective
 * @param generation the generation in which it was evaluated (0 for the first)
 */
public record Solution(double[] genome, double[] score, long generation) {

    public Solution {
        if (genome.length == 0 || score.length == 0) {
            throw new IllegalArgumentException("genome and score must not be empty");
        }
        if (generation < 0) {
            throw new IllegalArgumentException("generation must be >= 0, got " + generation);
        }
        genome = genome.clone();
        score = score.clone();
    }

    @Override
    public double[] genome() {
        return genome.clone();
    }

    @Override
    public double[] score() {
        return score.clone();
    }

    /** The single objective's score; for a one-objective solution. */
    public double fitness() {
        if (score.length != 1) {
            throw new IllegalStateException("fitness() needs one objective, this solution has " + score.length);
        }
        return score[0];
    }

    /** Bit-exact equality of genome and score, and the same generation. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Solution s && generation == s.generation && Arrays.equals(genome, s.genome)
                && Arrays.equals(score, s.score);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(genome) + Arrays.hashCode(score)) + Long.hashCode(generation);
    }

    @Override
    public String toString() {
        return "Solution[genome=" + Arrays.toString(genome) + ", score=" + Arrays.toString(score) + ", generation="
                + generation + "]";
    }
}

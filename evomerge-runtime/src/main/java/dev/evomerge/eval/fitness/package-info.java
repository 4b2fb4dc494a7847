/**
 * What a search optimizes: a candidate's {@link dev.evomerge.eval.fitness.Scores} (task → metric → value), the
 * {@link dev.evomerge.eval.fitness.Objective}s chosen from them, each with a weight and a direction, and the
 * {@link dev.evomerge.eval.fitness.Fitness} that turns scores into the numbers an optimizer compares.
 */
package dev.evomerge.eval.fitness;

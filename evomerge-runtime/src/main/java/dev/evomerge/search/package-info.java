/**
 * Search: the ask/tell {@link dev.evomerge.search.Optimizer} interface every optimizer implements, its score
 * {@link dev.evomerge.search.Direction}s, genome {@link dev.evomerge.search.Bounds} and evaluated
 * {@link dev.evomerge.search.Solution}s, the checkpointable random generator
 * ({@link dev.evomerge.search.Xoshiro256}), exact optimizer state JSON ({@link dev.evomerge.search.StateJson}) and
 * composable {@link dev.evomerge.search.StopCondition}s. The optimizers themselves live in {@code search.cmaes},
 * {@code search.ga} and {@code search.nsga2}. Layer 8.
 */
package dev.evomerge.search;

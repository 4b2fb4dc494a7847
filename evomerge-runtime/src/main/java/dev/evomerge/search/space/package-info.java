/**
 * Genome spaces as codecs between the optimizers' real vectors and merge candidates ({@code evolutionary-merge.md}
 * §1–§3):
 * <ul>
 *   <li>{@link dev.evomerge.search.space.ParameterSpace}: a {@code genome:} section
 *       ({@link dev.evomerge.search.space.GenomeDefinition}) over models of a given layer count; vectors decode to
 *       mergekit configs exactly as mergekit-evolve's {@code genotype_merge_config} does.</li>
 *   <li>{@link dev.evomerge.search.space.DataFlowSpace}: a {@code dfs:} section
 *       ({@link dev.evomerge.search.space.DataFlowSettings}) over models given by layer count and tie flag
 *       ({@link dev.evomerge.search.space.DataFlowModel}); vectors decode to {@link dev.evomerge.dataflow.LayerPath}s.
 *       In a hybrid run the parameter-space result is one of those models.</li>
 *   <li>The export of a path as a mergekit passthrough recipe ({@link dev.evomerge.search.space.DataFlowRecipe})
 *       and as a standard checkpoint with the scales folded in
 *       ({@link dev.evomerge.search.space.DataFlowCheckpoint}), which agree tensor for tensor with mergekit.</li>
 *   <li>{@link dev.evomerge.search.space.RecipeHash}: the stable identity of a decoded recipe.</li>
 * </ul>
 * Each space gives its dimension, per-gene bounds, start points and decoding
 * ({@link dev.evomerge.search.space.GenomeSpace}); optimizers and the run loop live elsewhere in {@code search}.
 * Layer 8: imports {@code config}, {@code dfs}, {@code model}, {@code tensor} and below, never {@code infer}.
 */
package dev.evomerge.search.space;

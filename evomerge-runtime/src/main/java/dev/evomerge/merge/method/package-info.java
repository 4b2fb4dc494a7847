/**
 * The merge methods: the {@link dev.evomerge.merge.method.MergeMethod} interface (name, parameters as
 * {@link dev.evomerge.merge.method.ParameterDefinition} data, reference URL, per-tensor kernel), one final class per
 * method, and the explicit {@link dev.evomerge.merge.method.MergeMethods} registry. Each method declares how many
 * inputs it merges ({@code Arity}), what it does with the base model ({@link dev.evomerge.merge.method.BaseModelUse})
 * and how the shapes must agree ({@code ShapeRule}); {@code AbstractMergeMethod} checks those once per call and hands
 * the method's own code a {@code CheckedSpec}, and passes a tensor only one model has through. Each kernel follows
 * {@code docs/mergekit-semantics.md} §2 and the mergekit function its javadoc names. Task-vector methods share
 * {@code TaskVectorMethod} (one kernel, run a block at a time or over the whole tensor as one block) and its
 * sparsifiers; the RAM methods share {@code RamMethod}; rank selection is linear-time ({@code RankSelection}).
 */
package dev.evomerge.merge.method;

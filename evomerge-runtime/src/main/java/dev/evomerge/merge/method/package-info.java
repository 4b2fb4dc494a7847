/**
 * The merge methods: the {@link dev.evomerge.merge.method.MergeMethod} interface (name, parameters as
 * {@link dev.evomerge.merge.method.ParameterDefinition} data, reference URL, per-tensor kernel), one final class per
 * method, and the explicit {@link dev.evomerge.merge.method.MergeMethods} registry. Each kernel follows
 * {@code docs/mergekit-semantics.md} §2 and the mergekit function its javadoc names. Task-vector methods share
 * {@code TaskVectorMethod} and its sparsifiers; rank selection is linear-time ({@code RankSelection}).
 */
package dev.evomerge.merge.method;

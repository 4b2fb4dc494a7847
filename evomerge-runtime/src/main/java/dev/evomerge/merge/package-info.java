/**
 * The merge engine's vocabulary: what one output tensor is merged from ({@link dev.evomerge.merge.TensorMergeSpec},
 * {@link dev.evomerge.merge.TensorMergeInput}, {@link dev.evomerge.merge.InputTensor},
 * {@link dev.evomerge.merge.ParameterValues}), the result ({@link dev.evomerge.merge.MergedTensor}), and the
 * counter-based generator stochastic methods draw from ({@link dev.evomerge.merge.CounterRandom}). The methods
 * themselves live in {@code dev.evomerge.merge.method}; the planner and the streaming executor live here.
 */
package dev.evomerge.merge;

/**
 * The transformer blocks on DJL NDArrays (PyTorch engine), one class per block, each holding its weights with their
 * shapes in comments: {@link dev.evomerge.infer.block.RmsNorm}, {@link dev.evomerge.infer.block.RotaryEmbedding},
 * {@link dev.evomerge.infer.block.Attention} (grouped-query, optional biases, q/k norms and sliding window),
 * {@link dev.evomerge.infer.block.Mlp} (SwiGLU) and {@link dev.evomerge.infer.block.DecoderLayer} (pre-norm residual
 * block, with the data-flow scale on its MLP output). {@link dev.evomerge.infer.block.ForwardPass} carries what one
 * forward call shares across layers (its NDManager, padding, positions, masks, rotary tables) and
 * {@link dev.evomerge.infer.block.KvCache} one layer's keys and values. {@link dev.evomerge.infer.block.Projection} is
 * a linear layer: PyTorch's {@code linear}, or for a decode step's few rows the panel kernel on the JDK's vector API
 * (a panel-ordered copy of the weight); a decode step then runs its layer on the heap ({@code DecoderLayer.decode},
 * attention in {@code ColumnAttention}), with the same formulas. That heap path is a second writing of the blocks'
 * arithmetic, kept on purpose: a decode step of a few rows costs more in PyTorch's per-call overhead than in its
 * arithmetic, so the step runs without calling it; {@code DecodePathsTest} holds the two paths to the same greedy
 * tokens on every family's goldens, and a change to a block's formula goes into both.
 *
 * <p>Memory: every array a block creates is derived from its input and so lives in the forward call's manager,
 * never in the weights' manager (which is capped after loading, so a mistake fails fast).
 */
package dev.evomerge.infer.block;

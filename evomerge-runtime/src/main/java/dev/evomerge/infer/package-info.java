/**
 * Running causal language models in process, on DJL's PyTorch engine: {@link dev.evomerge.infer.InferenceEngine}
 * (the engine, its thread setting and the root of every NDManager), {@link dev.evomerge.infer.LoadedModel} (one
 * model's weights, copied once from a {@link dev.evomerge.tensor.TensorSource}), {@link dev.evomerge.infer.CausalLm}
 * (a plain model or a data-flow {@link dev.evomerge.dataflow.LayerPath} over loaded models, with batched greedy
 * generation and log-likelihood scoring at the token level) and {@link dev.evomerge.infer.Tokenizer} (Hugging Face
 * tokenizers through DJL). The blocks are in {@code infer.block}, the families' config reading in
 * {@code infer.family}.
 *
 * {@snippet :
 * try (InferenceEngine engine = InferenceEngine.cpu(2);
 *      LoadedModel model = engine.load(modelDir);
 *      Tokenizer tokenizer = Tokenizer.load(modelDir)) {
 *     CausalLm lm = CausalLm.of(model);
 *     List<Generation> out = lm.generate(List.of(tokenizer.encode("2 + 2 =")),
 *             GenerationOptions.greedy(16).withStopTokens(tokenizer.eosTokenIds()), 8);
 *     String text = tokenizer.decode(out.getFirst().tokens());
 * }
 * }
 *
 * <p>Memory: the engine's root manager holds one sub-manager per loaded model (capped once loaded) and one per
 * request; each forward call and each layer opens a further sub-manager closed as soon as it is done, so memory
 * stays flat over thousands of candidate evaluations.
 */
package dev.evomerge.infer;

/**
 * The model as evaluation sees it: {@link dev.evomerge.eval.lm.LanguageModel} (lm-evaluation-harness's
 * {@code loglikelihood} and {@code generate_until} requests, and the chat template), implemented in process by
 * {@link dev.evomerge.eval.lm.InProcessLanguageModel} on {@code dev.evomerge.infer}, with
 * {@link dev.evomerge.eval.lm.ModelChatTemplate} and {@link dev.evomerge.eval.lm.TokenizerFacts}.
 */
package dev.evomerge.eval.lm;

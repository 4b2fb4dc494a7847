package dev.evomerge.eval.lm;

import dev.evomerge.infer.LogLikelihood;
import java.util.List;

/**
 * A model as lm-evaluation-harness sees one: two kinds of request over text, plus the model's chat template.
 * Requests come in lists so an implementation can batch them; results come back in request order.
 *
 * <p>{@link InProcessLanguageModel} runs evomerge's own forward pass; tests use scripted models.
 * Implementations say whether they are thread-safe.
 */
public interface LanguageModel {

    /** What the model is, for messages and result files (a directory, "candidate 12"). */
    String name();

    /**
     * For each request, the log-likelihood of the continuation after the context (summed over its tokens) and
     * whether greedy decoding would have produced it. The context may be empty (the model's prefix token stands in
     * for it, as lm-evaluation-harness does).
     */
    List<LogLikelihood> loglikelihood(List<LoglikelihoodRequest> requests);

    /** For each request, the greedy continuation of its context, cut before the first stop string. */
    List<String> generateUntil(List<GenerationRequest> requests);

    /** Whether {@link #applyChatTemplate} can be used. */
    boolean hasChatTemplate();

    /**
     * A conversation formatted with the model's chat template, ending with the prompt for the assistant's turn
     * (transformers' {@code add_generation_prompt=True}).
     *
     * @throws dev.evomerge.diag.InputException when the model has no chat template or the template refuses the
     *     conversation
     */
    String applyChatTemplate(List<ChatMessage> messages);
}

package dev.evomerge.eval.lm;

import dev.evomerge.diag.InputException;
import dev.evomerge.eval.template.PythonValues;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.CausalLm;
import dev.evomerge.infer.ContinuationRequest;
import dev.evomerge.infer.Generation;
import dev.evomerge.infer.GenerationOptions;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.infer.LoadedModel;
import dev.evomerge.infer.LogLikelihood;
import dev.evomerge.infer.StopSequences;
import dev.evomerge.infer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link LanguageModel} on evomerge's own forward pass ({@link CausalLm}) and the model's Hugging Face tokenizer,
 * turning text requests into token requests as lm-evaluation-harness's Hugging Face backend ({@code HFLM}) does:
 *
 * <ul>
 *   <li>Encoding adds what the tokenizer's post-processor adds by default (transformers' {@code
 *       add_special_tokens=True}, e.g. Llama's {@code <s>}), unless the text already starts with that token.</li>
 *   <li>Log-likelihood: whitespace at the end of the context moves to the front of the continuation; the whole text
 *       and the context are encoded separately and the continuation is the whole's tokens after the context's
 *       count. An empty context becomes the prefix token (beginning-of-sequence, else end-of-sequence), unless the
 *       continuation starts with it.</li>
 *   <li>Generation: greedy, stopping at the end-of-sequence tokens or when the text holds a stop string (the
 *       end-of-sequence text is added to the stop strings); the decoded text (special tokens skipped) is cut before
 *       each stop string in turn. All requests share batches, each row with its own stop strings and budget.</li>
 * </ul>
 *
 * <p>Thread-safe when its {@link CausalLm} and tokenizer are (they are). Close it to free what {@link #open} loaded;
 * a model made with {@link #of} owns nothing.
 */
public final class InProcessLanguageModel implements LanguageModel, AutoCloseable {

    private final String name;
    private final CausalLm lm;
    private final Tokenizer tokenizer;
    private final TokenizerFacts facts;
    private final ModelChatTemplate chatTemplate;
    private final int batchSize;
    private final EventListener events;
    private final List<AutoCloseable> owned;

    private InProcessLanguageModel(String name, CausalLm lm, Tokenizer tokenizer, TokenizerFacts facts,
            ModelChatTemplate chatTemplate, int batchSize, EventListener events, List<AutoCloseable> owned) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.name = name;
        this.lm = lm;
        this.tokenizer = tokenizer;
        this.facts = facts;
        this.chatTemplate = chatTemplate;
        this.batchSize = batchSize;
        this.events = events;
        this.owned = owned;
    }

    /**
     * Loads a model directory (weights, tokenizer, chat template) on {@code engine}; closing the result frees them.
     *
     * @throws InputException naming the file at fault
     */
    public static InProcessLanguageModel open(InferenceEngine engine, Path modelDir, int batchSize,
            EventListener events) {
        Tokenizer tokenizer = Tokenizer.load(modelDir);
        try {
            TokenizerFacts facts = TokenizerFacts.read(modelDir);
            ModelChatTemplate chat = ModelChatTemplate.read(modelDir, facts).orElse(null);
            LoadedModel model = engine.load(modelDir);
            return new InProcessLanguageModel(modelDir.toString(), CausalLm.of(model), tokenizer, facts, chat,
                    batchSize, events, List.of(model, tokenizer));
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * A model in memory that this object owns: closing it closes {@code owned} (the loaded weights, say) too.
     */
    public static InProcessLanguageModel owning(String name, CausalLm lm, Tokenizer tokenizer, Path tokenizerDir,
            int batchSize, EventListener events, List<AutoCloseable> owned) {
        TokenizerFacts facts = TokenizerFacts.read(tokenizerDir);
        ModelChatTemplate chat = ModelChatTemplate.read(tokenizerDir, facts).orElse(null);
        return new InProcessLanguageModel(name, lm, tokenizer, facts, chat, batchSize, events, List.copyOf(owned));
    }

    /**
     * A model already in memory (a merged candidate, a data-flow path) with a tokenizer; the tokenizer directory
     * gives the post-processor's prefix tokens and the chat template. The caller keeps ownership of both.
     */
    public static InProcessLanguageModel of(String name, CausalLm lm, Tokenizer tokenizer, Path tokenizerDir,
            int batchSize, EventListener events) {
        TokenizerFacts facts = TokenizerFacts.read(tokenizerDir);
        ModelChatTemplate chat = ModelChatTemplate.read(tokenizerDir, facts).orElse(null);
        return new InProcessLanguageModel(name, lm, tokenizer, facts, chat, batchSize, events, List.of());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<LogLikelihood> loglikelihood(List<LoglikelihoodRequest> requests) {
        List<ContinuationRequest> tokens = new ArrayList<>(requests.size());
        for (LoglikelihoodRequest r : requests) {
            tokens.add(encodePair(r.context(), r.continuation()));
        }
        return lm.logLikelihoods(tokens, batchSize);
    }

    @Override
    public List<String> generateUntil(List<GenerationRequest> requests) {
        // one stop rule per distinct stop list and budget; all requests share the batches
        Map<List<Object>, StopSequences> stops = new LinkedHashMap<>();
        Map<List<Object>, GenerationOptions> settings = new LinkedHashMap<>();
        List<StopSequences> rowStops = new ArrayList<>(requests.size());
        List<GenerationOptions> rowOptions = new ArrayList<>(requests.size());
        for (GenerationRequest r : requests) {
            List<Object> key = List.of(r.until(), r.maxGenToks());
            StopSequences stop = stops.computeIfAbsent(key, k -> {
                List<String> until = new ArrayList<>(r.until());
                tokenizer.eosToken().filter(eos -> !eos.isEmpty() && !until.contains(eos)).ifPresent(until::add);
                return new StopSequences(tokenizer, until);
            });
            rowStops.add(stop);
            rowOptions.add(settings.computeIfAbsent(key, k -> GenerationOptions.greedy(r.maxGenToks())
                    .withStopTokens(tokenizer.eosTokenIds()).withStop(stop)));
        }
        List<int[]> prompts = requests.stream().map(r -> encode(r.context())).toList();
        List<Generation> generations = lm.generate(prompts, rowOptions, batchSize);
        List<String> out = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            out.add(rowStops.get(i).cut(facts.cleanUp(tokenizer.decode(generations.get(i).tokens()))));
        }
        return List.copyOf(out);
    }

    @Override
    public boolean hasChatTemplate() {
        return chatTemplate != null;
    }

    @Override
    public String applyChatTemplate(List<ChatMessage> messages) {
        if (chatTemplate == null) {
            throw new InputException("model " + name + " has no chat template",
                    "give the model a chat_template (tokenizer_config.json or chat_template.jinja), or set"
                            + " apply_chat_template: false in the task");
        }
        return chatTemplate.apply(messages, events);
    }

    /** The chat template, when the model has one. */
    public Optional<ModelChatTemplate> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    /** Token ids of {@code text} as transformers encodes it by default (post-processor prefix included). */
    public int[] encode(String text) {
        int[] ids = tokenizer.encode(text);
        if (facts.prefixIds().isEmpty() || facts.prefixTexts().stream().anyMatch(text::startsWith)) {
            return ids;
        }
        int[] out = new int[facts.prefixIds().size() + ids.length];
        for (int i = 0; i < facts.prefixIds().size(); i++) {
            out[i] = facts.prefixIds().get(i);
        }
        System.arraycopy(ids, 0, out, facts.prefixIds().size(), ids.length);
        return out;
    }

    /** lm-evaluation-harness's context/continuation tokenisation. */
    ContinuationRequest encodePair(String context, String continuation) {
        if (context.isEmpty()) {
            int[] cont = tokenizer.encode(continuation);
            int prefix = prefixToken();
            if (cont.length > 0 && cont[0] == prefix) {
                return request(new int[] {cont[0]}, Arrays.copyOfRange(cont, 1, cont.length), context,
                        continuation);
            }
            return request(new int[] {prefix}, cont, context, continuation);
        }
        int end = context.length();
        while (end > 0 && PythonValues.isSpace(context.charAt(end - 1))) {
            end--;
        }
        String ctx = context.substring(0, end);
        String cont = context.substring(end) + continuation;
        int[] whole = encode(ctx + cont);
        int[] ctxIds = encode(ctx);
        int[] contIds = Arrays.copyOfRange(whole, Math.min(ctxIds.length, whole.length), whole.length);
        if (ctxIds.length == 0) {
            ctxIds = new int[] {prefixToken()};
        }
        return request(ctxIds, contIds, context, continuation);
    }

    private ContinuationRequest request(int[] context, int[] continuation, String contextText, String text) {
        if (continuation.length == 0) {
            throw new InputException("the continuation " + quoted(text) + " after " + quoted(tail(contextText))
                    + " encodes to no tokens, so it has no log-likelihood", "check the task's doc_to_target,"
                    + " doc_to_choice and target_delimiter");
        }
        return new ContinuationRequest(context, continuation);
    }

    private int prefixToken() {
        if (tokenizer.bosTokenId().isPresent()) {
            return tokenizer.bosTokenId().getAsInt();
        }
        return tokenizer.eosTokenIds().stream().findFirst().orElseThrow(() -> new InputException(
                "model " + name + " has neither a beginning- nor an end-of-sequence token to stand for an empty"
                        + " context", "set bos_token or eos_token in tokenizer_config.json"));
    }

    private static String tail(String s) {
        return s.length() <= 40 ? s : "..." + s.substring(s.length() - 40);
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing " + name + " failed", e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "InProcessLanguageModel(" + name + ")";
    }
}

package dev.evomerge.eval.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.eval.lm.ChatMessage;
import dev.evomerge.eval.lm.GenerationRequest;
import dev.evomerge.eval.lm.LanguageModel;
import dev.evomerge.infer.LogLikelihood;
import dev.evomerge.eval.lm.LoglikelihoodRequest;
import dev.evomerge.eval.lm.ModelChatTemplate;
import dev.evomerge.eval.lm.TokenizerFacts;
import dev.evomerge.eval.task.Task;
import dev.evomerge.event.EventListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The requests evomerge builds for each task file (prompts with description, few-shot examples drawn from the seeded
 * stream, delimiters, chat template; continuations; generation settings) are exactly the ones lm-evaluation-harness
 * 0.4.13 built for the same files and data ({@code eval/lmeval/golden.json}). No model runs: a recording model
 * answers with fixed values.
 */
class LmEvalPromptCompatibilityTest {

    /** Records what it is asked; answers log-likelihood -1 and the text "x". */
    static final class RecordingModel implements LanguageModel {
        final List<LoglikelihoodRequest> scoring = new ArrayList<>();
        final List<GenerationRequest> generating = new ArrayList<>();
        private final ModelChatTemplate chat = ModelChatTemplate.read(LmEvalGolden.MODEL,
                TokenizerFacts.read(LmEvalGolden.MODEL)).orElseThrow();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public List<LogLikelihood> loglikelihood(List<LoglikelihoodRequest> requests) {
            scoring.addAll(requests);
            return requests.stream().map(r -> new LogLikelihood(-1, false)).toList();
        }

        @Override
        public List<String> generateUntil(List<GenerationRequest> requests) {
            generating.addAll(requests);
            return requests.stream().map(r -> "x").toList();
        }

        @Override
        public boolean hasChatTemplate() {
            return true;
        }

        @Override
        public String applyChatTemplate(List<ChatMessage> messages) {
            return chat.apply(messages, EventListener.NONE);
        }
    }

    @Test
    void requests_everyTaskFile_equalLmEvalRequests() {
        JsonNode golden = LmEvalGolden.golden().get("tasks");
        List<Task> tasks = LmEvalGolden.tasks();
        assertEquals(golden.size(), tasks.size(), "a golden per task file");
        for (Task task : tasks) {
            RecordingModel model = new RecordingModel();
            EvaluationRunner.run(model, List.of(TaskRun.of(task)), EvaluationOptions.defaults(EventListener.NONE));
            List<List<Object>> ours = new ArrayList<>();
            model.scoring.forEach(r -> ours.add(List.of(r.context(), r.continuation())));
            model.generating.forEach(r -> ours.add(List.of(r.context(), r.until(), r.maxGenToks())));
            List<List<Object>> theirs = new ArrayList<>();
            for (JsonNode sample : LmEvalGolden.samples(golden.get(task.name()))) {
                for (JsonNode args : sample.get("arguments")) {
                    JsonNode second = args.get(1);
                    if (second.isObject()) {
                        List<Object> until = new ArrayList<>();
                        second.get("until").forEach(u -> until.add(u.asText()));
                        theirs.add(List.of(args.get(0).asText(), until, second.get("max_gen_toks").asInt()));
                        assertEquals(false, second.get("do_sample").asBoolean());
                    } else {
                        theirs.add(List.of(args.get(0).asText(), second.asText()));
                    }
                }
            }
            assertTrue(!theirs.isEmpty());
            assertEquals(theirs.size(), ours.size(), task.name() + ": number of requests");
            for (int i = 0; i < theirs.size(); i++) {
                assertEquals(theirs.get(i), ours.get(i), task.name() + ": request " + i);
            }
        }
    }
}

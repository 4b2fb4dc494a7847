package dev.evomerge.eval.harness;

import dev.evomerge.diag.InputException;
import dev.evomerge.eval.lm.GenerationRequest;
import dev.evomerge.eval.lm.LanguageModel;
import dev.evomerge.infer.LogLikelihood;
import dev.evomerge.eval.lm.LoglikelihoodRequest;
import dev.evomerge.eval.metric.FilterPipeline;
import dev.evomerge.eval.metric.MetricSpec;
import dev.evomerge.eval.task.Doc;
import dev.evomerge.eval.task.FewShotSampler;
import dev.evomerge.eval.task.Prompt;
import dev.evomerge.eval.task.PromptBuilder;
import dev.evomerge.eval.task.Task;
import dev.evomerge.eval.task.TaskConfig;
import dev.evomerge.eval.template.PythonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates tasks on a {@link LanguageModel} the way lm-evaluation-harness's {@code simple_evaluate} does: builds
 * every document's prompt (few-shot examples, description, chat template) and requests, sends all log-likelihood
 * requests and all generation requests of all tasks to the model in one list each (the model batches them), applies
 * each filter pipeline, scores each document ({@link DocScorer}) and aggregates per task into lm-evaluation-harness's
 * {@code metric,filter} keys.
 *
 * {@snippet :
 * EvaluationResults r = EvaluationRunner.run(model, List.of(TaskRun.of(task).withLimit(50)),
 *         EvaluationOptions.defaults(events));
 * double accuracy = r.scores().get("arith", "exact_match,strict-match").orElseThrow();
 * }
 *
 * <p>Stateless and thread-safe; runs on the calling thread.
 */
public final class EvaluationRunner {

    private EvaluationRunner() {
    }

    /** A document with its prompt and the positions of its requests in the request lists. */
    record Prepared(Doc doc, String prompt, Object target, List<String> choices, int firstRequest,
            List<List<Object>> arguments) {
    }

    /**
     * Evaluates the runs in order.
     *
     * @throws dev.evomerge.diag.ConfigException when a template fails for a document
     * @throws InputException when a split, a document or the chat template is missing
     */
    public static EvaluationResults run(LanguageModel lm, List<TaskRun> runs, EvaluationOptions options) {
        List<LoglikelihoodRequest> scoring = new ArrayList<>();
        List<GenerationRequest> generating = new ArrayList<>();
        List<List<Prepared>> prepared = new ArrayList<>();
        for (TaskRun run : runs) {
            prepared.add(prepare(lm, run, options, scoring, generating));
        }
        options.events().lifecycle("evaluating " + runs.size() + " task(s) on " + lm.name() + ": "
                + scoring.size() + " log-likelihood and " + generating.size() + " generation requests");
        List<LogLikelihood> scored = scoring.isEmpty() ? List.of() : lm.loglikelihood(scoring);
        List<String> generated = generating.isEmpty() ? List.of() : lm.generateUntil(generating);
        if (scored.size() != scoring.size() || generated.size() != generating.size()) {
            throw new IllegalStateException(lm.name() + " answered " + scored.size() + "/" + scoring.size()
                    + " log-likelihood and " + generated.size() + "/" + generating.size() + " generation requests");
        }
        List<TaskResult> results = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            results.add(score(runs.get(i), prepared.get(i), scored, generated, options));
        }
        return new EvaluationResults(results);
    }

    private static List<Prepared> prepare(LanguageModel lm, TaskRun run, EvaluationOptions options,
            List<LoglikelihoodRequest> scoring, List<GenerationRequest> generating) {
        Task task = run.task();
        TaskConfig c = task.config();
        List<Doc> docs = select(run);
        FewShotSampler sampler = task.sampler(run.split(), options.fewshotSeed());
        List<Prepared> out = new ArrayList<>(docs.size());
        for (Doc doc : docs) {
            Prompt prompt = PromptBuilder.build(task, doc, sampler.shotsFor(doc));
            String context = c.applyChatTemplate() ? lm.applyChatTemplate(prompt.messages(c.fewshotAsMultiturn()))
                    : prompt.text();
            Object target = task.target(doc);
            List<String> choices = task.choices(doc);
            List<List<Object>> arguments = new ArrayList<>();
            int first;
            switch (c.outputType()) {
                case GENERATE_UNTIL -> {
                    first = generating.size();
                    generating.add(new GenerationRequest(context, c.generation().until(),
                            c.generation().maxGenToks()));
                    Map<String, Object> kwargs = new LinkedHashMap<>();
                    kwargs.put("until", c.generation().until());
                    kwargs.put("max_gen_toks", (long) c.generation().maxGenToks());
                    kwargs.put("do_sample", false);
                    arguments.add(List.of(context, kwargs));
                }
                case LOGLIKELIHOOD -> {
                    first = scoring.size();
                    String continuation = PythonValues.str(target);
                    scoring.add(new LoglikelihoodRequest(context, continuation));
                    arguments.add(List.of(context, continuation));
                }
                case MULTIPLE_CHOICE -> {
                    first = scoring.size();
                    // lm-evaluation-harness drops the delimiter when the chat template already ends the prompt
                    String delimiter = c.applyChatTemplate() ? "" : c.targetDelimiter();
                    for (String choice : choices) {
                        scoring.add(new LoglikelihoodRequest(context, delimiter + choice));
                        arguments.add(List.of(context, delimiter + choice));
                    }
                }
                default -> throw new IllegalStateException("unknown output type " + c.outputType());
            }
            out.add(new Prepared(doc, context, target, choices, first, arguments));
        }
        return out;
    }

    /** The documents a run evaluates: the chosen positions, else the first {@code limit}, else all. */
    static List<Doc> select(TaskRun run) {
        List<Doc> all = run.task().docs(run.split());
        List<Doc> out = new ArrayList<>();
        for (int i : run.positions()) {
            if (i >= all.size()) {
                throw new InputException("task " + run.task().name() + ": document " + i + " was asked for, but"
                        + " split '" + run.split() + "' has " + all.size() + " documents",
                        "pick positions from 0 to " + (all.size() - 1));
            }
            out.add(all.get(i));
        }
        if (out.isEmpty()) {
            throw new InputException("task " + run.task().name() + ": no documents to evaluate in split '"
                    + run.split() + "'", "check the split's data file and the document selection");
        }
        return out;
    }

    private static TaskResult score(TaskRun run, List<Prepared> docs, List<LogLikelihood> scored,
            List<String> generated, EvaluationOptions options) {
        TaskConfig c = run.task().config();
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, Double> stderr = new LinkedHashMap<>();
        Map<String, Boolean> higher = new LinkedHashMap<>();
        DocScorer scorer = new DocScorer(run.task(), options.events());
        for (FilterPipeline pipeline : c.filters()) {
            Map<MetricSpec, List<Double>> values = new LinkedHashMap<>();
            c.metrics().forEach(m -> values.put(m, new ArrayList<>()));
            for (Prepared p : docs) {
                DocScorer.Scored s = scorer.score(p, pipeline, scored, generated);
                for (MetricSpec m : c.metrics()) {
                    values.get(m).add(s.metrics().get(m.name()));
                }
                options.samples().accept(new SampleRecord(c.name(), run.split(), p.doc().index(),
                        p.doc().fields(), p.prompt(), PythonValues.str(p.target()), p.arguments(), s.responses(),
                        s.filtered(), pipeline.name(), s.metrics()));
            }
            for (MetricSpec m : c.metrics()) {
                String key = m.name() + "," + pipeline.name();
                metrics.put(key, m.aggregation().apply(values.get(m)));
                m.aggregation().stderr(values.get(m)).ifPresent(se -> stderr.put(key, se));
                higher.put(m.name(), m.higherIsBetter());
            }
        }
        int original = run.task().docs(run.split()).size();
        return new TaskResult(c.name(), c.alias(), run.split(), c.version(), c.numFewshot(), original, docs.size(),
                metrics, stderr, higher);
    }
}

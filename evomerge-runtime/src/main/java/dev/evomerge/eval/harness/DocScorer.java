package dev.evomerge.eval.harness;

import dev.evomerge.infer.LogLikelihood;
import dev.evomerge.eval.metric.ChoiceScores;
import dev.evomerge.eval.metric.FilterPipeline;
import dev.evomerge.eval.metric.MetricSpec;
import dev.evomerge.eval.task.Task;
import dev.evomerge.eval.task.TaskConfig;
import dev.evomerge.eval.template.PythonValues;
import dev.evomerge.event.EventListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores one document's answers, as lm-evaluation-harness's {@code ConfigurableTask.process_results} does:
 *
 * <ul>
 *   <li>{@code generate_until}: the filtered answer against the target ({@code exact_match}); with choices the
 *       target indexes them; with several targets any match counts.</li>
 *   <li>{@code multiple_choice}: the gold choice is the target's index, or the choice equal to the target's text;
 *       a target that is neither gives 0 (and a warning), as lm-evaluation-harness's {@code -100} does
 *       ({@link ChoiceScores}).</li>
 *   <li>{@code loglikelihood}: {@code perplexity} takes the log-likelihood, {@code acc} whether the target is the
 *       greedy continuation.</li>
 * </ul>
 *
 * <p>Not thread-safe; one per task scoring.
 */
final class DocScorer {

    /** One document's responses (as sent back), filtered responses, and metric values by name. */
    record Scored(List<Object> responses, List<Object> filtered, Map<String, Double> metrics) {
    }

    private final Task task;
    private final TaskConfig config;
    private final EventListener events;

    DocScorer(Task task, EventListener events) {
        this.task = task;
        this.config = task.config();
        this.events = events;
    }

    Scored score(EvaluationRunner.Prepared p, FilterPipeline pipeline, List<LogLikelihood> scored,
            List<String> generated) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        switch (config.outputType()) {
            case GENERATE_UNTIL -> {
                String raw = generated.get(p.firstRequest());
                String answer = pipeline.apply(List.of(raw));
                List<String> golds = generationGolds(p);
                for (MetricSpec m : config.metrics()) {
                    boolean hit = golds.stream().anyMatch(g -> m.exactMatch().score(answer, g) == 1.0);
                    metrics.put(m.name(), hit ? 1.0 : 0.0);
                }
                return new Scored(List.of(raw), List.of(answer), metrics);
            }
            case LOGLIKELIHOOD -> {
                LogLikelihood ll = scored.get(p.firstRequest());
                for (MetricSpec m : config.metrics()) {
                    metrics.put(m.name(), switch (m.kind()) {
                        case PERPLEXITY -> ll.logProb();
                        case ACC -> ll.greedy() ? 1.0 : 0.0;
                        default -> throw new IllegalStateException(m.name() + " on loglikelihood");
                    });
                }
                return new Scored(List.of(ll), List.of(ll), metrics);
            }
            case MULTIPLE_CHOICE -> {
                int n = p.choices().size();
                double[] lls = new double[n];
                boolean[] greedy = new boolean[n];
                List<Object> responses = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    LogLikelihood ll = scored.get(p.firstRequest() + i);
                    lls[i] = ll.logProb();
                    greedy[i] = ll.greedy();
                    responses.add(ll);
                }
                Set<Integer> gold = choiceGolds(p);
                for (MetricSpec m : config.metrics()) {
                    metrics.put(m.name(), ChoiceScores.score(m.kind(), lls, greedy, p.choices(), gold));
                }
                return new Scored(responses, responses, metrics);
            }
            default -> throw new IllegalStateException("unknown output type " + config.outputType());
        }
    }

    /** The acceptable answers of a generation task, as text. */
    private List<String> generationGolds(EvaluationRunner.Prepared p) {
        List<Object> targets = p.target() instanceof List<?> l ? new ArrayList<>(l) : List.of(p.target());
        List<String> out = new ArrayList<>(targets.size());
        for (Object t : targets) {
            if (config.docToChoice() != null && t instanceof Long i) {
                if (i < 0 || i >= p.choices().size()) {
                    warnGold(p);
                    continue;
                }
                out.add(p.choices().get(i.intValue()));
            } else {
                out.add(PythonValues.str(t));
            }
        }
        return out;
    }

    /** The gold choice indices; a target that names no choice contributes none. */
    private Set<Integer> choiceGolds(EvaluationRunner.Prepared p) {
        List<Object> targets = p.target() instanceof List<?> l ? new ArrayList<>(l) : List.of(p.target());
        Set<Integer> gold = new LinkedHashSet<>();
        for (Object t : targets) {
            int index = switch (t) {
                case Long i when i >= 0 && i < p.choices().size() -> i.intValue();
                case String s -> p.choices().indexOf(s);
                default -> -1;
            };
            if (index < 0) {
                warnGold(p);
            } else {
                gold.add(index);
            }
        }
        return gold;
    }

    private void warnGold(EvaluationRunner.Prepared p) {
        events.warn("task " + task.name() + ": the target " + PythonValues.repr(p.target()) + " of "
                + p.doc().describe() + " is not one of its " + p.choices().size() + " choices; it scores 0",
                config.docToTarget().location());
    }
}

/**
 * lm-evaluation-harness's scoring: response filters ({@link dev.evomerge.eval.metric.ResponseFilter} in named
 * {@link dev.evomerge.eval.metric.FilterPipeline}s), {@link dev.evomerge.eval.metric.ExactMatch},
 * multiple-choice accuracies ({@link dev.evomerge.eval.metric.ChoiceScores}) and
 * {@link dev.evomerge.eval.metric.Aggregation}s.
 */
package dev.evomerge.eval.metric;

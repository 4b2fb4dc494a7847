/**
 * The lm-evaluation-harness runner: {@link dev.evomerge.eval.harness.EvaluationRunner} runs
 * {@link dev.evomerge.eval.harness.TaskRun}s on a {@link dev.evomerge.eval.lm.LanguageModel}, scoring each document
 * ({@code DocScorer}) with the task's metrics, and returns {@link dev.evomerge.eval.harness.EvaluationResults} in
 * the harness's results shape, optionally logging every sample ({@link dev.evomerge.eval.harness.SampleLog});
 * {@link dev.evomerge.eval.harness.LmEvalResults} reads the harness's own results files.
 */
package dev.evomerge.eval.harness;

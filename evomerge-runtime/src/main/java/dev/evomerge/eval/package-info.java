/**
 * Evaluation: tasks in lm-evaluation-harness's format run on a model, scored with its metrics, and the evaluators a
 * search calls. {@link dev.evomerge.eval.EvaluationRunner} runs {@link dev.evomerge.eval.TaskRun}s on a
 * {@link dev.evomerge.eval.lm.LanguageModel} and returns {@link dev.evomerge.eval.EvaluationResults} in
 * lm-evaluation-harness's results shape (optionally logging every sample, {@link dev.evomerge.eval.SampleLog});
 * {@link dev.evomerge.eval.Evaluator}s score a {@link dev.evomerge.eval.Candidate} in process
 * ({@link dev.evomerge.eval.InProcessEvaluator}) or with an external command
 * ({@link dev.evomerge.eval.ExternalEvaluator}); {@link dev.evomerge.eval.Fitness} turns
 * {@link dev.evomerge.eval.Scores} into a number with declared directions.
 *
 * <p>Sub-packages: {@code eval.task} (task files, documents, few-shot sampling, prompts), {@code eval.data}
 * (local JSON, JSON Lines and CSV datasets), {@code eval.metric} (filters and metrics), {@code eval.lm} (the model
 * interface, the in-process model and chat templates), {@code eval.template} (Jinja templates through Jinjava, with
 * Python's semantics). Layer 7: imports {@code infer} and lower, never {@code search} or higher.
 */
package dev.evomerge.eval;

/**
 * Evaluation, and the evaluator services a search calls: an {@link dev.evomerge.eval.Evaluator} scores a
 * {@link dev.evomerge.eval.Candidate} (a model directory, or a model in memory) in process
 * ({@link dev.evomerge.eval.InProcessEvaluator}) or with an external command
 * ({@link dev.evomerge.eval.ExternalEvaluator}, its argument list a {@link dev.evomerge.eval.CommandTemplate}), and
 * answers with an {@link dev.evomerge.eval.EvaluationOutcome}.
 *
 * <p>Sub-packages, one role each: {@code eval.harness} (the lm-evaluation-harness runner: task runs, per-document
 * scoring, results and sample logs in the harness's shapes), {@code eval.fitness} (objectives and the weighted
 * fitness of a candidate's scores), {@code eval.merger} (merging a parameter-space candidate in memory into a
 * runnable model), {@code eval.task} (task files, documents, few-shot sampling, prompts), {@code eval.data} (local
 * JSON, JSON Lines and CSV datasets), {@code eval.metric} (filters and metrics), {@code eval.lm} (the text-level
 * model interface over {@code infer}, the in-process model and chat templates), {@code eval.template} (Jinja
 * templates through Jinjava, with Python's semantics). Layer 7: imports {@code infer} and lower, never
 * {@code search} or higher.
 */
package dev.evomerge.eval;

/**
 * Tasks in lm-evaluation-harness's YAML format: {@link dev.evomerge.eval.task.TaskFileReader} reads a task file into
 * a {@link dev.evomerge.eval.task.TaskConfig} (every error at its position), {@link dev.evomerge.eval.task.Task}
 * renders its templates per {@link dev.evomerge.eval.task.Doc}, {@link dev.evomerge.eval.task.FewShotSampler} draws
 * examples as lm-evaluation-harness does, and {@link dev.evomerge.eval.task.PromptBuilder} builds the
 * {@link dev.evomerge.eval.task.Prompt}.
 */
package dev.evomerge.eval.task;

/**
 * Where and how candidates run: in this process on a pool whose candidates stay within a memory budget, each with
 * a timeout ({@link dev.evomerge.exec.CandidateRuns}, {@link dev.evomerge.exec.MemoryGate}); the evaluator of each
 * {@code evaluation.mode} ({@link dev.evomerge.exec.Evaluators}); and Slurm: a generation's candidates as one job
 * array ({@link dev.evomerge.exec.SlurmEvaluator}, the driver side: it submits with {@code SlurmArray}, asks the
 * controller with {@code SlurmQueue} through {@code SlurmCommand}, reads why a task ended with {@code SlurmTaskLog})
 * and the array task that scores one candidate on a node ({@link dev.evomerge.exec.CandidateTask}), talking through
 * files in the run's shared work directory ({@code SlurmFolders}, {@link dev.evomerge.exec.CandidateSpec},
 * {@code result.json}).
 */
package dev.evomerge.exec;

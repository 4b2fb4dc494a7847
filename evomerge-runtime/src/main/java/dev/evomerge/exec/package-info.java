/**
 * Where evaluations run beyond this process: a generation's candidates as one Slurm job array
 * ({@link dev.evomerge.exec.SlurmEvaluator}, the driver side) and the array task that scores one candidate on a
 * node ({@link dev.evomerge.exec.CandidateTask}), talking through files in the run's shared work directory
 * ({@link dev.evomerge.exec.CandidateSpec}, {@code result.json}).
 */
package dev.evomerge.exec;

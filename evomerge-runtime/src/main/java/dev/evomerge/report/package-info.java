/**
 * What a run leaves for people and for later builds: an evolve run's {@code history.jsonl}
 * ({@link dev.evomerge.report.History}), {@code summary.json} and {@code pareto/}
 * ({@link dev.evomerge.report.RunFiles}); {@code evomerge.lock.json} ({@link dev.evomerge.report.LockFile}, the
 * inputs and outputs of a merge pinned by size and SHA-256, with {@link dev.evomerge.report.FileDigest} and its
 * {@link dev.evomerge.report.DigestCache}), and the run report ({@code report/index.html},
 * {@link dev.evomerge.report.RunReport}) drawn from an evolve run's {@code history.jsonl} and {@code summary.json},
 * and the results of several runs as one table ({@link dev.evomerge.report.ResultsTable}). Layer 9.
 */
package dev.evomerge.report;

/**
 * Merging a parameter-space candidate in memory: {@link dev.evomerge.eval.merger.InMemoryMerger} runs a merge
 * config through the merge planner and executor into float buffers and loads them as a runnable model, so a
 * candidate is scored without being written to disk.
 */
package dev.evomerge.eval.merger;

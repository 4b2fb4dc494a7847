/**
 * File writing the runtime shares: {@link dev.evomerge.io.AtomicFile}, the one routine that replaces a small file
 * whole (temporary sibling, forced to disk, atomic rename); {@link dev.evomerge.io.Pools}, ending a pool of tasks that
 * touch files without interrupting them. Layer 1: imports only {@code diag}.
 */
package dev.evomerge.io;

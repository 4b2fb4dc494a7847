/**
 * User-facing errors: the sealed {@link dev.evomerge.diag.EvomergeException} family and
 * {@link dev.evomerge.diag.SourceLocation}; and {@link dev.evomerge.diag.Requires}, the argument checks records make in
 * their constructors (whose failures are our bugs, not user errors). The bottom layer; imports nothing else of
 * evomerge.
 */
package dev.evomerge.diag;

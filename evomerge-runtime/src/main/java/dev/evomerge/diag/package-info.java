/**
 * User-facing errors: the sealed {@link dev.evomerge.diag.EvomergeException} family and
 * {@link dev.evomerge.diag.SourceLocation}. The bottom layer; imports nothing else of evomerge.
 */
package dev.evomerge.diag;

/**
 * Runtime events (lifecycle, progress, warnings, debug) and the {@link dev.evomerge.event.EventListener} that front
 * ends implement. Bottom layer, beside {@code diag}.
 */
package dev.evomerge.event;

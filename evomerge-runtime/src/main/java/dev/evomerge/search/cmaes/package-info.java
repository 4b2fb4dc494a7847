/**
 * Our ask/tell CMA-ES ({@link dev.evomerge.search.cmaes.CmaEs}), following Hansen's tutorial, with box bounds by
 * transformation, a deterministic symmetric eigensolver and a fully serialisable state.
 */
package dev.evomerge.search.cmaes;

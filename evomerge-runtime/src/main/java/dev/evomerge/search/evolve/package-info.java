/**
 * The evolve run: the {@code evolve.yml} records and reader, the generation loop over the search spaces and
 * optimizers, the evaluation of candidates, checkpoints and resume, and the work directory's outputs.
 */
package dev.evomerge.search.evolve;

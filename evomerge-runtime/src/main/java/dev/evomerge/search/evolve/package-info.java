/**
 * The evolve run: the {@code evolve.yml} records and reader, the stages in turn, each stage's generation loop over
 * its optimizer (started and restored through {@link dev.evomerge.search.evolve.Optimizers}), the candidates of each
 * space, checkpoints and resume, and the content of the work directory's outputs. Where candidates run is
 * {@code exec}'s; the history and output files are written by {@code report}.
 */
package dev.evomerge.search.evolve;

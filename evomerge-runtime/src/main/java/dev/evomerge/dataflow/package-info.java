/**
 * The data-flow-space candidate as a value: {@link dev.evomerge.dataflow.LayerPath}, a sequence of (model, layer,
 * scale) steps with the models its embeddings and output head come from. Shared by the search, which decodes genomes into
 * paths, and the inference code, which runs them. Layer 4: imports only {@code diag}, {@code event}, {@code tensor}
 * and {@code model}.
 */
package dev.evomerge.dataflow;

/**
 * Downloading models from the Hugging Face Hub (or a mirror) into the standard Hugging Face cache, as
 * {@code huggingface_hub} lays it out, so that Python tools and evomerge share one cache. Part of the {@code model}
 * layer; {@link dev.evomerge.model.ModelResolver} calls it for a hub id the cache does not hold.
 */
package dev.evomerge.model.hub;

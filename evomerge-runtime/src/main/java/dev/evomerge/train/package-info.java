/**
 * Training small models on the project's own transformer forward: {@link dev.evomerge.train.Trainer} runs
 * {@code infer}'s forward pass under DJL's autograd with Adam, on prompt/completion examples, and writes a Hugging
 * Face checkpoint (safetensors, {@code config.json}, tokenizer). It exists to make the example models a merge can be
 * shown on; it is not a general training framework.
 */
package dev.evomerge.train;

/**
 * What a model family's {@code config.json} means for the forward pass: {@link
 * dev.evomerge.infer.family.TransformerConfig} (the hyper-parameters the blocks need, in one form for every family),
 * {@link dev.evomerge.infer.family.Rope} (rotary frequencies, with the scalings transformers applies), and the
 * supported {@link dev.evomerge.infer.family.ModelFamily} rows in the explicit registry
 * {@link dev.evomerge.infer.family.ModelFamilies}. No DJL here: the blocks in {@code infer.block} and the models in
 * {@code infer} read these values.
 */
package dev.evomerge.infer.family;

package dev.evomerge.cli;

import picocli.CommandLine.Option;

/**
 * The shape of a fresh llama-like model, the options {@code synth} and {@code train} share (a picocli mixin). Each is
 * null when not given: each command says what it does then.
 */
final class ModelShapeOptions {

    @Option(names = "--layers", description = "Decoder layers.")
    Integer layers;

    @Option(names = "--hidden", description = "Hidden size.")
    Integer hidden;

    @Option(names = "--intermediate", description = "MLP intermediate size.")
    Integer intermediate;

    @Option(names = "--heads", description = "Attention heads.")
    Integer heads;

    @Option(names = "--kv-heads", description = "Key/value heads.")
    Integer kvHeads;
}

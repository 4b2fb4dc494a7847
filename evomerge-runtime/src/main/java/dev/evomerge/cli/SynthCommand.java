package dev.evomerge.cli;

import dev.evomerge.Defaults;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.model.SyntheticModel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code evomerge synth OUT ...}: a seeded random model, or a perturbation of another, for tests and examples. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Write a seeded random model (config.json, a small tokenizer, weights), or with --base a"
                + " fine-tune-like perturbation of another model. Same arguments give the same bytes.",
                "Without --base, give the shape (--kv-heads defaults to the attention heads) and --vocab."})
final class SynthCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OUT", description = "Output model directory.")
    Path out;

    @Option(names = "--family", description = "llama, mistral or qwen2 (default: ${DEFAULT-VALUE}).",
            defaultValue = Defaults.SYNTH_FAMILY)
    String family;

    @CommandLine.Mixin
    ModelShapeOptions shape;

    @Option(names = "--vocab", description = "Vocabulary size.")
    Integer vocab;

    @Option(names = "--dtype", description = "bf16, f16 or f32 (default: ${DEFAULT-VALUE}).",
            defaultValue = Defaults.SYNTH_DTYPE)
    String dtype;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).", defaultValue = Defaults.SEED)
    long seed;

    @Option(names = "--base", paramLabel = "OTHER", description = "Perturb this model instead of drawing a new one.")
    String base;

    @Option(names = "--noise", description = "With --base: noise as a fraction of each tensor's RMS (default:"
            + " ${DEFAULT-VALUE}).", defaultValue = Defaults.SYNTH_NOISE)
    double noise;

    @Option(names = "--overwrite", description = "Replace OUT if it exists and is not empty.")
    boolean overwrite;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            if (base != null) {
                if (shape.layers != null || shape.hidden != null || shape.intermediate != null || vocab != null
                        || shape.heads != null || shape.kvHeads != null) {
                    throw new IllegalArgumentException("with --base the shape comes from the base model; leave out"
                            + " --layers, --hidden, --intermediate, --vocab, --heads and --kv-heads");
                }
                ModelDirectory baseModel = ModelDirectory.load(
                        ModelResolver.forProcess().resolve(CliSupport.parseReference(base)), Architectures.builtIn());
                SyntheticModel.perturb(baseModel, out, noise, seed, overwrite);
            } else {
                for (var required : new Object[][] {{"--layers", shape.layers}, {"--hidden", shape.hidden},
                        {"--intermediate", shape.intermediate}, {"--vocab", vocab}, {"--heads", shape.heads}}) {
                    if (required[1] == null) {
                        throw new IllegalArgumentException("missing " + required[0] + " (or give --base)");
                    }
                }
                new SyntheticModel(family, shape.layers, shape.hidden, shape.intermediate, vocab, shape.heads,
                        Objects.requireNonNullElse(shape.kvHeads, shape.heads), Defaults.dtype(dtype), seed)
                        .write(out, overwrite);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}

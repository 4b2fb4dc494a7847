package dev.evomerge.maven;

import dev.evomerge.Defaults;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.tensor.DType;
import java.io.File;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes a seeded random model (config.json, a small tokenizer, weights) for tests and examples, as
 * {@code evomerge synth} does. Same parameters give the same bytes.
 *
 * @since 0.1.0
 */
@Mojo(name = "synth", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class SynthMojo extends AbstractEvomergeMojo {

    /** Output model directory. @since 0.1.0 */
    @Parameter(property = "evomerge.synth.outputDirectory", required = true)
    File outputDirectory;

    /** Model family: llama, mistral or qwen2. @since 0.1.0 */
    @Parameter(property = "evomerge.synth.family", defaultValue = Defaults.SYNTH_FAMILY)
    String family;

    /** Decoder layers. @since 0.1.0 */
    @Parameter(property = "evomerge.synth.layers", defaultValue = "2")
    int layers;

    /** Hidden size. @since 0.1.0 */
    @Parameter(property = "evomerge.synth.hidden", defaultValue = "32")
    int hidden;

    /** MLP intermediate size. @since 0.1.0 */
    @Parameter(property = "evomerge.synth.intermediate", defaultValue = "48")
    int intermediate;

    /** Vocabulary size. @since 0.1.0 */
    @Parameter(property = "evomerge.synth.vocab", defaultValue = "64")
    int vocab;

    /** Attention heads. @since 0.1.0 */
    @Parameter(property = "evomerge.synth.heads", defaultValue = "4")
    int heads;

    /** Key/value heads. @since 0.1.0 */
    @Parameter(property = "evomerge.synth.kvHeads", defaultValue = "4")
    int kvHeads;

    /** Stored dtype: f32, f16 or bf16. @since 0.1.0 */
    @Parameter(property = "evomerge.synth.dtype", defaultValue = Defaults.SYNTH_DTYPE)
    String dtype;

    /** Seed. @since 0.1.0 */
    @Parameter(property = "evomerge.seed", defaultValue = Defaults.SEED)
    long seed;

    /**
     * A model directory to perturb instead of drawing a new model (the shape parameters are then ignored).
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.synth.base")
    File base;

    /** With {@code base}: noise as a fraction of each tensor's RMS. @since 0.1.0 */
    @Parameter(property = "evomerge.synth.noise", defaultValue = Defaults.SYNTH_NOISE)
    double noise;

    /** Replace an existing non-empty output directory. @since 0.1.0 */
    @Parameter(property = "evomerge.overwrite", defaultValue = "false")
    boolean overwrite;

    @Override
    protected String goal() {
        return "synth";
    }

    @Override
    protected void run(EventListener events) throws MojoFailureException {
        DType type;
        try {
            type = Defaults.dtype(dtype);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("evomerge:synth: " + e.getMessage());
        }
        if (base != null) {
            ModelDirectory baseModel = ModelDirectory.load(new ModelResolver(base.toPath().getParent(),
                    environment()).resolve(ModelReference.of(base.getAbsolutePath())), Architectures.builtIn());
            SyntheticModel.perturb(baseModel, outputDirectory.toPath(), noise, seed, overwrite);
            events.lifecycle("Wrote a perturbation of " + base + " to " + outputDirectory);
            return;
        }
        SyntheticModel model;
        try {
            model = new SyntheticModel(family, layers, hidden, intermediate, vocab, heads, kvHeads, type, seed);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("evomerge:synth: " + e.getMessage());
        }
        model.write(outputDirectory.toPath(), overwrite);
        events.lifecycle("Wrote a synthetic " + family + " model to " + outputDirectory);
    }
}

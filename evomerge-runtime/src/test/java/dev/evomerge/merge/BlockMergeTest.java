package dev.evomerge.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.evomerge.Merge;
import dev.evomerge.MergeRequest;
import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.model.ResolvedModel;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.io.InMemoryTensors;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A written merge takes the block-at-a-time path for the methods that have one; a merge into memory takes the
 * whole-tensor path. Both must give the same bytes for every tensor, on tensors several blocks long whose length is
 * not a multiple of the block, with bf16 inputs (whose task vectors share many magnitudes, so the tie rule at a
 * magnitude boundary matters), with and without a {@code dtype} cast, for TIES' and breadcrumbs' magnitude cuts
 * and for DARE's seeded coin flips and L1 rescale.
 */
class BlockMergeTest {

    @TempDir
    static Path models;

    @TempDir
    Path tmp;

    @BeforeAll
    static void writeModels() {
        // hidden 96, intermediate 400: projections of 9,216 to 38,400 elements, the embedding 24,000 (not a
        // multiple of the block)
        new SyntheticModel("llama", 2, 96, 400, 250, 4, 2, DType.BF16, 7).write(models.resolve("base"), false);
        ModelDirectory base = ModelDirectory.load(new ResolvedModel(ModelReference.of("base"),
                models.resolve("base"), false), Architectures.builtIn());
        SyntheticModel.perturb(base, models.resolve("a"), 0.2, 8, false);
        SyntheticModel.perturb(base, models.resolve("b"), 0.2, 9, false);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "merge_method: linear\nmodels:\n  - {model: a, parameters: {weight: 0.7}}\n"
                + "  - {model: b, parameters: {weight: 0.5}}\n  - {model: base, parameters: {weight: -0.1}}\n",
        "merge_method: linear\nparameters: {normalize: false}\ndtype: float16\nmodels:\n"
                + "  - {model: a, parameters: {weight: 0.7}}\n  - {model: b, parameters: {weight: 0.5}}\n",
        "merge_method: task_arithmetic\nbase_model: base\nmodels:\n  - {model: a, parameters: {weight: 0.6}}\n"
                + "  - {model: b, parameters: {weight: 0.8}}\n",
        "merge_method: ties\nbase_model: base\nparameters: {density: 1.0}\nout_dtype: float32\nmodels:\n"
                + "  - {model: a, parameters: {weight: 0.6}}\n  - {model: b, parameters: {weight: 0.8}}\n",
        "merge_method: ties\nbase_model: base\nmodels:\n"
                + "  - {model: a, parameters: {weight: 0.6, density: 0.5}}\n"
                + "  - {model: b, parameters: {weight: 0.8, density: 0.2}}\n",
        "merge_method: ties\nbase_model: base\ndtype: bfloat16\nparameters: {normalize: false}\nmodels:\n"
                + "  - {model: a, parameters: {weight: 1.0, density: 0.9}}\n"
                + "  - {model: b, parameters: {weight: 0.8, density: 0.02}}\n",
        "merge_method: breadcrumbs_ties\nbase_model: base\nmodels:\n"
                + "  - {model: a, parameters: {weight: 0.6, density: 0.5, gamma: 0.1}}\n"
                + "  - {model: b, parameters: {weight: 0.8, density: 0.7, gamma: 0.05}}\n",
        "merge_method: breadcrumbs\nbase_model: base\nmodels:\n"
                + "  - {model: a, parameters: {weight: 0.6, density: 0.8, gamma: 0.01}}\n"
                + "  - {model: b, parameters: {weight: 0.8, density: 0.7, gamma: 0.2}}\n",
        "merge_method: dare_linear\nbase_model: base\nmodels:\n"
                + "  - {model: a, parameters: {weight: 0.6, density: 0.4}}\n"
                + "  - {model: b, parameters: {weight: 0.8, density: 0.7}}\n",
        "merge_method: dare_ties\nbase_model: base\nparameters: {lambda: 1.3}\nmodels:\n"
                + "  - {model: a, parameters: {weight: 0.6, density: 0.4}}\n"
                + "  - {model: b, parameters: {weight: 0.8, density: 0.7}}\n",
        "merge_method: dare_ties\nbase_model: base\ndtype: bfloat16\nparameters: {rescale: false, normalize: false}\n"
                + "models:\n  - {model: a, parameters: {weight: 0.6, density: 0.3}}\n"
                + "  - {model: b, parameters: {weight: 0.8, density: 0.9}}\n"})
    void writtenMerge_blockPath_sameBytesAsWholeTensorMerge(String yaml) throws IOException {
        Path config = tmp.resolve("merge.yml");
        Files.writeString(config, yaml);
        Path out = tmp.resolve("out");
        long seed = 11;
        Merge.standard().run(new MergeRequest(config, out, seed, MergeRequest.DEFAULT_SHARD_SIZE, 2, 1L << 28, false,
                models, Map.of()), EventListener.NONE);

        MergeConfigFile file = MergeConfigFile.read(config, EventListener.NONE);
        try (MergeModels loaded = new MergeModels(new ModelResolver(models, Map.of()), Architectures.builtIn());
                SafetensorsModel written = SafetensorsModel.open(out)) {
            MergePlan plan = MergePlanner.plan(file.config(), loaded, EventListener.NONE);
            int blockMerged = 0;
            for (PlannedTensor t : plan.tensors()) {
                if (plan.method().blockKernel(t.spec(), MergeContext.quiet()).isPresent()
                        && t.outputShape().numel() > MergeExecutor.BLOCK_ELEMENTS) {
                    blockMerged++;
                }
            }
            assertEquals(8, blockMerged, "MLP projections and embeddings (longer than a block) merged a block at a time");
            InMemoryTensors whole = MergeExecutor.toMemory(plan, new MergeExecutor.Options(seed, 1, 1L << 28),
                    EventListener.NONE);
            assertEquals(whole.names(), written.names());
            for (String name : whole.names()) {
                assertEquals(whole.info(name), written.info(name), name);
                MemorySegment expected = whole.bytes(name);
                long at = expected.mismatch(written.bytes(name));
                assertEquals(-1, at, name + " differs at byte " + at);
            }
        }
    }
}

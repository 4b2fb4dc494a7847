package dev.evomerge.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.io.InMemoryTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Candidates merged one after another into reused arrays: after the first, a merge of the same plan allocates no
 * new arrays, and every merge still gives exactly the tensors a fresh merge gives (nothing left over from the
 * previous candidate), rounded to the output dtype.
 */
class MergeBuffersTest {

    @TempDir
    static Path models;

    @BeforeAll
    static void writeModels() {
        TinyModels.write(models);
    }

    private static MergePlan plan(MergeModels loaded, String yaml) throws IOException {
        Path config = Files.createTempFile(models, "merge", ".yml");
        Files.writeString(config, yaml);
        return MergePlanner.plan(MergeConfigFile.read(config, EventListener.NONE).config(), loaded,
                EventListener.NONE);
    }

    private static String candidate(double wa, double wb) {
        return "merge_method: task_arithmetic\nbase_model: base\ndtype: bfloat16\nmodels:\n"
                + "  - {model: a, parameters: {weight: " + wa + "}}\n"
                + "  - {model: b, parameters: {weight: " + wb + "}}\n";
    }

    @Test
    void toMemory_candidateAfterCandidate_reusesEveryArrayAndEqualsAFreshMerge() throws IOException {
        assertEquals(0, candidatesAfterCandidate(new MergeBuffers()));
    }

    @Test
    void toMemory_inputsKeptDecoded_equalsAFreshMerge() throws IOException {
        long all = candidatesAfterCandidate(new MergeBuffers(1L << 30));
        assertTrue(all > 0, "decoded inputs kept");
        // a budget for part of them: some kept, the others decoded every time, the tensors the same
        long part = candidatesAfterCandidate(new MergeBuffers(all / 2));
        assertTrue(part > 0 && part <= all / 2, part + " of " + all);
        // dropped, they are decoded and kept again by the next merges
        MergeBuffers buffers = new MergeBuffers(1L << 30);
        candidatesAfterCandidate(buffers);
        buffers.dropDecoded();
        assertEquals(0, buffers.decodedBytes());
        assertEquals(all, candidatesAfterCandidate(buffers));
    }

    /** Three candidates merged with {@code buffers}, each checked against a fresh merge; the decoded bytes kept. */
    private static long candidatesAfterCandidate(MergeBuffers buffers) throws IOException {
        MergeExecutor.Options options = new MergeExecutor.Options(0, 1, 1L << 28);
        try (MergeModels loaded = new MergeModels(new ModelResolver(models, Map.of()), Architectures.builtIn())) {
            long afterFirst = -1;
            double[][] weights = {{0.3, 0.9}, {1.2, -0.4}, {0.5, 0.5}};
            for (double[] w : weights) {
                MergePlan plan = plan(loaded, candidate(w[0], w[1]));
                InMemoryTensors fresh = MergeExecutor.toMemory(plan, options, EventListener.NONE);
                try (MergedFloats pooled = MergeExecutor.toMemory(plan, options, EventListener.NONE, buffers)) {
                    InMemoryTensors tensors = pooled.tensors();
                    assertEquals(fresh.names(), tensors.names());
                    for (String name : fresh.names()) {
                        assertEquals(DType.BF16, fresh.info(name).orElseThrow().dtype(), name);
                        assertEquals(fresh.info(name).orElseThrow().shape(), tensors.info(name).orElseThrow().shape());
                        assertArrayEquals(fresh.floats(name), tensors.floats(name), 0f, name + " with " + w[0]);
                    }
                }
                if (afterFirst < 0) {
                    afterFirst = buffers.allocations();
                    assertTrue(afterFirst > 0);
                }
                assertEquals(afterFirst, buffers.allocations(), "arrays allocated after the first candidate");
            }
        }
        return buffers.decodedBytes();
    }
}

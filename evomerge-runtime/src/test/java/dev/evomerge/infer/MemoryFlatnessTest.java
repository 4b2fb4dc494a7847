package dev.evomerge.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.model.ModelConfig;
import dev.evomerge.tensor.io.InMemoryTensors;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A thousand candidate evaluations (load a model from tensors in memory, score, generate, close) leave heap and
 * native memory where they were after a warm-up: nothing is kept per candidate, per request or per step.
 */
class MemoryFlatnessTest {

    private static final int WARM_UP = 100;
    private static final int EVALUATIONS = 1000;
    /** A leak of one tiny model per evaluation would be 140 MB; of one step's arrays, tens of MB. */
    private static final long NATIVE_BOUND = 32L << 20;
    private static final long HEAP_BOUND = 8L << 20;

    @Test
    void evaluate_thousandCandidates_heapAndNativeMemoryStayFlat() throws IOException {
        ModelConfig config = TinyModels.llama(32, 2, false, false);
        InMemoryTensors candidate = TinyModels.weights(config, 7);
        try (InferenceEngine engine = InferenceEngine.cpu(1)) {
            for (int i = 0; i < WARM_UP; i++) {
                evaluate(engine, candidate, config);
            }
            long heapBefore = heapUsedAfterGc();
            long rssBefore = residentBytes();
            for (int i = 0; i < EVALUATIONS; i++) {
                evaluate(engine, candidate, config);
            }
            long heapAfter = heapUsedAfterGc();
            long rssAfter = residentBytes();
            assertTrue(rssAfter - rssBefore < NATIVE_BOUND, "resident memory grew from " + mb(rssBefore) + " to "
                    + mb(rssAfter) + " over " + EVALUATIONS + " evaluations");
            assertTrue(heapAfter - heapBefore < HEAP_BOUND, "heap grew from " + mb(heapBefore) + " to "
                    + mb(heapAfter) + " over " + EVALUATIONS + " evaluations");
        }
    }

    private static void evaluate(InferenceEngine engine, InMemoryTensors candidate, ModelConfig config) {
        try (LoadedModel model = engine.load(candidate, config)) {
            CausalLm lm = CausalLm.of(model);
            List<LogLikelihood> scores = lm.logLikelihoods(List.of(
                    new ContinuationRequest(new int[] {5, 9, 2}, new int[] {7, 1}),
                    new ContinuationRequest(new int[] {4}, new int[] {8, 8, 3}),
                    new ContinuationRequest(new int[] {1, 2, 3, 4, 5, 6}, new int[] {9})), 2);
            List<Generation> generations = lm.generate(List.of(new int[] {5, 9, 2}, new int[] {3}),
                    GenerationOptions.greedy(4), 2);
            assertEquals(3, scores.size());
            assertEquals(4, generations.getFirst().tokens().length);
        }
    }

    private static long heapUsedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** VmRSS of this process (Linux); native memory held by PyTorch shows here, not in the heap. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
}

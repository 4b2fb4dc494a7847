package dev.evomerge.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The transformers outputs recorded by {@code src/test/reference/infer/make_goldens.py} for one tiny model.
 *
 * @param dir the model directory (config.json, model.safetensors, golden.*)
 * @param sequences the token sequences whose logits were recorded
 * @param logits per sequence, run alone: [length][vocab]
 * @param batchLogits all sequences as one left-padded batch: [rows][width][vocab]
 * @param prompts the generation prompts
 * @param maxNewTokens tokens generated per prompt
 * @param generatedAlone greedy tokens per prompt, each run alone
 * @param generatedBatched greedy tokens per prompt, run as one left-padded batch
 * @param minTop2Gap the smallest top-1/top-2 logit gap met while generating
 */
record Golden(Path dir, List<int[]> sequences, List<float[][]> logits, float[][][] batchLogits,
        List<int[]> prompts, int maxNewTokens, List<int[]> generatedAlone, List<int[]> generatedBatched,
        double minTop2Gap) {

    static final Path ROOT = Path.of("src/test/resources/infer");
    static final List<String> MODELS = List.of("llama", "llama3-tied", "mistral-sliding", "qwen2-bias",
            "qwen3-qknorm");

    static Golden of(String name) {
        Path dir = ROOT.resolve(name);
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<int[]> sequences = intLists(json.get("sequences"));
        List<float[][]> logits = new ArrayList<>();
        float[][][] batch;
        try (SafetensorsModel t = SafetensorsModel.open(dir.resolve("golden.safetensors"))) {
            for (int i = 0; i < sequences.size(); i++) {
                logits.add(rows(t.floats("logits." + i), sequences.get(i).length));
            }
            long[] dims = t.info("batch.logits").orElseThrow().shape().dims();
            float[] flat = t.floats("batch.logits");
            batch = new float[(int) dims[0]][][];
            int per = (int) (dims[1] * dims[2]);
            for (int b = 0; b < dims[0]; b++) {
                float[] one = new float[per];
                System.arraycopy(flat, b * per, one, 0, per);
                batch[b] = rows(one, (int) dims[1]);
            }
        }
        JsonNode gen = json.get("generation");
        return new Golden(dir, sequences, logits, batch, intLists(gen.get("prompts")),
                gen.get("max_new_tokens").intValue(), intLists(gen.get("alone")), intLists(gen.get("batched")),
                gen.get("min_top2_gap").doubleValue());
    }

    private static float[][] rows(float[] flat, int rows) {
        int width = flat.length / rows;
        float[][] out = new float[rows][width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * width, out[r], 0, width);
        }
        return out;
    }

    private static List<int[]> intLists(JsonNode array) {
        List<int[]> out = new ArrayList<>();
        for (JsonNode row : array) {
            int[] r = new int[row.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = row.get(i).intValue();
            }
            out.add(r);
        }
        return out;
    }

    /** The largest |a - b| over the largest |b|: the error relative to the logits' scale. */
    static double relativeError(float[][] actual, float[][] expected) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                maxDiff = Math.max(maxDiff, Math.abs((double) actual[i][j] - expected[i][j]));
                maxRef = Math.max(maxRef, Math.abs(expected[i][j]));
            }
        }
        return maxDiff / maxRef;
    }
}

package dev.evomerge.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.ParameterTracker;
import dev.evomerge.diag.InputException;
import dev.evomerge.diag.Requires;
import dev.evomerge.diag.RunException;
import dev.evomerge.event.EventListener;
import dev.evomerge.infer.CausalLm;
import dev.evomerge.infer.InferenceEngine;
import dev.evomerge.infer.LoadedModel;
import dev.evomerge.infer.Tokenizer;
import dev.evomerge.infer.block.ForwardPass;
import dev.evomerge.model.ModelConfig;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.model.TokenizerFiles;
import dev.evomerge.model.WordTokenizer;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.io.ModelWriter;
import dev.evomerge.tensor.io.StagedDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Trains a llama model on prompt/completion examples with the project's own forward pass ({@link CausalLm}) under
 * DJL's autograd and Adam, on the CPU, and writes the result as a Hugging Face checkpoint. It starts either from a
 * model directory (a fine-tune: same config and tokenizer) or from a fresh seeded model of the given shape with a
 * word-level tokenizer over the given vocabulary.
 *
 * <p>Each step draws {@code batch} examples — a source file chosen by weight, then an example of it uniformly —
 * and minimises the mean cross-entropy of the completion tokens and the end-of-sequence token that follows them
 * (every token for a text example). The learning rate rises linearly over the warm-up steps, then follows a
 * cosine down to a tenth. The same settings on the same thread count give the same weights.
 */
public final class Trainer {

    /** What to start from: a model directory, or a fresh model of this shape over these words. */
    public sealed interface Start {
        /** Fine-tune the model in {@code dir}. */
        record From(Path dir) implements Start {
        }

        /** A fresh seeded llama model with a word-level tokenizer over {@code words}. */
        record Fresh(int layers, int hidden, int intermediate, int heads, int kvHeads, List<String> words)
                implements Start {
        }
    }

    /**
     * @param start what to train
     * @param data the training files, with their shares
     * @param steps optimizer steps
     * @param batch examples per step
     * @param learningRate the peak learning rate
     * @param warmup steps of linear warm-up
     * @param seed the seed of the fresh weights and the example draws
     * @param threads PyTorch intra-op threads
     * @param dtype the stored dtype of the written weights
     */
    public record Settings(Start start, List<TrainingData> data, int steps, int batch, double learningRate,
            int warmup, long seed, int threads, DType dtype) {
        public Settings {
            data = Requires.nonEmptyCopy(data, "give at least one training data file");
            if (steps < 1 || batch < 1 || warmup < 0 || threads < 1) {
                throw new IllegalArgumentException("steps, batch and threads must be >= 1 and warm-up >= 0");
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("the learning rate must be a number above 0, got "
                        + learningRate);
            }
        }
    }

    /** The outcome: the mean loss over the first and the last tenth of the steps, and the wall time. */
    public record Result(Path model, double firstLoss, double lastLoss, double seconds) {
    }

    private static final int LOG_EVERY = 50;
    private static final long MAX_SHARD = 5_000_000_000L;

    private Trainer() {
    }

    /** Trains and writes the model to {@code out} (replacing it when {@code overwrite}). */
    public static Result train(Settings settings, Path out, boolean overwrite, EventListener events) {
        long started = System.nanoTime();
        StagedDirectory.checkTarget(out, overwrite);
        Path fresh = null;
        try {
            Path init = switch (settings.start()) {
                case Start.From from -> from.dir();
                case Start.Fresh shape -> fresh = writeFresh(shape, settings.seed());
            };
            try (InferenceEngine engine = InferenceEngine.cpu(settings.threads());
                    LoadedModel model = engine.loadTrainable(init);
                    Tokenizer tokenizer = Tokenizer.load(init)) {
                List<List<int[]>> encoded = encode(settings.data(), tokenizer);
                double[] losses = run(settings, engine, model, encoded, events);
                write(model, init, out, overwrite, settings.dtype());
                int tenth = Math.max(1, losses.length / 10);
                return new Result(out, mean(losses, 0, tenth), mean(losses, losses.length - tenth, losses.length),
                        (System.nanoTime() - started) / 1e9);
            }
        } finally {
            if (fresh != null) {
                StagedDirectory.deleteRecursively(fresh);
            }
        }
    }

    private static Path writeFresh(Start.Fresh shape, long seed) {
        WordTokenizer words = WordTokenizer.of(shape.words());
        Path dir;
        try {
            dir = Files.createTempDirectory("evomerge-train-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
        Path model = dir.resolve("init");
        new SyntheticModel("llama", shape.layers(), shape.hidden(), shape.intermediate(), words.size(),
                shape.heads(), shape.kvHeads(), DType.F32, seed).write(model, false);
        try {
            Files.write(model.resolve("tokenizer.json"), words.tokenizerJson());
            Files.write(model.resolve("tokenizer_config.json"), words.tokenizerConfigJson(
                    model(model).maxPositionEmbeddings().orElse(4096)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokenizer to " + model, e);
        }
        return model;
    }

    private static ModelConfig model(Path dir) {
        return ModelConfig.read(dir.resolve("config.json"));
    }

    /**
     * Each example as {@code prompt completion [eos]} — no beginning-of-sequence token, as the evaluator feeds
     * prompts — followed by the index of its first trained token (1 for a text example: the first has no context).
     */
    private static List<List<int[]>> encode(List<TrainingData> data, Tokenizer tokenizer) {
        int eos = tokenizer.eosTokenIds().stream().min(Integer::compare).orElseThrow(() -> new InputException(
                "the tokenizer has no end-of-sequence token", "set eos_token in tokenizer_config.json"));
        List<List<int[]>> out = new ArrayList<>();
        for (TrainingData d : data) {
            List<int[]> rows = new ArrayList<>(d.examples().size());
            for (TrainingData.Example e : d.examples()) {
                int[] p = tokenizer.encode(e.prompt());
                int[] c = tokenizer.encode(e.completion());
                if (p.length + c.length == 0) {
                    throw new InputException(d.file(), "holds an empty example", "give every example some text");
                }
                int[] seq = new int[p.length + c.length + 2];
                System.arraycopy(p, 0, seq, 0, p.length);
                System.arraycopy(c, 0, seq, p.length, c.length);
                seq[seq.length - 2] = eos;
                seq[seq.length - 1] = Math.max(1, p.length); // first trained position, kept past the tokens
                rows.add(seq);
            }
            out.add(rows);
        }
        return out;
    }

    private static double[] run(Settings s, InferenceEngine engine, LoadedModel model, List<List<int[]>> data,
            EventListener events) {
        CausalLm lm = CausalLm.of(model);
        int vocab = lm.vocabSize();
        Adam adam = Adam.builder().optLearningRateTracker(schedule(s)).optClipGrad(1f).build();
        SplittableRandom random = new SplittableRandom(s.seed() ^ 0x5DEECE66DL);
        double[] cumulative = new double[s.data().size()];
        double total = 0;
        for (int i = 0; i < cumulative.length; i++) {
            total += s.data().get(i).weight();
            cumulative[i] = total;
        }
        List<LoadedModel.Parameter> parameters = model.parameters();
        double[] losses = new double[s.steps()];
        double window = 0;
        for (int step = 0; step < s.steps(); step++) {
            List<int[]> batch = new ArrayList<>(s.batch());
            for (int b = 0; b < s.batch(); b++) {
                double u = random.nextDouble() * total;
                int source = 0;
                while (cumulative[source] <= u && source < cumulative.length - 1) {
                    source++;
                }
                List<int[]> rows = data.get(source);
                batch.add(rows.get(random.nextInt(rows.size())));
            }
            losses[step] = step(engine, lm, parameters, adam, batch, vocab);
            if (!Double.isFinite(losses[step])) {
                throw new RunException("the loss became " + losses[step] + " at step " + (step + 1),
                        "lower the learning rate");
            }
            window += losses[step];
            if ((step + 1) % LOG_EVERY == 0 || step + 1 == s.steps()) {
                int n = (step % LOG_EVERY) + 1;
                events.lifecycle(String.format(Locale.ROOT, "step %d/%d: loss %.4f", step + 1, s.steps(),
                        window / n));
                window = 0;
            }
        }
        return losses;
    }

    /** One optimizer step on a left-padded batch; returns the loss before the step. */
    private static double step(InferenceEngine engine, CausalLm lm, List<LoadedModel.Parameter> parameters,
            Adam adam, List<int[]> batch, int vocab) {
        int rows = batch.size();
        int width = batch.stream().mapToInt(r -> r.length - 1).max().orElseThrow();
        long[] ids = new long[rows * width];
        int[] padLeft = new int[rows];
        float[] targets = new float[rows * width * vocab];
        int count = 0;
        for (int b = 0; b < rows; b++) {
            int[] row = batch.get(b);
            int length = row.length - 1;
            int firstTrained = row[length];
            padLeft[b] = width - length;
            for (int t = 0; t < length; t++) {
                ids[b * width + padLeft[b] + t] = row[t];
            }
            // the logits at column c predict the token at column c + 1
            for (int t = firstTrained; t < length; t++) {
                int column = padLeft[b] + t - 1;
                targets[(b * width + column) * vocab + row[t]] = 1f;
                count++;
            }
        }
        double loss;
        try (NDManager request = engine.newRequestManager();
                ForwardPass pass = new ForwardPass(request, padLeft, 0, width)) {
            NDArray weights = pass.manager().create(targets, new Shape(rows, width, vocab));
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray logits = lm.trainingLogits(pass, pass.longs(ids, rows, width));
                NDArray value = logits.logSoftmax(-1).mul(weights).sum().neg().div(count);
                collector.backward(value);
                loss = value.getFloat();
            }
            for (int i = 0; i < parameters.size(); i++) {
                NDArray weight = parameters.get(i).array();
                try (NDArray gradient = weight.getGradient()) {
                    adam.update(Integer.toString(i), weight, gradient);
                    gradient.muli(0);
                }
            }
        }
        return loss;
    }

    private static ParameterTracker schedule(Settings s) {
        return (parameterId, update) -> {
            double lr = s.learningRate();
            if (update < s.warmup()) {
                return (float) (lr * (update + 1) / s.warmup());
            }
            double progress = Math.min(1.0, (double) (update - s.warmup()) / Math.max(1, s.steps() - s.warmup()));
            return (float) (lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress))));
        };
    }

    /** Writes the trained weights (split back into the checkpoint's tensors), config.json and the tokenizer. */
    private static void write(LoadedModel model, Path init, Path out, boolean overwrite, DType dtype) {
        List<TensorInfo> infos = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (LoadedModel.Parameter p : model.parameters()) {
            float[] all = p.array().toFloatArray();
            int width = Math.max(p.cols(), 1);
            int offset = 0;
            for (int i = 0; i < p.names().size(); i++) {
                int n = p.rows()[i] * width;
                float[] part = new float[n];
                System.arraycopy(all, offset, part, 0, n);
                offset += n;
                dev.evomerge.tensor.Shape shape = p.cols() == 0 ? dev.evomerge.tensor.Shape.of(p.rows()[i])
                        : dev.evomerge.tensor.Shape.of(p.rows()[i], p.cols());
                infos.add(new TensorInfo(p.names().get(i), dtype, shape));
                values.add(part);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < infos.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> infos.get(i).name()));
        try (ModelWriter w = ModelWriter.create(out, order.stream().map(infos::get).toList(), MAX_SHARD,
                overwrite)) {
            for (int i : order) {
                float[] v = values.get(i);
                w.writeFloats(infos.get(i).name(), 0, v, 0, v.length);
            }
            w.staging().writeFile("config.json", model(init).withDtype(dtype).toBytes());
            TokenizerFiles.copy(init, w.staging().path());
            w.commit();
        }
    }

    private static double mean(double[] v, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += v[i];
        }
        return sum / Math.max(1, to - from);
    }

}

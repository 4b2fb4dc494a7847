package dev.evomerge.cli;

import static java.util.Objects.requireNonNullElse;

import dev.evomerge.diag.InputException;
import dev.evomerge.tensor.DType;
import dev.evomerge.train.Trainer;
import dev.evomerge.train.TrainingData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code evomerge train OUT --data FILE[:WEIGHT]... (--from DIR | --vocabulary FILE --layers ...)}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a small llama model with evomerge's own forward pass (DJL autograd, Adam) on"
                + " prompt/completion JSON Lines, from a model directory (--from) or from a fresh seeded model with"
                + " a word-level tokenizer (--vocabulary and the shape). Same arguments and threads give the same"
                + " weights.", "A fresh model's shape by default: 6 layers, hidden 128, intermediate 256, 4 heads and 2"
                + " key/value heads."})
final class TrainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OUT", description = "Output model directory.")
    Path out;

    @Option(names = "--data", paramLabel = "FILE[:WEIGHT]", required = true, arity = "1..*",
            description = "JSON Lines of {\"prompt\", \"completion\"} or {\"text\"}; WEIGHT is the file's share of"
                    + " the examples drawn (default 1).")
    List<String> data;

    @Option(names = "--from", paramLabel = "DIR", description = "Fine-tune this model (its config and tokenizer).")
    Path from;

    @Option(names = "--vocabulary", paramLabel = "FILE", description = "A fresh model: its words, one a line.")
    Path vocabulary;

    @CommandLine.Mixin
    ModelShapeOptions shape;

    @Option(names = "--steps", description = "Optimizer steps (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int steps;

    @Option(names = "--batch", description = "Examples per step (default: ${DEFAULT-VALUE}).", defaultValue = "32")
    int batch;

    @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).", defaultValue = "1e-3")
    double learningRate;

    @Option(names = "--warmup", description = "Warm-up steps (default: ${DEFAULT-VALUE}).", defaultValue = "50")
    int warmup;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    long seed;

    @Option(names = "--threads", description = "PyTorch threads (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int threads;

    @Option(names = "--dtype", description = "Stored dtype: bf16, f16 or f32 (default: ${DEFAULT-VALUE}).",
            defaultValue = "bf16")
    String dtype;

    @Option(names = "--overwrite", description = "Replace OUT if it exists and is not empty.")
    boolean overwrite;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Trainer.Settings settings;
        try {
            if ((from == null) == (vocabulary == null)) {
                throw new IllegalArgumentException("give either --from DIR (fine-tune) or --vocabulary FILE (a fresh"
                        + " model)");
            }
            Trainer.Start start = from != null ? new Trainer.Start.From(from)
                    : new Trainer.Start.Fresh(requireNonNullElse(shape.layers, 6),
                            requireNonNullElse(shape.hidden, 128), requireNonNullElse(shape.intermediate, 256),
                            requireNonNullElse(shape.heads, 4), requireNonNullElse(shape.kvHeads, 2),
                            words(vocabulary));
            DType stored = switch (dtype) {
                case "bf16", "bfloat16" -> DType.BF16;
                case "f16", "float16" -> DType.F16;
                case "f32", "float32" -> DType.F32;
                default -> throw new IllegalArgumentException("--dtype must be bf16, f16 or f32, got '" + dtype
                        + "'");
            };
            settings = new Trainer.Settings(start, data.stream().map(TrainingData::read).toList(), steps, batch,
                    learningRate, warmup, seed, threads, stored);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Trainer.Result r = Trainer.train(settings, out, overwrite,
                new ConsoleEvents(spec.commandLine().getOut(), spec.commandLine().getErr()));
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: loss %.4f -> %.4f in %.1f s%n", r.model(),
                r.firstLoss(), r.lastLoss(), r.seconds());
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static List<String> words(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(w -> !w.isEmpty()).toList();
        } catch (IOException e) {
            throw new InputException(file, "cannot read the vocabulary: " + e.getMessage(), "give a file of words,"
                    + " one a line");
        }
    }
}

package dev.evomerge.cli;

import static dev.evomerge.config.ByteSizes.human;

import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelConfig;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.model.TokenizerFiles;
import dev.evomerge.model.WeightInfo;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.TensorInfo;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code evomerge inspect MODEL}: what a model directory holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model's architecture, layer count, dtypes, parameter count, tensors and config.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model directory or a Hugging Face id in the local cache.")
    String model;

    @CommandLine.Option(names = "--no-tensors", description = "Leave out the tensor list.")
    boolean noTensors;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModelReference ref = CliSupport.parseReference(model);
        ModelDirectory dir = ModelDirectory.load(ModelResolver.forProcess().resolve(ref), Architectures.builtIn());
        ModelConfig c = dir.config();
        out.println("model:        " + ref + " (" + dir.model().directory() + ")");
        out.println("architecture: " + dir.architecture().name() + " (" + String.join(", ", c.architectures())
                + (c.modelType().map(t -> "; model_type " + t).orElse("")) + ")");
        out.println("layers:       " + c.integer(dir.architecture().layerCountKey()).stream().mapToObj(
                Integer::toString).findFirst().orElse("unknown (no " + dir.architecture().layerCountKey() + ")"));
        try (SafetensorsModel weights = dir.openWeights()) {
            Map<DType, Integer> dtypes = new EnumMap<>(DType.class);
            long parameters = 0;
            long bytes = 0;
            List<TensorInfo> infos = new ArrayList<>();
            for (String name : weights.names()) {
                TensorInfo t = weights.info(name).orElseThrow();
                infos.add(t);
                dtypes.merge(t.dtype(), 1, Integer::sum);
                parameters += t.numel();
                bytes += t.byteSize();
            }
            List<String> dt = new ArrayList<>();
            dtypes.forEach((k, v) -> dt.add(k + " (" + v + " tensors)"));
            out.println("dtypes:       " + String.join(", ", dt));
            out.printf(Locale.ROOT, "parameters:   %,d (%s, %s on disk in %d file%s)%n", parameters,
                    human(parameters, ""), human(bytes, "B"), weights.shards().size(),
                    weights.shards().size() == 1 ? "" : "s");
            out.println("config:       " + summary(c));
            List<String> tokenizer = TokenizerFiles.filesToCopy(dir.model().directory()).stream()
                    .map(p -> p.getFileName().toString()).toList();
            out.println("tokenizer:    " + (tokenizer.isEmpty() ? "none" : String.join(", ", tokenizer)));
            int layers = c.integer(dir.architecture().layerCountKey()).orElse(0);
            List<String> missing = dir.architecture().weights(layers).stream()
                    .filter(w -> !w.optional() && !weights.contains(w.name())).map(WeightInfo::name).toList();
            if (!missing.isEmpty()) {
                out.println("missing:      " + missing.size() + " weight(s) the architecture expects, e.g. "
                        + missing.get(0));
            }
            if (!noTensors) {
                out.println("tensors:      " + infos.size());
                int width = infos.stream().mapToInt(t -> t.name().length()).max().orElse(0);
                for (TensorInfo t : infos) {
                    out.printf(Locale.ROOT, "  %-" + width + "s  %-4s  %s%n", t.name(), t.dtype(), t.shape());
                }
            }
        }
        return 0;
    }

    private static String summary(ModelConfig c) {
        List<String> parts = new ArrayList<>();
        for (String key : List.of("hidden_size", "intermediate_size", "num_attention_heads", "num_key_value_heads",
                "head_dim", "vocab_size", "max_position_embeddings", "rope_theta", "rms_norm_eps", "sliding_window",
                "tie_word_embeddings", "torch_dtype")) {
            c.get(key).ifPresent(v -> parts.add(key + " " + (v.isFloatingPointNumber()
                    ? dev.evomerge.json.PythonJsonWriter.floatRepr(v.doubleValue()) : v.asText())));
        }
        return String.join(", ", parts);
    }
}

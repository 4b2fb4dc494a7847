package dev.evomerge.search.space;

import dev.evomerge.config.ModelSpec;
import dev.evomerge.dataflow.LayerPath;
import dev.evomerge.dataflow.LayerPath.Step;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ResolvedModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The tiny models of {@code src/test/resources/space/dfs/models} (made by {@code dfs_reference.py models}) and the
 * data-flow paths whose exports are checked against mergekit: llama a (3 layers) and b (2 layers), untied; qwen2 t
 * (3 layers) and u (2 layers), tied, with q/k/v biases; llama h (2 layers) stored as bfloat16. All float32 but h.
 */
final class DataFlowFixtures {

    static final Path ROOT = Path.of("src/test/resources/space/dfs");

    /** A golden case: the models (by name, A first) and the path over them. */
    record Case(List<String> models, LayerPath path) {
    }

    private DataFlowFixtures() {
    }

    static ModelDirectory model(String name) {
        String reference = "models/" + name;
        return ModelDirectory.load(new ResolvedModel(ModelReference.parse(reference), ROOT.resolve(reference), false),
                Architectures.builtIn());
    }

    static List<ModelDirectory> models(List<String> names) {
        return names.stream().map(DataFlowFixtures::model).toList();
    }

    static List<ModelSpec> specs(List<String> names) {
        return names.stream().map(n -> ModelSpec.of("models/" + n)).toList();
    }

    /** Every golden case by name. */
    static Map<String, Case> cases() {
        Map<String, Case> cases = new LinkedHashMap<>();
        // A's layer 1 twice, a scale other than 1 on every step, s0 = 1.3
        cases.put("constrained-scales", new Case(List.of("a", "b"), LayerPath.constrained(List.of(
                new Step(0, 0, 1.3), new Step(0, 1, 0.7), new Step(1, 1, 1.2), new Step(1, 0, 0.9),
                new Step(0, 1, 1.1), new Step(0, 2, 0.8)))));
        // runs of consecutive layers: A 0-2 unscaled share a slice, A 0-1 share 0.75, B 0 and B 1 do not
        cases.put("shared-slices", new Case(List.of("a", "b"), LayerPath.constrained(List.of(
                new Step(0, 0, 1.0), new Step(0, 1, 1.0), new Step(0, 2, 1.0), new Step(1, 0, 1.0),
                new Step(1, 1, 0.5), new Step(0, 0, 0.75), new Step(0, 1, 0.75), new Step(0, 2, 1.0)))));
        // starts with B's layer: embeddings (scaled by 0.6) and head from B
        cases.put("unconstrained-from-b", new Case(List.of("a", "b"), LayerPath.unconstrained(List.of(
                new Step(1, 1, 0.6), new Step(0, 2, 1.4), new Step(1, 0, 1.0), new Step(1, 1, 1.0)))));
        cases.put("decoded-matrix", new Case(List.of("a", "b"), decodedMatrixPath()));
        // tied embeddings (s0 stays 1, no lm_head), q/k/v biases, T's layer 1 twice in a row
        cases.put("tied-qwen2", new Case(List.of("t", "u"), LayerPath.constrained(List.of(
                new Step(0, 0, 1.0), new Step(1, 1, 1.5), new Step(1, 0, 0.5), new Step(0, 1, 1.0),
                new Step(0, 1, 0.9), new Step(0, 2, 1.2)))));
        // bfloat16 weights: a folded scale is rounded back to bfloat16, as torch rounds a bf16 tensor times a number
        cases.put("bfloat16-scales", new Case(List.of("h"), LayerPath.constrained(List.of(
                new Step(0, 0, 1.3), new Step(0, 1, 0.7), new Step(0, 0, 0.9), new Step(0, 1, 1.1)))));
        return cases;
    }

    /** A path the space decodes from a seeded genome: a and b, two repeats, matrix scales. */
    static LayerPath decodedMatrixPath() {
        DataFlowSpace space = DataFlowSpace.of(List.of(new DataFlowModel(ModelSpec.of("models/a"), 3, false),
                new DataFlowModel(ModelSpec.of("models/b"), 2, false)), DataFlowSettings.DEFAULTS.withRepeats(2));
        SplittableRandom random = new SplittableRandom(7);
        double[] genome = space.initialPoint(1.0 / 6);
        for (int k = 0; k < space.slots(); k++) {
            genome[k] = random.nextDouble(-0.6, 1);
        }
        for (int i = space.slots(); i < genome.length; i++) {
            genome[i] = random.nextDouble(0.5, 1.5);
        }
        return space.decode(genome);
    }
}

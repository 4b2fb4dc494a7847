package dev.evomerge.merge;

import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ResolvedModel;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.tensor.DType;
import java.nio.file.Path;

/** Tiny synthetic models for merge tests: a base and fine-tune-like variants of it, in one directory. */
final class TinyModels {

    private TinyModels() {
    }

    /** Writes {@code base}, {@code a}, {@code b} and {@code c} (llama, 3 layers, hidden 32) under {@code dir}. */
    static void write(Path dir) {
        new SyntheticModel("llama", 3, 32, 48, 64, 4, 2, DType.F32, 1).write(dir.resolve("base"), false);
        ModelDirectory base = ModelDirectory.load(new ResolvedModel(ModelReference.of("base"), dir.resolve("base"),
                false), Architectures.builtIn());
        SyntheticModel.perturb(base, dir.resolve("a"), 0.3, 2, false);
        SyntheticModel.perturb(base, dir.resolve("b"), 0.3, 3, false);
        SyntheticModel.perturb(base, dir.resolve("c"), 0.3, 4, false);
    }
}

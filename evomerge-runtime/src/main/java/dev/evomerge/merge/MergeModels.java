package dev.evomerge.merge;

import dev.evomerge.config.ModelSpec;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.InputException;
import dev.evomerge.diag.RunException;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.tensor.TensorSource;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models merges read, each resolved and opened once and kept until {@link #close()}: one merge opens its
 * inputs here, and an evolution run keeps one instance for all its candidates, so weights are mapped once. Models
 * that exist only in memory (a search result not yet written) can be registered under a name.
 *
 * <p>Thread-safe.
 */
public final class MergeModels implements AutoCloseable {

    private final ModelResolver resolver;
    private final Architectures families;
    private final Map<ModelReference, SourceModel> loaded = new LinkedHashMap<>();
    private final List<AutoCloseable> owned = new ArrayList<>();

    public MergeModels(ModelResolver resolver, Architectures families) {
        this.resolver = resolver;
        this.families = families;
    }

    /**
     * The model a config entry names, resolving and opening it the first time. A model that cannot be found or read
     * is a {@link ConfigException} at the entry's position.
     */
    public synchronized SourceModel get(ModelSpec spec) {
        SourceModel m = loaded.get(spec.reference());
        if (m != null) {
            return m.spec().location().equals(spec.location()) ? m : new SourceModel(spec, m.directory(), m.weights());
        }
        try {
            ModelDirectory dir = ModelDirectory.load(resolver.resolve(spec.reference()), families);
            SafetensorsModel weights = dir.openWeights();
            owned.add(weights);
            m = new SourceModel(spec, dir, weights);
        } catch (InputException | RunException e) {
            // a model that is not a local directory and cannot be had from the Hub either: named at its key
            throw new ConfigException(spec.location(), e.getMessage(), e.suggestion().orElse(null));
        }
        loaded.put(spec.reference(), m);
        return m;
    }

    /**
     * The directory of a model named only for its tokenizer ({@code tokenizer_source}), resolved without opening
     * weights, as mergekit loads just its tokenizer. A model of the merge gives its own directory. A reference
     * that does not resolve is a {@link ConfigException} at the entry's position.
     */
    public synchronized Path directoryOf(ModelSpec spec) {
        SourceModel m = loaded.get(spec.reference());
        if (m != null) {
            return m.directory().directory();
        }
        try {
            return resolver.resolve(spec.reference()).directory();
        } catch (InputException | RunException e) {
            // a local directory that is missing, or a Hub id that cannot be had: either way, the key is at fault
            throw new ConfigException(spec.location(), "tokenizer_source: " + e.getMessage(),
                    e.suggestion().orElse(null));
        }
    }

    /** Makes a model that lives in memory available under a reference (its weights stay the caller's). */
    public synchronized void register(ModelReference reference, ModelDirectory directory, TensorSource weights) {
        loaded.put(reference, new SourceModel(ModelSpec.of(reference), directory, weights));
    }

    /** Unmaps every model this instance opened. */
    @Override
    public synchronized void close() {
        RuntimeException first = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                }
            }
        }
        owned.clear();
        loaded.clear();
        if (first != null) {
            throw first;
        }
    }
}

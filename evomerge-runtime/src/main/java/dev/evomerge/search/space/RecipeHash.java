package dev.evomerge.search.space;

import dev.evomerge.config.InputSlice;
import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.MergeConfigWriter;
import dev.evomerge.config.MergeInputs;
import dev.evomerge.config.ModelDefinition;
import dev.evomerge.config.OutputSlice;
import dev.evomerge.config.Parameters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * The identity of a decoded recipe in {@code history.jsonl}: the SHA-256 of its canonical mergekit YAML, in lower
 * case hex. The YAML is {@link MergeConfigWriter}'s (fixed key order, numbers as Python writes them) with every
 * {@code parameters:} block in name order, so two configs that are equal by meaning ({@link MergeConfig#equals})
 * have the same hash however they were built or read, and the hash of a candidate's recipe does not change between
 * runs or machines. A data-flow path is hashed through its passthrough recipe ({@link DataFlowSpace#recipe}).
 *
 * <p>Stateless and thread-safe.
 */
public final class RecipeHash {

    private RecipeHash() {
    }

    /** The hash of a recipe, 64 hex digits. */
    public static String of(MergeConfig config) {
        byte[] yaml = canonicalYaml(config).getBytes(StandardCharsets.UTF_8);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(yaml));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The YAML that is hashed. */
    public static String canonicalYaml(MergeConfig config) {
        return MergeConfigWriter.write(config.withInputs(canonical(config.inputs()))
                .withParameters(sorted(config.parameters())));
    }

    private static MergeInputs canonical(MergeInputs inputs) {
        return switch (inputs) {
            case MergeInputs.Models m -> new MergeInputs.Models(m.models().stream()
                    .map(d -> new ModelDefinition(d.model(), sorted(d.parameters()), d.location())).toList(),
                    m.location());
            case MergeInputs.Slices s -> new MergeInputs.Slices(s.slices().stream().map(RecipeHash::canonical)
                    .toList(), s.location());
            case MergeInputs.Module m -> new MergeInputs.Module(m.name(), canonical(m.body()), sorted(m.parameters()),
                    m.location());
        };
    }

    private static OutputSlice canonical(OutputSlice slice) {
        return new OutputSlice(slice.sources().stream().map(s -> new InputSlice(s.model(), s.layerRange(),
                sorted(s.parameters()), s.location())).toList(), slice.baseModel(), slice.residualWeight(),
                sorted(slice.parameters()), slice.location());
    }

    private static Parameters sorted(Parameters parameters) {
        return Parameters.of(new TreeMap<>(parameters.settings()));
    }
}

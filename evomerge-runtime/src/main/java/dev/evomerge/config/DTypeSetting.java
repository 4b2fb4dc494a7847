package dev.evomerge.config;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.Requires;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.tensor.DType;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code dtype:} or {@code out_dtype:} value: one of the four names mergekit's {@code dtype_from_name} knows
 * ({@code bfloat16}, {@code float16}, {@code float32}, {@code int64}, each optionally prefixed with
 * {@code torch.}). The name is kept as written so the config can be written back unchanged. Equality ignores the
 * location. Immutable.
 *
 * @param name the name as written
 * @param dtype what it means
 * @param location where it is written
 */
public record DTypeSetting(String name, DType dtype, SourceLocation location) {

    /** The names mergekit accepts, without the optional {@code torch.} prefix. */
    public static final Map<String, DType> NAMES = Map.of(
            "bfloat16", DType.BF16, "float16", DType.F16, "float32", DType.F32, "int64", DType.I64);

    private static final Map<String, String> LIKELY = Map.of(
            "bf16", "bfloat16", "fp16", "float16", "f16", "float16", "half", "float16",
            "fp32", "float32", "f32", "float32", "float", "float32", "i64", "int64", "long", "int64");

    public DTypeSetting {
        Requires.nonNull("name, dtype, location", name, dtype, location);
        if (lookup(name).orElse(null) != dtype) {
            throw new IllegalArgumentException("dtype name '" + name + "' does not mean " + dtype);
        }
    }

    /** A generated setting with the plain name ({@code bfloat16}, ...). */
    public static DTypeSetting of(DType dtype) {
        String name = NAMES.entrySet().stream().filter(e -> e.getValue() == dtype).map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("mergekit has no dtype name for " + dtype));
        return new DTypeSetting(name, dtype, MergeConfig.GENERATED);
    }

    /**
     * Reads a name written at {@code location}.
     *
     * @throws ConfigException with mergekit's {@code Unimplemented dtype "X"} and the names that are allowed
     */
    public static DTypeSetting parse(String name, SourceLocation location) {
        DType dtype = lookup(name).orElseThrow(() -> {
            String key = name.startsWith("torch.") ? name.substring("torch.".length()) : name;
            String guess = LIKELY.get(key.toLowerCase(Locale.ROOT));
            return new ConfigException(location, "Unimplemented dtype \"" + key + "\"",
                    (guess != null ? "did you mean " + guess + "? " : "")
                            + "use bfloat16, float16, float32 or int64 (optionally prefixed with torch.)");
        });
        return new DTypeSetting(name, dtype, location);
    }

    private static Optional<DType> lookup(String name) {
        String key = name.startsWith("torch.") ? name.substring("torch.".length()) : name;
        return Optional.ofNullable(NAMES.get(key));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DTypeSetting d && name.equals(d.name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}

package dev.evomerge.tensor;

import java.util.Locale;
import java.util.Optional;

/**
 * Element types of safetensors files, with their byte sizes and the names safetensors, PyTorch and mergekit use.
 */
public enum DType {
    F64(8, "float64"),
    F32(4, "float32"),
    F16(2, "float16"),
    BF16(2, "bfloat16"),
    I64(8, "int64"),
    I32(4, "int32"),
    I16(2, "int16"),
    I8(1, "int8"),
    U8(1, "uint8"),
    BOOL(1, "bool");

    private final int byteSize;
    private final String torchName;

    DType(int byteSize, String torchName) {
        this.byteSize = byteSize;
        this.torchName = torchName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The name in a safetensors header, for example {@code BF16}. */
    public String safetensorsName() {
        return name();
    }

    /** PyTorch's name, as in {@code config.json}'s {@code torch_dtype}, for example {@code bfloat16}. */
    public String torchName() {
        return torchName;
    }

    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** The type a safetensors header names, if it is one we know. */
    public static Optional<DType> fromSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The type a mergekit config or {@code config.json} names, accepting an optional {@code torch.} prefix as
     * mergekit does, for example {@code bfloat16} or {@code torch.float16}.
     */
    public static Optional<DType> fromTorchName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("torch.")) {
            n = n.substring("torch.".length());
        }
        for (DType t : values()) {
            if (t.torchName.equals(n)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}

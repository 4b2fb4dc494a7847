package dev.evomerge.tensor.io;

import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.TensorInfo;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where each output tensor goes: which shard file, and at which byte range inside that shard's data. Shards are
 * filled in write order with mergekit's flush rule: before a tensor is added, a non-empty shard whose size plus
 * the tensor's would exceed the limit is closed, so a tensor larger than the limit gets a shard of its own. Inside a
 * shard, the header lists tensors by name and the data follows in the same order. Immutable.
 *
 * @param shards the shards in order
 * @param writeOrder every tensor in the order it was declared (the index lists them in this order)
 */
public record ShardLayout(List<Shard> shards, List<TensorInfo> writeOrder) {

    /**
     * One shard file.
     *
     * @param fileName {@code model.safetensors}, or {@code model-0000i-of-0000N.safetensors}
     * @param tensors its tensors sorted by name, each with its byte range in the data
     */
    public record Shard(String fileName, List<Placed> tensors) {
        public Shard {
            tensors = List.copyOf(tensors);
        }

        /** Bytes of tensor data in this shard. */
        public long dataBytes() {
            return tensors.isEmpty() ? 0 : tensors.getLast().end();
        }
    }

    /** A tensor and its byte range {@code [begin, end)} in its shard's data. */
    public record Placed(TensorInfo info, long begin, long end) {
    }

    /** The reference library's dtype order inside a file: widest alignment first. */
    private static final List<DType> DTYPE_ORDER = List.of(DType.I64, DType.F64, DType.F32, DType.I32, DType.BF16,
            DType.F16, DType.I16, DType.I8, DType.U8, DType.BOOL);

    private static final Comparator<TensorInfo> LIBRARY_ORDER = Comparator
            .<TensorInfo>comparingInt(t -> DTYPE_ORDER.indexOf(t.dtype()))
            .thenComparing(t -> t.name().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned);

    public ShardLayout {
        shards = List.copyOf(shards);
        writeOrder = List.copyOf(writeOrder);
    }

    /** Lays out tensors given in write order, with shards of at most {@code maxShardBytes} (unless one tensor is larger). */
    public static ShardLayout of(List<TensorInfo> tensorsInWriteOrder, long maxShardBytes) {
        Objects.requireNonNull(tensorsInWriteOrder, "tensorsInWriteOrder");
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("shard size must be > 0, got " + maxShardBytes);
        }
        List<List<TensorInfo>> groups = new ArrayList<>();
        List<TensorInfo> current = new ArrayList<>();
        long currentBytes = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (TensorInfo t : tensorsInWriteOrder) {
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' declared twice");
            }
            long size = t.byteSize();
            if (!current.isEmpty() && currentBytes + size > maxShardBytes) {
                groups.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(t);
            currentBytes += size;
        }
        if (!current.isEmpty() || groups.isEmpty()) {
            groups.add(current);
        }
        List<Shard> shards = new ArrayList<>();
        int n = groups.size();
        for (int i = 0; i < n; i++) {
            String name = n == 1 ? SafetensorsModel.SINGLE_FILE
                    : String.format(java.util.Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, n);
            List<TensorInfo> sorted = new ArrayList<>(groups.get(i));
            sorted.sort(LIBRARY_ORDER);
            List<Placed> placed = new ArrayList<>();
            long offset = 0;
            for (TensorInfo t : sorted) {
                placed.add(new Placed(t, offset, offset + t.byteSize()));
                offset += t.byteSize();
            }
            shards.add(new Shard(name, placed));
        }
        return new ShardLayout(shards, tensorsInWriteOrder);
    }

    /** Total bytes of tensor data, as the index's {@code metadata.total_size}. */
    public long totalBytes() {
        return shards.stream().mapToLong(Shard::dataBytes).sum();
    }

    /** The shard file name of each tensor, in write order. */
    public Map<String, String> weightMap() {
        Map<String, String> fileOf = new java.util.HashMap<>();
        for (Shard s : shards) {
            for (Placed p : s.tensors()) {
                fileOf.put(p.info().name(), s.fileName());
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (TensorInfo t : writeOrder) {
            out.put(t.name(), fileOf.get(t.name()));
        }
        return out;
    }
}

package dev.evomerge.bench;

import dev.evomerge.Merge;
import dev.evomerge.MergeRequest;
import dev.evomerge.MergeResult;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ResolvedModel;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.report.DigestCache;
import dev.evomerge.report.LockDigests;
import dev.evomerge.tensor.DType;
import dev.evomerge.tensor.io.SafetensorsModel;
import dev.evomerge.tensor.io.StagedDirectory;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Merges three synthetic bf16 llama models with linear, ties and dare_ties, at two model sizes, next to a plain read
 * of the same input files in the same run. Each method runs in fresh JVMs, so that its peak RSS (VmHWM) is its own,
 * which merge the models several times over: the first merge is what a one-shot {@code evomerge merge} costs,
 * start-up and JIT compilation included; the later ones are the engine in a running JVM, as {@code evomerge evolve}
 * merges its candidates one after another and as a Maven daemon runs the goal again. Both are printed, with their
 * ratios to the plain read (itself measured in a running JVM). Targets: linear at least 50% of the plain-read
 * throughput, ties and dare_ties at least 25%, peak RSS under 2 GB.
 *
 * <p>Run: {@code bench/run.sh merge [--dir DIR] [--sizes 12,24] [--threads 2] [--rounds 2] [--merges 4] [--keep]};
 * sizes are layer counts of a hidden-2048 model (12 layers ≈ 1.34 GB in bf16), {@code --merges} the merges with the lock
 * per JVM (the first included; each later one is paired with one without the lock).
 * Each figure is the best of its rounds (the machine is shared), peak RSS the largest; the plain read is also taken
 * before every JVM, and its best kept. A merge's output is deleted before the next one starts, outside its time.
 *
 * <p>What {@code evomerge.lock.json} costs is measured against the same merge without it
 * ({@link Merge#withoutLock()}), in the same JVMs: each method runs in two JVMs per round, whose first merges are
 * one with the lock and one without, and whose later merges alternate the two. A JVM starts with an empty digest
 * cache, so its first merge with the lock hashes the inputs and the output, the later ones the output only (the
 * inputs' hashes come from the cache). Printed: the best time with and without the lock, the share of the time with
 * it that the lock adds, and how long the merge waited for hashes after writing (the rest ran alongside it); and,
 * for comparison, the same hashes taken one after the other once the merge without the lock is written, as a lock
 * computed after the merge costs.
 */
public final class MergeBenchmark {

    private static final String[] METHODS = {"linear", "ties", "dare_ties"};

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args);
            return;
        }
        BenchArgs a = new BenchArgs(args);
        Path root = a.path("dir", "evomerge-runtime/target/bench/merge");
        int threads = (int) a.number("threads", Runtime.getRuntime().availableProcessors());
        int rounds = (int) a.number("rounds", 2);
        int merges = (int) a.number("merges", 4);
        if (merges < 2) {
            throw new IllegalArgumentException("--merges must be at least 2: the first merge of a JVM and a later one");
        }
        List<String> rows = new ArrayList<>();
        for (String size : a.text("sizes", "12,24").split(",")) {
            int layers = Integer.parseInt(size.strip());
            Path dir = root.resolve(layers + "-layers");
            List<Path> inputs = models(dir, layers);
            long inputBytes = 0;
            for (Path m : inputs) {
                inputBytes += Files.size(m.resolve("model.safetensors"));
            }
            // the baseline is read again before every merge and its best kept: one read right after the models
            // were written, or while the machine is busy, can take twice as long
            plainRead(inputs);
            double plain = Double.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                plain = Math.min(plain, plainRead(inputs));
            }
            Map<String, double[]> results = new java.util.LinkedHashMap<>();
            for (String method : METHODS) {
                Path config = dir.resolve(method + ".yml");
                Files.writeString(config, config(method));
                // best times: [0] later merge with the lock, [1] first merge with it, [2] peak RSS, [3] later merge's
                // wait for hashes, [4] first merge's, [5] later merge without the lock, [6] first merge without it,
                // [7] the later merge's hashes taken after it instead of alongside
                double[] v = {Double.MAX_VALUE, Double.MAX_VALUE, 0, 0, 0, Double.MAX_VALUE, Double.MAX_VALUE,
                        Double.MAX_VALUE};
                for (int r = 0; r < rounds; r++) {
                    for (boolean firstLocked : new boolean[] {true, false}) {
                        plain = Math.min(plain, plainRead(inputs));
                        String[] result = runChild(config, dir.resolve("out-" + method), threads, merges,
                                firstLocked).split(" ");
                        double first = Double.parseDouble(result[0]);
                        if (firstLocked && first < v[1]) {
                            v[1] = first;
                            v[4] = Double.parseDouble(result[1]);
                        } else if (!firstLocked) {
                            v[6] = Math.min(v[6], first);
                        }
                        v[2] = Math.max(v[2], Long.parseLong(result[2]));
                        for (int m = 1; m < merges; m++) {
                            int at = 3 + 4 * (m - 1);
                            double locked = Double.parseDouble(result[at]);
                            if (locked < v[0]) {
                                v[0] = locked;
                                v[3] = Double.parseDouble(result[at + 2]);
                            }
                            v[5] = Math.min(v[5], Double.parseDouble(result[at + 1]));
                            v[7] = Math.min(v[7], Double.parseDouble(result[at + 3]));
                        }
                    }
                }
                results.put(method, v);
            }
            rows.add(String.format(Locale.ROOT, "%2d layers, inputs %.2f GB: plain read %.2f s (%.2f GB/s)",
                    layers, inputBytes / 1e9, plain, inputBytes / 1e9 / plain));
            rows.add("   method    in a running JVM                  first merge of a fresh JVM      peak RSS");
            for (var e : results.entrySet()) {
                double[] v = e.getValue();
                rows.add(String.format(Locale.ROOT,
                        "   %-9s %6.2f s  %5.2f GB/s  ratio %.2f   %6.2f s  ratio %.2f   %10.2f GB", e.getKey(), v[0],
                        inputBytes / 1e9 / v[0], plain / v[0], v[1], plain / v[1], v[2] / 1e6 * 1.024));
            }
            rows.add("   evomerge.lock.json: merge with it / without it, share of the time it adds, wait for hashes");
            rows.add("   method    running JVM (inputs' hashes cached)            first merge (inputs and output hashed)");
            for (var e : results.entrySet()) {
                double[] v = e.getValue();
                rows.add(String.format(Locale.ROOT, "   %-9s %6.2f / %6.2f s  %4.0f%%  wait %5.2f s      "
                        + "%6.2f / %6.2f s  %4.0f%%  wait %5.2f s", e.getKey(), v[0], v[5], 100 * (v[0] - v[5]) / v[0],
                        v[3], v[1], v[6], 100 * (v[1] - v[6]) / v[1], v[4]));
            }
            rows.add("   the running JVM's hashes taken after the merge instead (output, inputs from the cache):");
            for (var e : results.entrySet()) {
                double[] v = e.getValue();
                rows.add(String.format(Locale.ROOT, "   %-9s %6.2f s + %5.2f s  %4.0f%%", e.getKey(), v[5], v[7],
                        100 * v[7] / (v[5] + v[7])));
            }
            if (!a.flag("keep")) {
                StagedDirectory.deleteRecursively(dir);
            }
        }
        System.out.println("merge of three bf16 llama models (hidden 2048, intermediate 5632, vocab 32000), "
                + threads + " threads, " + merges + " merges per JVM, best of " + rounds + " rounds");
        rows.forEach(System.out::println);
        System.out.println("targets: linear >= 0.50, ties and dare_ties >= 0.25 of the plain read; peak RSS < 2 GB");
        System.out.println("(a fresh JVM's first merge includes its start-up and JIT compilation)");
    }

    static String config(String method) {
        String params = method.equals("linear") ? "{weight: 0.4}" : "{weight: 0.4, density: 0.5}";
        String base = method.equals("linear") ? "" : "base_model: base\n";
        return "merge_method: " + method + "\n" + base + "models:\n"
                + (method.equals("linear") ? "  - model: base\n    parameters: {weight: 0.2}\n" : "")
                + "  - model: a\n    parameters: " + params + "\n"
                + "  - model: b\n    parameters: " + params + "\n";
    }

    static List<Path> models(Path dir, int layers) {
        Path base = dir.resolve("base");
        if (!Files.exists(base)) {
            System.out.println("writing three " + layers + "-layer bf16 models to " + dir);
            new SyntheticModel("llama", layers, 2048, 5632, 32000, 16, 4, DType.BF16, 1).write(base, true);
            ModelDirectory b = ModelDirectory.load(new ResolvedModel(ModelReference.of("base"), base, false),
                    Architectures.builtIn());
            SyntheticModel.perturb(b, dir.resolve("a"), 0.1, 2, true);
            SyntheticModel.perturb(b, dir.resolve("b"), 0.1, 3, true);
            // the new files on disk before any timing, so that their write-back does not run during it
            for (String m : List.of("base", "a", "b")) {
                try (var ch = java.nio.channels.FileChannel.open(dir.resolve(m).resolve("model.safetensors"),
                        java.nio.file.StandardOpenOption.WRITE)) {
                    ch.force(true);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        return List.of(base, dir.resolve("a"), dir.resolve("b"));
    }

    /** Seconds to read every input file through the mapping, summing 8-byte words. */
    static double plainRead(List<Path> inputs) throws IOException {
        long start = System.nanoTime();
        long sum = 0;
        for (Path m : inputs) {
            try (var ch = java.nio.channels.FileChannel.open(m.resolve("model.safetensors"))) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(8 << 20);
                MemorySegment view = MemorySegment.ofBuffer(buf);
                int n;
                while ((n = ch.read(buf.clear())) > 0) {
                    for (long i = 0; i < n / 8; i++) {
                        sum += view.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i);
                    }
                }
            }
        }
        if (sum == 42) {
            System.out.print("");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static String runChild(Path config, Path out, int threads, int merges, boolean firstLocked)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), MergeBenchmark.class.getName(), "--child", config.toString(),
                out.toString(), Integer.toString(threads), Integer.toString(merges), Boolean.toString(firstLocked))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("merge of " + config + " failed: " + result);
        }
        return result;
    }

    /**
     * In the child JVM: the first merge (with the lock or without it, as told), then for each later one the merge
     * with the lock and without it, in turns, the latter followed by its hashes taken after it; prints
     * "first firstWait peakRssKb" and then "locked unlocked wait hashedAfter" per later merge, in seconds, on one
     * line. The JVM starts with an empty digest cache.
     */
    private static void child(String[] args) throws IOException {
        Path config = Path.of(args[1]);
        Path out = Path.of(args[2]);
        int threads = Integer.parseInt(args[3]);
        int merges = Integer.parseInt(args[4]);
        Path cache = out.resolveSibling(out.getFileName() + "-digests");
        StagedDirectory.deleteRecursively(cache);
        Map<String, String> environment = Map.of("EVOMERGE_CACHE", cache.toString());
        double[] first = merge(Boolean.parseBoolean(args[5]) ? Merge.standard() : Merge.withoutLock(), config, out,
                threads, environment);
        List<String> later = new ArrayList<>();
        for (int m = 1; m < merges; m++) {
            // which goes first alternates, so that neither always follows the other's page cache state
            double[] locked = m % 2 == 1 ? merge(Merge.standard(), config, out, threads, environment) : null;
            double[] unlocked = merge(Merge.withoutLock(), config, out, threads, environment);
            double after = hashAfter(config.getParent(), out, threads, environment);
            if (locked == null) {
                locked = merge(Merge.standard(), config, out, threads, environment);
            }
            later.add(String.format(Locale.ROOT, "%.3f %.3f %.3f %.3f", locked[0], unlocked[0], locked[1], after));
        }
        StagedDirectory.deleteRecursively(out);
        StagedDirectory.deleteRecursively(cache);
        long hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
        System.out.println(String.format(Locale.ROOT, "%.3f %.3f %d ", first[0], first[1], hwm)
                + String.join(" ", later));
    }

    /**
     * Seconds to take the lock's hashes of a merge already written, one after the other as a lock written after the
     * merge would: the inputs' through the digest cache, then the output's files.
     */
    private static double hashAfter(Path dir, Path out, int threads, Map<String, String> environment) {
        long start = System.nanoTime();
        List<ResolvedModel> models = new ArrayList<>();
        for (String m : List.of("base", "a", "b")) {
            models.add(new ResolvedModel(ModelReference.of(m), dir.resolve(m), false));
        }
        LockDigests.inputs(models, DigestCache.forUser(environment), threads);
        LockDigests.outputs(out, threads, Map.of());
        return (System.nanoTime() - start) / 1e9;
    }

    /** One merge into a fresh {@code out}: {seconds, seconds waited for hashes}. */
    private static double[] merge(Merge merge, Path config, Path out, int threads, Map<String, String> environment) {
        StagedDirectory.deleteRecursively(out);
        long start = System.nanoTime();
        MergeResult r = merge.run(new MergeRequest(config, out, 0, MergeRequest.DEFAULT_SHARD_SIZE, threads,
                512L << 20, false, config.getParent(), environment), EventListener.NONE);
        return new double[] {(System.nanoTime() - start) / 1e9, r.hashing().toNanos() / 1e9};
    }
}

package dev.evomerge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.search.Direction;
import dev.evomerge.search.Optimizer;
import dev.evomerge.search.StateFile;
import dev.evomerge.search.StateJson;
import dev.evomerge.search.Xoshiro256;
import dev.evomerge.search.cmaes.CmaEs;
import dev.evomerge.search.cmaes.CmaEsSettings;
import dev.evomerge.search.cmaes.SepCmaEs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Paper-scale search state: a data-flow genome of n genes (default 4,400, about M = 64, r = 3 with the scale matrix).
 * For a full CMA-ES and a separable one, run on a sphere for a number of generations (default: the full CMA-ES'
 * eigendecomposition interval at this n, so the run ends with one decomposition of C): the optimizer's own time per
 * generation (ask + tell, the fitness excluded) as the mean over the generations without a decomposition, the
 * generation with one, and the amortised mean over the whole run; then the checkpoint (as the run writes it, after a
 * tell) written as a {@link StateFile} (size, write time, read time) against the same state as one JSON string
 * written to a file (the earlier format, the baseline). {@code --restore} also times restoring the optimizer from
 * the file (a full CMA-ES decomposes the stored C again) and checks that it asks what the original asks.
 *
 * <p>{@code BENCH_HEAP=6g bench/run.sh checkpoint [--n 4400] [--generations G] [--dir target/bench-checkpoint]
 * [--restore]}
 */
public final class CheckpointBenchmark {

    public static void main(String[] args) throws IOException {
        BenchArgs a = new BenchArgs(args);
        int n = (int) a.number("n", 4400);
        Path dir = a.path("dir", "evomerge-runtime/target/bench-checkpoint");
        boolean restore = a.flag("restore");
        Files.createDirectories(dir);
        double[] x0 = new double[n];
        java.util.Arrays.fill(x0, 0.5);
        CmaEsSettings settings = CmaEsSettings.of(x0, 1.0 / 6).withDirection(Direction.MINIMIZE);
        CmaEs full = CmaEs.start(settings, Xoshiro256.seeded(1));
        int interval = full.parameters().eigenInterval();
        int generations = (int) a.number("generations", interval);
        System.out.printf(Locale.ROOT, "n = %d genes, population %d, %d generations (full CMA-ES decomposes C every"
                + " %d), %d threads in the common pool%n", n, settings.populationSize(), generations, interval,
                java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
        measure("full CMA-ES", full, generations, interval, dir, restore ? CmaEs::restore : null);
        measure("sep-CMA-ES", SepCmaEs.start(settings, Xoshiro256.seeded(1)), generations, 0, dir,
                restore ? SepCmaEs::restore : null);
    }

    private static void measure(String name, Optimizer o, int generations, int interval, Path dir,
            Function<JsonNode, Optimizer> restorer) throws IOException {
        double plain = 0;
        double plainCpu = 0;
        int plainCount = 0;
        double decomposing = 0;
        double decomposingCpu = 0;
        int decomposingCount = 0;
        for (int g = 0; g < generations; g++) {
            double cpu = cpuSeconds();
            long t = System.nanoTime();
            List<double[]> xs = o.ask();
            double seconds = (System.nanoTime() - t) / 1e9;
            double[] f = new double[xs.size()];
            for (int k = 0; k < f.length; k++) {
                for (double v : xs.get(k)) {
                    f[k] += (v - 0.3) * (v - 0.3);
                }
            }
            t = System.nanoTime();
            o.tellFitness(f);
            seconds += (System.nanoTime() - t) / 1e9;
            cpu = cpuSeconds() - cpu; // includes the fitness, which is O(lambda n), next to nothing
            // the tell that ends generation g decomposes C when g + 1 is a multiple of the interval
            if (interval > 0 && (g + 1) % interval == 0) {
                decomposing += seconds;
                decomposingCpu += cpu;
                decomposingCount++;
            } else {
                plain += seconds;
                plainCpu += cpu;
                plainCount++;
            }
        }
        System.out.printf(Locale.ROOT, "%s: optimizer per generation (ask + tell), wall (process CPU): %.3f s"
                + " (%.3f s) without a decomposition (mean of %d)%s; amortised over the run %.3f s (%.3f s)%n", name,
                plain / Math.max(1, plainCount), plainCpu / Math.max(1, plainCount), plainCount,
                decomposingCount == 0 ? "" : String.format(Locale.ROOT, ", %.1f s (%.1f s) with one (mean of %d)",
                        decomposing / decomposingCount, decomposingCpu / decomposingCount, decomposingCount),
                (plain + decomposing) / generations, (plainCpu + decomposingCpu) / generations);
        // as the run loop writes it: after the tell, before the next generation is asked
        Path binary = dir.resolve(o.kind() + ".bin");
        Path json = dir.resolve(o.kind() + ".json");
        double bestWrite = Double.POSITIVE_INFINITY;
        double bestRead = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 3; round++) {
            long t = System.nanoTime();
            ObjectNode state = o.state();
            StateFile.write(binary, state);
            bestWrite = Math.min(bestWrite, (System.nanoTime() - t) / 1e9);
            t = System.nanoTime();
            StateFile.read(binary);
            bestRead = Math.min(bestRead, (System.nanoTime() - t) / 1e9);
        }
        long t0 = System.nanoTime();
        Files.write(json, StateJson.write(o.state()).getBytes(StandardCharsets.UTF_8));
        double jsonWrite = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%s: checkpoint %.1f MB written in %.2f s, read in %.2f s; as JSON text"
                + " (baseline) %.1f MB in %.2f s: size ratio %.2f, time ratio %.2f%n", name,
                Files.size(binary) / 1e6, bestWrite, bestRead, Files.size(json) / 1e6, jsonWrite,
                Files.size(binary) / (double) Files.size(json), bestWrite / jsonWrite);
        Files.delete(json);
        if (restorer != null) {
            long t = System.nanoTime();
            Optimizer back = restorer.apply(StateFile.read(binary));
            double seconds = (System.nanoTime() - t) / 1e9;
            List<double[]> expected = o.ask();
            List<double[]> actual = back.ask();
            boolean same = true;
            for (int k = 0; k < expected.size(); k++) {
                same &= java.util.Arrays.equals(expected.get(k), actual.get(k));
            }
            System.out.printf(Locale.ROOT, "%s: restored from the file in %.1f s; its next generation %s%n", name,
                    seconds, same ? "identical to the uninterrupted run's" : "DIFFERS from the uninterrupted run's");
        }
    }

    /** The CPU time of the whole process so far: the optimizer's threads, and the JIT's and the collector's. */
    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }
}

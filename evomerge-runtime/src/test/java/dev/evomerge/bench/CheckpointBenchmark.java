package dev.evomerge.bench;

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

/**
 * Paper-scale search state: a data-flow genome of n genes (default 4,400, about M = 64, r = 3 with the scale matrix).
 * For a full CMA-ES and a separable one, after a few generations on a sphere: the checkpoint (as the run writes it,
 * after a tell) written as a
 * {@link StateFile} (size, write time, read time) against the same state as one JSON string written to a file (the
 * earlier format, the baseline), and the optimizer's own time per generation (ask + tell, the fitness excluded).
 * A full CMA-ES decomposes its n x n matrix only every few hundred generations at this n; {@code --eigen} also times
 * one decomposition.
 *
 * <p>{@code bench/run.sh checkpoint [--n 4400] [--generations 3] [--dir target/bench-checkpoint] [--eigen]}
 */
public final class CheckpointBenchmark {

    public static void main(String[] args) throws IOException {
        BenchArgs a = new BenchArgs(args);
        int n = (int) a.number("n", 4400);
        int generations = (int) a.number("generations", 3);
        Path dir = a.path("dir", "evomerge-runtime/target/bench-checkpoint");
        Files.createDirectories(dir);
        double[] x0 = new double[n];
        java.util.Arrays.fill(x0, 0.5);
        CmaEsSettings settings = CmaEsSettings.of(x0, 1.0 / 6).withDirection(Direction.MINIMIZE);
        System.out.printf(Locale.ROOT, "n = %d genes, population %d, %d generations%n", n,
                settings.populationSize(), generations);
        measure("full CMA-ES", CmaEs.start(settings, Xoshiro256.seeded(1)), generations, dir);
        measure("sep-CMA-ES", SepCmaEs.start(settings, Xoshiro256.seeded(1)), generations, dir);
        if (a.flag("eigen")) {
            double[][] c = new double[n][n];
            Xoshiro256 r = Xoshiro256.seeded(3);
            for (int i = 0; i < n; i++) {
                c[i][i] = 1.0 + r.nextDouble();
                for (int j = 0; j < i; j++) {
                    c[i][j] = c[j][i] = 1e-3 * r.nextGaussian();
                }
            }
            long t = System.nanoTime();
            dev.evomerge.search.cmaes.SymmetricEigenAccess.decompose(c);
            System.out.printf(Locale.ROOT, "one eigendecomposition of the %d x %d covariance: %.1f s%n", n, n,
                    (System.nanoTime() - t) / 1e9);
        }
    }

    private static void measure(String name, Optimizer o, int generations, Path dir) throws IOException {
        double optimizerSeconds = 0;
        for (int g = 0; g < generations; g++) {
            long t = System.nanoTime();
            List<double[]> xs = o.ask();
            optimizerSeconds += (System.nanoTime() - t) / 1e9;
            double[] f = new double[xs.size()];
            for (int k = 0; k < f.length; k++) {
                for (double v : xs.get(k)) {
                    f[k] += (v - 0.3) * (v - 0.3);
                }
            }
            t = System.nanoTime();
            o.tellFitness(f);
            optimizerSeconds += (System.nanoTime() - t) / 1e9;
        }
        // as the run loop writes it: after the tell, before the next generation is asked
        Path binary = dir.resolve(o.kind() + ".bin");
        Path json = dir.resolve(o.kind() + ".json");
        double bestWrite = Double.POSITIVE_INFINITY;
        double bestJson = Double.POSITIVE_INFINITY;
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
        {
            long t = System.nanoTime();
            Files.write(json, StateJson.write(o.state()).getBytes(StandardCharsets.UTF_8));
            bestJson = (System.nanoTime() - t) / 1e9;
        }
        System.out.printf(Locale.ROOT, "%s: optimizer %.3f s per generation (ask + tell); checkpoint %.1f MB written"
                + " in %.2f s, read in %.2f s; as JSON text (baseline) %.1f MB in %.2f s: size ratio %.2f, time"
                + " ratio %.2f%n", name, optimizerSeconds / generations, Files.size(binary) / 1e6, bestWrite,
                bestRead, Files.size(json) / 1e6, bestJson, Files.size(binary) / (double) Files.size(json),
                bestWrite / bestJson);
        Files.delete(json);
    }
}

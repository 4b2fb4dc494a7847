package dev.evomerge.bench;

import dev.evomerge.tensor.io.StagedDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Start-up of the packaged command line with and without its ahead-of-time cache (JDK 25, built at package time
 * from {@code AotTraining}): {@code evomerge --version}, {@code evomerge merge --help} (a command's start-up through
 * its command-line parser, which {@code --version} skips), and a fresh JVM's first merge (linear over three synthetic
 * bf16 llama models of hidden 2048, as {@code bench/run.sh merge}), each a whole process run through the
 * {@code evomerge} launcher beside the jar, {@code EVOMERGE_NO_AOT=1} for the runs without the cache. Rounds alternate
 * between the two; best of each reported, wall time and (where {@code /usr/bin/time} is there) the child's CPU time,
 * which a busy shared machine disturbs less; the merge also as a ratio to a plain read of the same input files
 * (measured in this JVM before every round, best kept). Targets: {@code --version} under 150 ms, the first merge with
 * the cache at least 0.5 of the plain read (12 layers).
 *
 * <p>Needs the package: {@code ./mvnw -pl evomerge-runtime package -DskipTests} first. Run:
 * {@code bench/run.sh startup [--rounds 5] [--layers 12] [--threads 2] [--dir DIR] [--keep]}.
 */
public final class StartupBenchmark {

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs(args);
        int rounds = (int) a.number("rounds", 5);
        int layers = (int) a.number("layers", 12);
        int threads = (int) a.number("threads", 2);
        Path target = Path.of("evomerge-runtime/target").toAbsolutePath();
        Path launcher = target.resolve("evomerge");
        if (!Files.isExecutable(launcher) || !Files.exists(target.resolve("evomerge.aot"))) {
            System.err.println("error: no " + launcher + " with evomerge.aot beside it; build them with"
                    + " ./mvnw -pl evomerge-runtime package -DskipTests");
            System.exit(2);
        }
        Path dir = a.path("dir", "evomerge-runtime/target/bench/merge").resolve(layers + "-layers").toAbsolutePath();
        List<Path> inputs = MergeBenchmark.models(dir, layers);
        Path config = dir.resolve("linear.yml");
        Files.writeString(config, MergeBenchmark.config("linear"));
        Path out = dir.resolve("out-startup");
        MergeBenchmark.plainRead(inputs);
        double plain = Double.MAX_VALUE;
        // per side (with, without the cache): best wall seconds, best CPU seconds
        double[][] version = {{Double.MAX_VALUE, Double.MAX_VALUE}, {Double.MAX_VALUE, Double.MAX_VALUE}};
        double[][] merge = {{Double.MAX_VALUE, Double.MAX_VALUE}, {Double.MAX_VALUE, Double.MAX_VALUE}};
        double[][] help = {{Double.MAX_VALUE, Double.MAX_VALUE}, {Double.MAX_VALUE, Double.MAX_VALUE}};
        List<String> versionCommand = List.of(launcher.toString(), "--version");
        List<String> helpCommand = List.of(launcher.toString(), "merge", "--help");
        List<String> mergeCommand = List.of(launcher.toString(), "merge", config.toString(), out.toString(),
                "--threads", Integer.toString(threads), "--overwrite");
        for (int r = 0; r < rounds; r++) {
            for (int side = 0; side < 2; side++) {
                boolean aot = side == 0;
                best(version[side], run(versionCommand, aot, dir));
                best(help[side], run(helpCommand, aot, dir));
                plain = Math.min(plain, MergeBenchmark.plainRead(inputs));
                StagedDirectory.deleteRecursively(out);
                best(merge[side], run(mergeCommand, aot, dir));
            }
        }
        StagedDirectory.deleteRecursively(out);
        long inputBytes = 0;
        for (Path m : inputs) {
            inputBytes += Files.size(m.resolve("model.safetensors"));
        }
        System.out.printf(Locale.ROOT, "evomerge launcher on %s, best of %d rounds; linear merge of three %d-layer"
                + " bf16 llama models (%.2f GB in), %d threads; plain read %.2f s%n",
                System.getProperty("java.version"), rounds, layers, inputBytes / 1e9, threads, plain);
        System.out.printf(Locale.ROOT, "%-20s %22s %22s %46s%n", "", "--version", "merge --help",
                "first merge of a fresh JVM");
        System.out.printf(Locale.ROOT, "%-20s %11s %10s %11s %10s %12s %12s %20s%n", "", "wall", "CPU", "wall", "CPU",
                "wall", "CPU", "ratio to plain read");
        String[] names = {"with the AOT cache", "without"};
        for (int side = 0; side < 2; side++) {
            System.out.printf(Locale.ROOT, "%-20s %8.0f ms %7.0f ms %8.0f ms %7.0f ms %10.2f s %10.2f s %20.2f%n",
                    names[side], version[side][0] * 1000, version[side][1] * 1000, help[side][0] * 1000,
                    help[side][1] * 1000, merge[side][0], merge[side][1], plain / merge[side][0]);
        }
        System.out.printf(Locale.ROOT, "%-20s %10.2fx %9.2fx %10.2fx %9.2fx %11.2fx %11.2fx%n", "speed-up",
                version[1][0] / version[0][0], version[1][1] / version[0][1], help[1][0] / help[0][0],
                help[1][1] / help[0][1], merge[1][0] / merge[0][0], merge[1][1] / merge[0][1]);
        System.out.println("targets: --version < 150 ms; first merge with the cache >= 0.50 of the plain read");
        if (!a.flag("keep")) {
            StagedDirectory.deleteRecursively(out);
        }
    }

    private static void best(double[] best, double[] round) {
        best[0] = Math.min(best[0], round[0]);
        best[1] = Math.min(best[1], round[1]);
    }

    /**
     * Wall and CPU seconds (user + system; NaN without {@code /usr/bin/time}) of one whole process, run in
     * {@code dir} (the merge config's model paths are relative to it).
     */
    private static double[] run(List<String> command, boolean aot, Path dir) throws IOException,
            InterruptedException {
        Path time = Path.of("/usr/bin/time");
        Path cpuFile = Files.createTempFile("evomerge-startup", ".time");
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(time)) {
            full.addAll(List.of(time.toString(), "-f", "%U %S", "-o", cpuFile.toString()));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        if (!aot) {
            pb.environment().put("EVOMERGE_NO_AOT", "1");
        }
        long start = System.nanoTime();
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(output));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = Double.NaN;
        String[] times = Files.readString(cpuFile).strip().split("\\s+");
        if (times.length >= 2) {
            cpu = Double.parseDouble(times[times.length - 2]) + Double.parseDouble(times[times.length - 1]);
        }
        Files.delete(cpuFile);
        return new double[] {wall, cpu};
    }
}

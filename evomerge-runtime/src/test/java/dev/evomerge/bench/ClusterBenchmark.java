package dev.evomerge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.event.EventListener;
import dev.evomerge.exec.SlurmCluster;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.search.evolve.EvolutionResult;
import dev.evomerge.search.evolve.EvolutionRun;
import dev.evomerge.search.evolve.EvolveConfigReader;
import dev.evomerge.search.evolve.EvolveFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Evaluations per minute of the tiny evolve setting ({@link EvolveFixture}: three 2-layer llama models, a
 * perplexity task) evaluated in process and as Slurm job arrays on a one-node Slurm started here
 * ({@link SlurmCluster}; needs slurm-wlm, munge and root), and the driver's overhead per generation: the
 * generation's wall time (from one array's batch to the next) less Slurm's scheduling latency (submission to the
 * first task's start) and the tasks' span (first start to last end). Options: {@code --generations 4},
 * {@code --population 4}, {@code --parallelism 2}, {@code --keep} (keep the work folders and print where).
 */
public final class ClusterBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BATCH = Pattern.compile("slurm batch ps-g(\\d+): \\d+ results .*entered_ms=(\\d+)"
            + " submitted_ms=(\\d+) collected_ms=(\\d+)");

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs(args);
        int generations = (int) a.number("generations", 4);
        int population = (int) a.number("population", 4);
        int parallelism = (int) a.number("parallelism", 2);
        Path dir = Files.createTempDirectory("evomerge-cluster-bench");
        EvolveFixture.create(dir);
        String search = EvolveFixture.TIES_GENOME + String.format(Locale.ROOT, """
                search:
                  optimizer: cmaes
                  population: %d
                  budget: {generations: %d}
                  seed: 3
                tasks:
                  - file: tasks/words.yaml
                    metric: perplexity,none
                    lower_is_better: true
                    splits: {search: train, validation: validation}
                """, population, generations);
        Path localConfig = dir.resolve("local.yml");
        Files.writeString(localConfig, search + "evaluation: {threads: " + parallelism + "}\n");
        EvolutionResult local = EvolutionRun.run(EvolveConfigReader.read(localConfig, EventListener.NONE),
                dir.resolve("work-local"), false, new ModelResolver(dir, Map.of()), EventListener.NONE);
        double localRate = local.evaluations() / (local.elapsed().toMillis() / 60_000.0);

        Path slurmConfig = dir.resolve("slurm.yml");
        Files.writeString(slurmConfig, search + String.format(Locale.ROOT, """
                evaluation:
                  mode: slurm
                  slurm:
                    array_parallelism: %d
                    sbatch_args: [--cpus-per-task=1, --mem=1500]
                """, parallelism));
        Path work = dir.resolve("work-slurm");
        String log;
        long wall;
        try (SlurmCluster cluster = SlurmCluster.start(dir.resolve("cluster"))) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp",
                    absolute(System.getProperty("java.class.path")), "dev.evomerge.cli.EvomergeCli", "evolve",
                    slurmConfig.toString(), "--work-dir", work.toString()).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("driver.log").toFile());
            pb.environment().putAll(cluster.env());
            pb.environment().put("EVOMERGE_DEBUG", "1");
            long start = System.nanoTime();
            Process driver = pb.start();
            if (driver.waitFor() != 0) {
                throw new IllegalStateException("the driver failed: " + Files.readString(dir.resolve("driver.log")));
            }
            wall = (System.nanoTime() - start) / 1_000_000;
            log = Files.readString(dir.resolve("driver.log"));
        }
        long evaluations;
        try (Stream<String> lines = Files.lines(work.resolve("history.jsonl"))) {
            evaluations = lines.count();
        }
        double slurmRate = evaluations / (wall / 60_000.0);
        TreeMap<Integer, long[]> batches = new TreeMap<>();
        Matcher m = BATCH.matcher(log);
        while (m.find()) {
            batches.put(Integer.parseInt(m.group(1)), new long[] {Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)), Long.parseLong(m.group(4))});
        }
        List<Double> overheads = new ArrayList<>();
        List<Double> latencies = new ArrayList<>();
        List<Double> spans = new ArrayList<>();
        for (int g : batches.keySet()) {
            long[] b = batches.get(g);
            long[] next = batches.get(g + 1);
            long first = Long.MAX_VALUE;
            long last = 0;
            try (Stream<Path> folders = Files.list(work.resolve("slurm/ps-g" + g))) {
                for (Path f : folders.filter(Files::isDirectory).toList()) {
                    JsonNode r = JSON.readTree(f.resolve("result.json").toFile());
                    first = Math.min(first, r.get("started_ms").asLong());
                    last = Math.max(last, r.get("ended_ms").asLong());
                }
            }
            latencies.add((first - b[1]) / 1000.0);
            spans.add((last - first) / 1000.0);
            if (next != null) {
                overheads.add(((next[0] - b[0]) - (last - first) - (first - b[1])) / 1000.0);
            }
        }
        System.out.printf(Locale.ROOT, "in process (%d candidates at once): %d evaluations in %.1f s = %.1f per"
                + " minute%n", parallelism, local.evaluations(), local.elapsed().toMillis() / 1000.0, localRate);
        System.out.printf(Locale.ROOT, "Slurm arrays (%%%d, a JVM per task): %d evaluations in %.1f s = %.1f per minute"
                + " (ratio %.2f)%n", parallelism, evaluations, wall / 1000.0, slurmRate, slurmRate / localRate);
        System.out.printf(Locale.ROOT, "per generation: Slurm's scheduling latency %s s, tasks' span %s s, driver"
                + " overhead %s s (mean %.2f s)%n", figures(latencies), figures(spans), figures(overheads),
                overheads.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
        if (a.flag("keep")) {
            System.out.println("work: " + dir);
        } else {
            dev.evomerge.tensor.io.StagedDirectory.deleteRecursively(dir);
        }
    }

    private static String absolute(String classPath) {
        String separator = java.io.File.pathSeparator;
        return String.join(separator, java.util.Arrays.stream(classPath.split(separator))
                .map(e -> Path.of(e).toAbsolutePath().toString()).toList());
    }

    private static String figures(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList().toString();
    }
}

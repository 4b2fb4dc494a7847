package dev.evomerge.exec;

import dev.evomerge.event.EventListener;
import dev.evomerge.infer.block.Projection;
import dev.evomerge.io.AtomicFile;
import dev.evomerge.search.evolve.SlurmSettings;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Submits a batch's candidates as one job array: the task script {@code task.sh} in the batch folder, which runs
 * {@code evomerge run-candidate} in the folder of the task's array index, and the {@code sbatch --array} line with
 * the settings of {@code evaluation.slurm}. Tasks are submitted with {@code --requeue}, so that Slurm runs a task
 * again itself when its node goes down.
 */
final class SlurmArray {

    private final SlurmSettings settings;
    private final List<String> evomerge;
    private final EventListener events;

    SlurmArray(SlurmSettings settings, EventListener events) {
        this.settings = settings;
        this.evomerge = settings.evomerge().isEmpty() ? thisJvm() : settings.evomerge();
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Submits the tasks of {@code indices} (the candidates' folder names in {@code dir}) as job {@code jobName}. */
    void submit(Path dir, String jobName, Set<Integer> indices) {
        Path script = dir.resolve("task.sh");
        StringBuilder s = new StringBuilder("#!/bin/sh\n");
        s.append("# one candidate of ").append(dir.getFileName()).append(": evomerge run-candidate in its folder\n");
        s.append("cd \"").append(dir).append("/$SLURM_ARRAY_TASK_ID\" || exit 3\n");
        s.append("exec");
        for (String w : evomerge) {
            s.append(' ').append(quote(w));
        }
        s.append(" run-candidate .\n");
        AtomicFile.write(script, s.toString());
        try {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + script + " executable", e);
        }
        String array = indices.stream().map(String::valueOf).collect(Collectors.joining(","))
                + (settings.arrayParallelism() > 0 ? "%" + settings.arrayParallelism() : "");
        List<String> argv = new ArrayList<>(List.of("sbatch", "--parsable", "--job-name=" + jobName,
                "--array=" + array, "--chdir=" + dir, "--output=" + dir + "/%a/slurm-%A_%a.out", "--requeue"));
        settings.partition().ifPresent(p -> argv.add("--partition=" + p));
        settings.gres().ifPresent(g -> argv.add("--gres=" + g));
        settings.time().ifPresent(t -> argv.add("--time=" + t));
        argv.addAll(settings.sbatchArguments());
        argv.add(script.toString());
        String out = SlurmCommand.run(argv);
        events.debug("submitted " + jobName + " as job " + out.strip() + " (tasks " + array + ")");
    }

    /**
     * The command that starts evomerge's command line with this JVM's Java and class path: the class loader's URLs
     * when it has them (the Maven plugin's realm), else {@code java.class.path} (the command-line jar).
     */
    static List<String> thisJvm() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        if (SlurmArray.class.getClassLoader() instanceof URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (var url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // not a file: skipped
                }
            }
            if (!entries.isEmpty()) {
                classPath = String.join(File.pathSeparator, entries);
            }
        }
        // the task runs in the candidate's folder: relative entries would point elsewhere
        classPath = Arrays.stream(classPath.split(File.pathSeparator)).filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
        if (Projection.vectorModuleLoaded()) {
            command.add("--add-modules=jdk.incubator.vector"); // decode steps on evomerge's kernel, as here
        }
        command.addAll(List.of("-cp", classPath, "dev.evomerge.cli.EvomergeCli"));
        return command;
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}

package dev.evomerge.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.io.AtomicFile;
import dev.evomerge.tensor.io.StagedDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The files an evolve run ends with beside its model, each written whole or not at all: {@code summary.json}, and
 * for several objectives {@code pareto/} (a recipe per member of the chosen Pareto set, {@code 01.yml},
 * {@code 02.yml}, ..., and {@code pareto.json} with their scores), staged and renamed into place.
 */
public final class RunFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * A member of the Pareto set.
     *
     * @param recipe its recipe as YAML
     * @param entry its entry in {@code pareto.json}, after the recipe's file name
     */
    public record ParetoMember(String recipe, ObjectNode entry) {
    }

    private RunFiles() {
    }

    /** Writes {@code summary.json} into the work directory. */
    public static void writeSummary(Path workDirectory, ObjectNode summary) {
        AtomicFile.write(workDirectory.resolve("summary.json"), toJson(summary));
    }

    /** Writes {@code pareto/} into the work directory, replacing what was there. */
    public static void writePareto(Path workDirectory, List<ParetoMember> members) {
        Path staging = workDirectory.resolve("pareto.tmp");
        StagedDirectory.deleteRecursively(staging);
        ArrayNode front = JSON.createArrayNode();
        int i = 0;
        for (ParetoMember m : members) {
            i++;
            String name = String.format(Locale.ROOT, "%02d.yml", i);
            AtomicFile.write(staging.resolve(name), m.recipe());
            ObjectNode o = front.addObject();
            o.put("recipe", name);
            o.setAll(m.entry());
        }
        AtomicFile.write(staging.resolve("pareto.json"), toJson(front));
        Path target = workDirectory.resolve("pareto");
        StagedDirectory.deleteRecursively(target);
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static String toJson(Object node) {
        try {
            return JSON.writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + node.getClass().getSimpleName() + " as JSON", e);
        }
    }
}

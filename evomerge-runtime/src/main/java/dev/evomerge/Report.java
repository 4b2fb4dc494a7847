package dev.evomerge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.report.RunReport;
import dev.evomerge.report.RunSpaces;
import dev.evomerge.search.evolve.EvolveConfigReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The report facade ({@code evomerge report WORK_DIR}, {@code evomerge:report}): draws
 * {@code WORK_DIR/report/index.html} from the run's {@code history.jsonl} and {@code summary.json}, with the genome
 * spaces rebuilt from the evolve config (given, or the one {@code summary.json} names) to label the parameter
 * heatmap and decode the data-flow path.
 *
 * <p>Stateless and thread-safe.
 */
public final class Report {

    private Report() {
    }

    /**
     * Draws the report and returns its path.
     *
     * @param config the evolve config, or empty to take the one summary.json names (if any)
     * @param baseDirectory what the config's relative model paths are resolved against
     */
    public static Path run(Path work, Optional<Path> config, Path baseDirectory, Map<String, String> environment,
            EventListener events) {
        Optional<Path> file = config.or(() -> configOfSummary(work.resolve("summary.json"), baseDirectory));
        RunSpaces spaces = RunSpaces.NONE;
        if (file.isPresent()) {
            spaces = RunSpaces.of(EvolveConfigReader.read(file.get(), EventListener.NONE),
                    new ModelResolver(baseDirectory, environment, EventListener.NONE), work);
        }
        Path page = RunReport.write(work, spaces);
        events.lifecycle("Wrote the run report " + page);
        return page;
    }

    private static Optional<Path> configOfSummary(Path summary, Path baseDirectory) {
        try {
            if (Files.isRegularFile(summary)) {
                JsonNode config = new ObjectMapper().readTree(Files.readString(summary)).path("config");
                if (config.isTextual()) {
                    Path p = baseDirectory.resolve(config.asText());
                    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
                }
            }
        } catch (IOException e) {
            // RunReport reports an unreadable summary itself
        }
        return Optional.empty();
    }
}

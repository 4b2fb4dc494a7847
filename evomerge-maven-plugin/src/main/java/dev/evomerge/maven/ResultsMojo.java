package dev.evomerge.maven;

import dev.evomerge.event.EventListener;
import dev.evomerge.report.ResultsTable;
import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints the results of one or more evolve runs as one table — each source model, the untuned merge, and each run's
 * recipes (PS, DFS, PS+DFS, PS+DFS with every scale 1) with their score per task and fitness on one split — and
 * writes it as Markdown: {@code mvn evomerge:results}.
 *
 * @since 0.1.0
 */
@Mojo(name = "results", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class ResultsMojo extends AbstractEvomergeMojo {

    /**
     * The work directories of the evolve runs, in the order their rows appear.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.build.directory}/evomerge")
    List<File> runs;

    /**
     * The split the table shows: {@code test}, {@code validation} or {@code search}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.split", defaultValue = "test")
    String split;

    /**
     * Where the Markdown table is written.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.build.directory}/evomerge/results.md")
    File output;

    @Override
    protected String goal() {
        return "results";
    }

    @Override
    protected void run(EventListener events) {
        ResultsTable table = ResultsTable.read(runs.stream().map(File::toPath).toList());
        String markdown = table.markdown(split);
        table.write(output.toPath(), split);
        getLog().info("Results (" + output + "):");
        for (String line : markdown.split("\n")) {
            getLog().info(line);
        }
    }
}

package dev.evomerge.maven;

import dev.evomerge.Report;
import dev.evomerge.event.EventListener;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Draws an evolve run's report ({@code report/index.html} in the work directory, as {@code evomerge report} does)
 * and puts the same page into the project's site, {@code evomerge/index.html} under the site's output directory:
 * {@code mvn evomerge:report}, or bound to the {@code site} phase.
 *
 * @since 0.1.0
 */
@Mojo(name = "report", defaultPhase = LifecyclePhase.SITE, threadSafe = true)
public class ReportMojo extends AbstractEvomergeMojo {

    /**
     * The evolve run's work directory.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.workDirectory", defaultValue = "${project.build.directory}/evomerge")
    File workDirectory;

    /**
     * The evolve config, which names the genes and decodes the data-flow path (skipped when it does not exist).
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.config", defaultValue = "${project.basedir}/src/evomerge/evolve.yml")
    File config;

    /**
     * Where the site's copy of the page goes.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.report.outputDirectory",
            defaultValue = "${project.reporting.outputDirectory}/evomerge")
    File outputDirectory;

    /**
     * The project, whose base directory relative model paths are resolved against.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Override
    protected String goal() {
        return "report";
    }

    @Override
    protected void run(EventListener events) throws MojoFailureException {
        Path page = Report.run(workDirectory.toPath(), Optional.of(config.toPath()).filter(Files::isRegularFile),
                project.getBasedir().toPath(), System.getenv(), events);
        Path site = outputDirectory.toPath().resolve("index.html");
        try {
            Files.createDirectories(site.getParent());
            Files.copy(page, site, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new MojoFailureException("evomerge:report: cannot write " + site + ": " + e.getMessage());
        }
        events.lifecycle("Put the report into the site: " + site);
    }
}

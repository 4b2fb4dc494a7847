package dev.evomerge.maven;

import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/**
 * A goal whose outputs become the project's artifacts ({@code merge}, {@code evolve}): the parameters that say what
 * is attached, and the attaching itself ({@link Attachments}).
 */
abstract class AttachingMojo extends AbstractEvomergeMojo {

    /**
     * The project the outputs are attached to.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /**
     * Attach the recipe ({@code yml}, classifier {@code evomerge-recipe}), the lock ({@code json},
     * {@code evomerge-lock}) and the report ({@code zip}, {@code evomerge-report}) to the project, so that
     * {@code install} and {@code deploy} publish them with it.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.attach", defaultValue = "true")
    boolean attach;

    /**
     * Also attach the model's files as a zip (classifier {@code evomerge-model}; entries stored uncompressed, times
     * from {@code project.build.outputTimestamp}, so two builds give the same bytes).
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.attachWeights", defaultValue = "false")
    boolean attachWeights;

    /**
     * The time written into attached zips: seconds since the epoch or an ISO-8601 date-time; the zip format's first
     * day when empty.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    String outputTimestamp;

    /** Attaches the outputs to the project. */
    @Component
    MavenProjectHelper projectHelper;

    /**
     * Attaches the recipe, the lock, the report folder (null: none) and the model directory (null: not attached) to
     * the project.
     */
    void attachOutputs(Path recipe, Path lock, Path report, Path model, Log log) throws MojoFailureException {
        Attachments.attach(projectHelper, project, outputTimestamp, recipe, lock, report, model, log);
    }
}

package dev.evomerge.maven;

import dev.evomerge.report.ModelArchive;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/**
 * What the merge and evolve goals attach to the project, so that {@code install} and {@code deploy} carry them to
 * a repository beside the project's own artifact: the recipe ({@code yml}, classifier {@value #RECIPE}), the lock
 * ({@code json}, {@value #LOCK}), the report when there is one ({@code zip}, {@value #REPORT}) and, when asked for,
 * the model's files ({@code zip}, {@value #MODEL}). The zips are reproducible ({@link ModelArchive}): their entry
 * times are the build's {@code project.build.outputTimestamp}.
 */
final class Attachments {

    static final String RECIPE = "evomerge-recipe";
    static final String LOCK = "evomerge-lock";
    static final String REPORT = "evomerge-report";
    static final String MODEL = "evomerge-model";

    private Attachments() {
    }

    /**
     * Attaches the outputs of one goal.
     *
     * @param report the report directory, or null when the goal has none
     * @param model the model directory, zipped and attached when not null
     */
    static void attach(MavenProjectHelper helper, MavenProject project, String outputTimestamp, Path recipe,
            Path lock, Path report, Path model, Log log) throws MojoFailureException {
        Instant time;
        try {
            time = ModelArchive.outputTimestamp(outputTimestamp);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage());
        }
        Path target = Path.of(project.getBuild().getDirectory());
        String base = project.getBuild().getFinalName() != null ? project.getBuild().getFinalName()
                : project.getArtifactId() + "-" + project.getVersion();
        helper.attachArtifact(project, "yml", RECIPE, recipe.toFile());
        helper.attachArtifact(project, "json", LOCK, lock.toFile());
        if (report != null && Files.isDirectory(report)) {
            File zip = ModelArchive.pack(report, target.resolve(base + "-" + REPORT + ".zip"), time).toFile();
            helper.attachArtifact(project, "zip", REPORT, zip);
        }
        if (model != null) {
            File zip = ModelArchive.pack(model, target.resolve(base + "-" + MODEL + ".zip"), time).toFile();
            helper.attachArtifact(project, "zip", MODEL, zip);
            log.info("Attached the model as " + zip.getName() + " (" + zip.length() + " bytes)");
        }
    }
}

package dev.evomerge.maven;

import dev.evomerge.diag.InputException;
import dev.evomerge.event.EventListener;
import dev.evomerge.report.LockCheck;
import dev.evomerge.report.LockFile;
import dev.evomerge.report.ModelArchive;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Unpacks the models the project depends on — dependencies of type {@code zip} with classifier
 * {@code evomerge-model}, as a merge or evolve build with {@code attachWeights} deploys them — into
 * {@code outputDirectory/ARTIFACT_ID}, and checks every unpacked file against the {@code evomerge.lock.json} the
 * model carries (and, when the project also depends on the model's {@code evomerge-lock} json, that the two locks
 * are the same): {@code mvn evomerge:fetch}. A file that differs from its lock fails the build naming it and both
 * hashes. Works offline ({@code mvn -o}) once the models are in the local repository.
 *
 * @since 0.1.0
 */
@Mojo(name = "fetch", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class FetchMojo extends AbstractEvomergeMojo {

    /**
     * Where each model goes, in a directory named after its artifactId.
     *
     * @since 0.1.0
     */
    @Parameter(property = "evomerge.fetch.outputDirectory", defaultValue = "${project.build.directory}/evomerge/models")
    File outputDirectory;

    /**
     * The project whose dependencies are unpacked.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Override
    protected String goal() {
        return "fetch";
    }

    @Override
    protected void run(EventListener events) throws MojoFailureException {
        List<Artifact> models = new ArrayList<>();
        for (Artifact a : project.getArtifacts()) {
            if (Attachments.MODEL.equals(a.getClassifier()) && "zip".equals(a.getType())) {
                models.add(a);
            }
        }
        if (models.isEmpty()) {
            events.warn("evomerge:fetch: the project has no dependency of type zip with classifier "
                    + Attachments.MODEL + ": nothing to fetch");
            return;
        }
        for (Artifact a : models) {
            Path dir = outputDirectory.toPath().resolve(a.getArtifactId());
            ModelArchive.unpack(a.getFile().toPath(), dir);
            Path lockFile = dir.resolve(LockFile.NAME);
            LockFile lock = LockFile.in(dir).orElseThrow(() -> new InputException(a.getFile().toPath(),
                    "holds no " + LockFile.NAME, "depend on a model a merge or evolve build attached"));
            LockCheck.checkOutputs(lock, dir, lockFile);
            for (Artifact l : project.getArtifacts()) {
                if (Attachments.LOCK.equals(l.getClassifier()) && l.getGroupId().equals(a.getGroupId())
                        && l.getArtifactId().equals(a.getArtifactId()) && l.getVersion().equals(a.getVersion())
                        && !sameBytes(l.getFile().toPath(), lockFile)) {
                    throw new InputException(l.getFile().toPath(), "differs from the " + LockFile.NAME + " inside "
                            + a.getFile().getName(), "depend on a lock and a model deployed by the same build");
                }
            }
            events.lifecycle("Fetched " + a.getId() + " into " + dir + ": " + lock.outputs().size()
                    + " files match its lock");
        }
    }

    private static boolean sameBytes(Path a, Path b) {
        try {
            return java.nio.file.Files.mismatch(a, b) == -1;
        } catch (java.io.IOException e) {
            throw new InputException(a, "cannot be read: " + e.getMessage(), null, e);
        }
    }
}

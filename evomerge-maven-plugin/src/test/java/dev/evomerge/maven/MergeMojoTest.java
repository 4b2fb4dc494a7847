package dev.evomerge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.Merge;
import dev.evomerge.MergeRequest;
import dev.evomerge.MergeResult;
import dev.evomerge.diag.InputException;
import dev.evomerge.event.EventListener;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merge goal as a plain object, with a fake merge that records what it is asked. */
class MergeMojoTest {

    @TempDir
    Path tmp;

    /** Records each request; answers as told. */
    static final class FakeMerge implements Merge {
        final List<MergeRequest> requests = new ArrayList<>();
        RuntimeException failure;

        @Override
        public MergeResult run(MergeRequest request, EventListener events) {
            requests.add(request);
            if (failure != null) {
                throw failure;
            }
            return new MergeResult(request.outputDirectory(), 0, 0, Duration.ZERO,
                    request.outputDirectory().resolve("evomerge.lock.json"), Duration.ZERO);
        }
    }

    private final FakeMerge fake = new FakeMerge();

    /** A goal configured as its parameter defaults would configure it. */
    private MergeMojo mojo() {
        MergeMojo mojo = new MergeMojo(fake);
        MavenProject project = new MavenProject();
        project.setFile(tmp.resolve("pom.xml").toFile());
        project.getBuild().setDirectory(tmp.resolve("target").toString());
        mojo.project = project;
        mojo.config = tmp.resolve("src/evomerge/merge.yml").toFile();
        mojo.outputDirectory = tmp.resolve("target/evomerge/model").toFile();
        mojo.seed = 0;
        mojo.outShardSize = "5B";
        mojo.threads = 0;
        return mojo;
    }

    @Test
    void execute_defaults_requestWithOneThreadPerProcessorAndReplacingBuildOutput() throws Exception {
        mojo().execute();
        MergeRequest r = fake.requests.getFirst();
        assertEquals(tmp.resolve("src/evomerge/merge.yml"), r.configFile());
        assertEquals(tmp.resolve("target/evomerge/model"), r.outputDirectory());
        assertEquals(Runtime.getRuntime().availableProcessors(), r.threads());
        assertEquals(MergeRequest.DEFAULT_SHARD_SIZE, r.outShardSize());
        assertEquals(MergeRequest.defaultMemoryBudget(), r.memoryBudget());
        assertEquals(tmp, r.baseDirectory());
        assertTrue(r.overwrite(), "output inside the build directory is replaced");
    }

    @Test
    void execute_outsideBuildDirectory_explicitValues_passedThrough() throws Exception {
        MergeMojo mojo = mojo();
        mojo.outputDirectory = tmp.resolve("models/out").toFile();
        mojo.threads = 3;
        mojo.seed = 9;
        mojo.outShardSize = "500M";
        mojo.memoryBudget = "2G";
        mojo.execute();
        MergeRequest r = fake.requests.getFirst();
        assertEquals(3, r.threads());
        assertEquals(9, r.seed());
        assertEquals(500_000_000L, r.outShardSize());
        assertEquals(2_000_000_000L, r.memoryBudget());
        assertFalse(r.overwrite());
    }

    @Test
    void execute_badShardSize_failsTheBuildWithoutCallingTheMerge() {
        MergeMojo mojo = mojo();
        mojo.outShardSize = "lots";
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("evomerge:merge: "), e.getMessage());
        assertEquals(List.of(), fake.requests);
    }

    @Test
    void execute_userError_oneLineFailure_internalError_executionException() {
        fake.failure = new InputException(new File("merge.yml").toPath(), "has no models", "add models");
        MojoFailureException user = assertThrows(MojoFailureException.class, () -> mojo().execute());
        assertEquals("merge.yml: has no models; add models", user.getMessage());
        IllegalStateException bug = new IllegalStateException("boom");
        fake.failure = bug;
        MojoExecutionException internal = assertThrows(MojoExecutionException.class, () -> mojo().execute());
        assertSame(bug, internal.getCause());
    }

    @Test
    void execute_skip_doesNotMerge() throws Exception {
        MergeMojo mojo = mojo();
        mojo.skip = true;
        mojo.execute();
        assertEquals(List.of(), fake.requests);
    }
}

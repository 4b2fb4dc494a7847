package dev.evomerge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.Evolve;
import dev.evomerge.EvolveRequest;
import dev.evomerge.event.EventListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evolve goal as a plain object, with a fake evolve that records what it is asked. */
class EvolveMojoTest {

    @TempDir
    Path tmp;

    private final List<EvolveRequest> requests = new ArrayList<>();
    /** Records the request; the goal ignores the result. */
    private final Evolve fake = (EvolveRequest request, EventListener events) -> {
        requests.add(request);
        return null;
    };

    private EvolveMojo mojo() {
        EvolveMojo mojo = new EvolveMojo(fake);
        MavenProject project = new MavenProject();
        project.setFile(tmp.resolve("pom.xml").toFile());
        mojo.project = project;
        mojo.config = tmp.resolve("src/evomerge/evolve.yml").toFile();
        mojo.workDirectory = tmp.resolve("target/evomerge").toFile();
        return mojo;
    }

    @Test
    void execute_defaults_noSeedNoGenerationLimitFreshRun() throws Exception {
        mojo().execute();
        EvolveRequest r = requests.getFirst();
        assertEquals(tmp.resolve("src/evomerge/evolve.yml"), r.configFile());
        assertEquals(tmp.resolve("target/evomerge"), r.workDirectory());
        assertEquals(OptionalLong.empty(), r.seed());
        assertEquals(OptionalLong.empty(), r.generations());
        assertEquals(false, r.resume());
        assertEquals(tmp, r.baseDirectory());
    }

    @Test
    void execute_resumeSeedGenerations_passedThrough() throws Exception {
        EvolveMojo mojo = mojo();
        mojo.resume = true;
        mojo.seed = 42L;
        mojo.generations = 2L;
        mojo.execute();
        EvolveRequest r = requests.getFirst();
        assertEquals(true, r.resume());
        assertEquals(OptionalLong.of(42), r.seed());
        assertEquals(OptionalLong.of(2), r.generations());
    }

    @Test
    void execute_zeroGenerations_failsTheBuildWithoutEvolving() {
        EvolveMojo mojo = mojo();
        mojo.generations = 0L;
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("evomerge:evolve: generations must be >= 1"), e.getMessage());
        assertEquals(List.of(), requests);
    }
}

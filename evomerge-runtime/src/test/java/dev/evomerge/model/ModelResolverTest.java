package dev.evomerge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.InputException;
import dev.evomerge.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelResolverTest {

    private static final String SHA_MAIN = "0123456789abcdef0123456789abcdef01234567";
    private static final String SHA_OLD = "fedcba9876543210fedcba9876543210fedcba98";

    @TempDir
    Path tmp;

    private Path hubWithModel() throws IOException {
        Path repo = tmp.resolve("hub/models--org--tiny");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), SHA_MAIN + "\n");
        Files.createDirectories(repo.resolve("snapshots").resolve(SHA_MAIN));
        Files.createDirectories(repo.resolve("snapshots").resolve(SHA_OLD));
        return tmp.resolve("hub");
    }

    @Test
    void resolve_existingLocalDirectory_wins() throws IOException {
        Files.createDirectories(tmp.resolve("models/a"));
        ModelResolver r = new ModelResolver(tmp, Map.of());
        ResolvedModel m = r.resolve(ModelReference.parse("models/a"));
        assertEquals(tmp.resolve("models/a"), m.directory());
        assertFalse(m.fromHubCache());
    }

    @Test
    void resolve_hubIdInCache_followsRefToSnapshot() throws IOException {
        Path hub = hubWithModel();
        ModelResolver r = new ModelResolver(tmp.resolve("project"), Map.of("HF_HUB_CACHE", hub.toString()));
        ResolvedModel m = r.resolve(ModelReference.parse("org/tiny"));
        assertEquals(hub.resolve("models--org--tiny/snapshots/" + SHA_MAIN), m.directory());
        assertTrue(m.fromHubCache());
        assertEquals(hub.resolve("models--org--tiny/snapshots/" + SHA_OLD),
                r.resolve(ModelReference.parse("org/tiny@" + SHA_OLD)).directory(), "a commit selects its snapshot");
    }

    @Test
    void hubCache_environment_precedenceHubCacheThenHfHomeThenHome() {
        assertEquals(Path.of("/c"), new ModelResolver(tmp, Map.of("HF_HUB_CACHE", "/c", "HF_HOME", "/h")).hubCache());
        assertEquals(Path.of("/h/hub"), new ModelResolver(tmp, Map.of("HF_HOME", "/h", "HOME", "/u")).hubCache());
        assertEquals(Path.of("/u/.cache/huggingface/hub"), new ModelResolver(tmp, Map.of("HOME", "/u")).hubCache());
    }

    @Test
    void resolve_missingModel_saysWhereItLookedAndHowToGetIt() {
        ModelResolver r = new ModelResolver(tmp, Map.of("HF_HUB_CACHE", "/nowhere"));
        var e = assertThrows(InputException.class, () -> r.resolve(ModelReference.parse("org/absent")));
        assertEquals("model 'org/absent' not found: not a local directory (" + tmp.resolve("org/absent")
                + ") and not in the Hugging Face cache (/nowhere/models--org--absent/refs/main); download it first"
                + " (huggingface-cli download org/absent) or give a local path", e.userMessage());
    }

    @Test
    void resolve_missingLocalPath_saysCheckThePath() {
        ModelResolver r = new ModelResolver(tmp, Map.of());
        var e = assertThrows(InputException.class, () -> r.resolve(ModelReference.parse("/abs/missing")));
        assertEquals("model '/abs/missing' not found: not a local directory (/abs/missing); check the path",
                e.userMessage());
    }

    @Test
    void resolve_lora_refused() throws IOException {
        Files.createDirectories(tmp.resolve("base"));
        ModelResolver r = new ModelResolver(tmp, Map.of());
        var e = assertThrows(InputException.class, () -> r.resolve(ModelReference.parse("base+adapter")));
        assertTrue(e.userMessage().startsWith("model 'base+adapter': LoRA inputs are not supported yet; "),
                e.userMessage());
    }

    @Test
    void resolve_localDirectoryWithRevision_directoryWinsAndWarns() throws IOException {
        Files.createDirectories(tmp.resolve("org/tiny"));
        List<Event> events = new ArrayList<>();
        ModelResolver r = new ModelResolver(tmp, Map.of("HF_HUB_CACHE", hubWithModel().toString()), events::add);
        ResolvedModel m = r.resolve(ModelReference.parse("org/tiny@v1"));
        assertEquals(tmp.resolve("org/tiny"), m.directory());
        assertEquals(List.of(new Event.Warning("model 'org/tiny@v1': " + tmp.resolve("org/tiny")
                + " is a local directory, so the revision 'v1' is ignored")), events);
    }

    @Test
    void resolve_hubIdWithBranch_readsThatRef() throws IOException {
        Path hub = hubWithModel();
        Files.writeString(hub.resolve("models--org--tiny/refs/old"), SHA_OLD);
        ModelResolver r = new ModelResolver(tmp, Map.of("HF_HOME", hub.getParent().toString()));
        assertEquals(hub.resolve("models--org--tiny/snapshots/" + SHA_OLD),
                r.resolve(ModelReference.parse("org/tiny@old")).directory());
    }

    @Test
    void resolve_refWithoutSnapshot_notFound() throws IOException {
        Path hub = hubWithModel();
        Files.writeString(hub.resolve("models--org--tiny/refs/gone"), "1111111111111111111111111111111111111111");
        ModelResolver r = new ModelResolver(tmp, Map.of("HF_HUB_CACHE", hub.toString()));
        var e = assertThrows(InputException.class, () -> r.resolve(ModelReference.parse("org/tiny@gone")));
        assertTrue(e.userMessage().endsWith("(huggingface-cli download org/tiny --revision gone) or give a local"
                + " path"), e.userMessage());
    }

    @Test
    void resolve_refHoldingGarbage_errorNamesRefFile() throws IOException {
        Path hub = hubWithModel();
        Files.writeString(hub.resolve("models--org--tiny/refs/main"), "not a sha");
        ModelResolver r = new ModelResolver(tmp, Map.of("HF_HUB_CACHE", hub.toString()));
        var e = assertThrows(InputException.class, () -> r.resolve(ModelReference.parse("org/tiny")));
        assertEquals(hub.resolve("models--org--tiny/refs/main") + ": does not hold a commit hash; repair the"
                + " Hugging Face cache, e.g. download the model again", e.userMessage());
    }

    @Test
    void resolve_revisionLeavingRefs_notFollowed() throws IOException {
        Path hub = hubWithModel();
        Files.writeString(hub.resolve("models--org--tiny/escape"), SHA_MAIN);
        ModelResolver r = new ModelResolver(tmp, Map.of("HF_HUB_CACHE", hub.toString()));
        assertThrows(InputException.class, () -> r.resolve(ModelReference.parse("org/tiny@../escape")));
    }

    @Test
    void resolve_pathIsAFile_saysSo() throws IOException {
        Files.writeString(tmp.resolve("weights.safetensors"), "x");
        ModelResolver r = new ModelResolver(tmp, Map.of());
        var e = assertThrows(InputException.class, () -> r.resolve(ModelReference.parse("weights.safetensors")));
        assertEquals(tmp.resolve("weights.safetensors") + ": model 'weights.safetensors' is a file, not a model"
                + " directory; give the directory that holds config.json and the weights", e.userMessage());
    }

    @Test
    void resolve_tildePath_expandsAgainstHomeFromEnvironment() throws IOException {
        Files.createDirectories(tmp.resolve("home/models/m"));
        ModelResolver r = new ModelResolver(Path.of("/"), Map.of("HOME", tmp.resolve("home").toString()));
        assertEquals(tmp.resolve("home/models/m"), r.resolve(ModelReference.parse("~/models/m")).directory());
    }
}

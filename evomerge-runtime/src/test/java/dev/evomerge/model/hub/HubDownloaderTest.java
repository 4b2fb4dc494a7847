package dev.evomerge.model.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.InputException;
import dev.evomerge.diag.RunException;
import dev.evomerge.event.Event;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ModelResolver;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.tensor.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads from a Hub on loopback ({@link FakeHub}) into a Hugging Face cache: the cache's layout, which files are
 * fetched, resumption after dropped connections, hash checks, 429s and the one-line errors.
 */
class HubDownloaderTest {

    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    static final String SHA2 = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;
    FakeHub hub;
    Path cache;
    List<Event> events;
    FakeHub.Repo tiny;

    @BeforeEach
    void setUp() throws IOException {
        hub = new FakeHub();
        cache = tmp.resolve("hf/hub");
        events = java.util.Collections.synchronizedList(new ArrayList<>());
        Path model = tmp.resolve("model");
        new SyntheticModel("llama", 2, 64, 96, 100, 4, 2, DType.BF16, 7).write(model, false);
        tiny = new FakeHub.Repo().commit(SHA, "main", "v1");
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : files.sorted().toList()) {
                tiny.file(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        tiny.file("README.md", bytes("readme"))
                .file("pytorch_model.bin", bytes("pickle"))
                .file("onnx/model.onnx", bytes("onnx"));
        hub.repos.put("org/tiny", tiny);
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, String> env(String... extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("HF_HOME", tmp.resolve("hf").toString(),
                "HF_ENDPOINT", hub.endpoint()));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    private ModelResolver resolver(String... extra) {
        return new ModelResolver(tmp, env(extra), events::add).downloading();
    }

    @Test
    void download_writesHuggingFaceCacheLayout_andTheModelLoads() throws IOException {
        Path dir = resolver().resolve(ModelReference.parse("org/tiny")).directory();
        Path repo = cache.resolve("models--org--tiny");
        assertEquals(repo.resolve("snapshots").resolve(SHA), dir);
        assertEquals(SHA, Files.readString(repo.resolve("refs/main")));
        byte[] weights = tiny.files.get("model.safetensors");
        Path link = dir.resolve("model.safetensors");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(Path.of("../../blobs/" + FakeHub.sha256(weights)), Files.readSymbolicLink(link));
        assertArrayEquals(weights, Files.readAllBytes(link));
        byte[] config = tiny.files.get("config.json");
        assertEquals(Path.of("../../blobs/" + FakeHub.gitSha1(config)), Files.readSymbolicLink(dir.resolve(
                "config.json")));
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertFalse(names.contains("README.md") || names.contains("pytorch_model.bin") || names.contains("onnx"),
                    names.toString());
            assertTrue(names.containsAll(List.of("config.json", "model.safetensors", "tokenizer.json")),
                    names.toString());
        }
        try (Stream<Path> s = Files.list(repo.resolve("blobs"))) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".incomplete")));
        }
        ModelDirectory loaded = ModelDirectory.load(resolver().resolve(ModelReference.parse("org/tiny")),
                Architectures.builtIn());
        assertEquals(2, loaded.layerCount());
        // a second resolution reads the cache: no request at all
        int before = hub.log.size();
        resolver().resolve(ModelReference.parse("org/tiny"));
        assertEquals(before, hub.log.size());
    }

    @Test
    void download_lfsFile_redirectedToStorage_tokenNotSentThere() throws IOException {
        hub.repos.get("org/tiny").gated = true;
        hub.storageHost = "localhost";
        Path dir = resolver("HF_TOKEN", "hf_secret").resolve(ModelReference.parse("org/tiny")).directory();
        assertArrayEquals(tiny.files.get("model.safetensors"), Files.readAllBytes(dir.resolve("model.safetensors")));
        List<String> storage = hub.log.stream().filter(l -> l.startsWith("GET /storage/")).toList();
        assertEquals(1, storage.size(), hub.log.toString());
        assertFalse(storage.getFirst().endsWith(" auth"), "the token went to the storage host");
        assertTrue(hub.log.stream().filter(l -> l.contains("/resolve/")).allMatch(l -> l.endsWith(" auth")),
                hub.log.toString());
    }

    @Test
    void download_shardedModel_fetchesIndexAndItsShardsOnly() throws IOException {
        byte[] a = new byte[300_000];
        byte[] b = new byte[200_000];
        new java.util.Random(1).nextBytes(a);
        new java.util.Random(2).nextBytes(b);
        FakeHub.Repo sharded = new FakeHub.Repo().commit(SHA2, "main")
                .file("config.json", bytes("{\"architectures\":[\"LlamaForCausalLM\"]}"))
                .file("model.safetensors.index.json", bytes("{\"metadata\":{},\"weight_map\":{\"a\":"
                        + "\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\","
                        + "\"c\":\"model-00001-of-00002.safetensors\"}}"))
                .file("model-00001-of-00002.safetensors", a)
                .file("model-00002-of-00002.safetensors", b)
                .file("consolidated.safetensors", new byte[10]);
        hub.repos.put("org/sharded", sharded);
        Path dir = new HubDownloader(settings(), events::add).download("org/sharded", "main");
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("model-00001-of-00002.safetensors")));
        assertArrayEquals(b, Files.readAllBytes(dir.resolve("model-00002-of-00002.safetensors")));
        assertFalse(Files.exists(dir.resolve("consolidated.safetensors")));
    }

    private HubSettings settings() {
        return new ModelResolver(tmp, env()).hubSettings();
    }

    @Test
    void download_droppedConnections_resumeWithRange() throws IOException {
        hub.dropAfter.put("model.safetensors", 20_000L);
        Path dir = resolver().resolve(ModelReference.parse("org/tiny")).directory();
        assertArrayEquals(tiny.files.get("model.safetensors"), Files.readAllBytes(dir.resolve("model.safetensors")));
        // the download goes on from what reached the partial blob before the drop: at most the 20,000 bytes sent
        java.util.regex.Pattern resumed = java.util.regex.Pattern.compile(" bytes=(\\d+)-");
        assertTrue(hub.log.stream().filter(l -> l.startsWith("GET /storage/")).map(resumed::matcher)
                .anyMatch(m -> m.find() && Long.parseLong(m.group(1)) > 0 && Long.parseLong(m.group(1)) <= 20_000),
                hub.log.toString());
    }

    @Test
    void download_interruptedEarlier_resumesFromIncompleteBlob() throws IOException {
        byte[] weights = tiny.files.get("model.safetensors");
        Path blobs = cache.resolve("models--org--tiny/blobs");
        Files.createDirectories(blobs);
        Files.write(blobs.resolve(FakeHub.sha256(weights) + ".incomplete"), java.util.Arrays.copyOf(weights, 12_345));
        Path dir = resolver().resolve(ModelReference.parse("org/tiny")).directory();
        assertArrayEquals(weights, Files.readAllBytes(dir.resolve("model.safetensors")));
        assertTrue(hub.log.stream().anyMatch(l -> l.contains(" bytes=12345-")), hub.log.toString());
        assertFalse(Files.exists(blobs.resolve(FakeHub.sha256(weights) + ".incomplete")));
    }

    @Test
    void download_wrongHashOnce_fetchedAgainAndWarned() throws IOException {
        hub.corrupt.put("model.safetensors", new AtomicInteger(1));
        Path dir = resolver().resolve(ModelReference.parse("org/tiny")).directory();
        assertArrayEquals(tiny.files.get("model.safetensors"), Files.readAllBytes(dir.resolve("model.safetensors")));
        assertTrue(events.stream().anyMatch(e -> e instanceof Event.Warning w
                && w.message().contains("does not match its SHA-256")), events.toString());
    }

    @Test
    void download_wrongHashAlways_oneLineError_nothingInSnapshot() {
        hub.corrupt.put("model.safetensors", new AtomicInteger(100));
        var e = assertThrows(RunException.class, () -> resolver().resolve(ModelReference.parse("org/tiny")));
        String sha = FakeHub.sha256(tiny.files.get("model.safetensors"));
        assertTrue(e.userMessage().startsWith("the download of org/tiny/model.safetensors from " + hub.endpoint()
                + " does not match its SHA-256 (expected " + sha + ", got "), e.userMessage());
        assertFalse(Files.exists(cache.resolve("models--org--tiny/snapshots/" + SHA + "/model.safetensors")));
        assertFalse(Files.exists(cache.resolve("models--org--tiny/refs/main")));
        assertFalse(Files.exists(cache.resolve("models--org--tiny/blobs/" + sha)));
    }

    @Test
    void download_429_waitsForRetryAfter() {
        hub.tooMany.put("config.json", new AtomicInteger(1));
        long start = System.nanoTime();
        resolver().resolve(ModelReference.parse("org/tiny"));
        assertTrue(System.nanoTime() - start >= 900_000_000L, "Retry-After: 1 was not waited for");
        assertEquals(2, hub.log.stream().filter(l -> l.startsWith("HEAD /org/tiny/resolve/" + SHA + "/config.json"))
                .count());
    }

    @Test
    void download_gatedWithoutToken_saysWhichVariableToSet() {
        hub.repos.get("org/tiny").gated = true;
        var e = assertThrows(InputException.class, () -> resolver().resolve(ModelReference.parse("org/tiny")));
        assertEquals("model 'org/tiny' is gated: its terms must be accepted on the Hub and a token given; accept"
                + " them on the model's Hub page, then set HF_TOKEN to an access token"
                + " (https://huggingface.co/settings/tokens)", e.userMessage());
        var wrong = assertThrows(InputException.class, () -> resolver("HF_TOKEN", "hf_other")
                .resolve(ModelReference.parse("org/tiny")));
        assertTrue(wrong.userMessage().endsWith("the token in HF_TOKEN has no access to it: use a token of an"
                + " account that has"), wrong.userMessage());
    }

    @Test
    void download_tokenFromHfHomeTokenFile() throws IOException {
        hub.repos.get("org/tiny").gated = true;
        Files.createDirectories(tmp.resolve("hf"));
        Files.writeString(tmp.resolve("hf/token"), "hf_secret\n");
        resolver().resolve(ModelReference.parse("org/tiny"));
    }

    @Test
    void download_unknownRepository_oneLine() {
        var e = assertThrows(InputException.class, () -> resolver().resolve(ModelReference.parse("org/nothing")));
        assertEquals("model 'org/nothing' not found: not a local directory (" + tmp.resolve("org/nothing") + "), and"
                + " as a Hub id: model 'org/nothing' not found on " + hub.endpoint() + " (or it is private); check the"
                + " path, or check the id (ORG/NAME); for a private repository set HF_TOKEN to an access token"
                + " (https://huggingface.co/settings/tokens)", e.userMessage());
    }

    @Test
    void download_unknownRevision_oneLine() {
        var e = assertThrows(InputException.class, () -> resolver().resolve(ModelReference.parse("org/tiny@v9")));
        assertEquals("model 'org/tiny' has no revision 'v9' on " + hub.endpoint() + "; give an existing branch, tag"
                + " or commit after '@'", e.userMessage());
    }

    @Test
    void download_tagAndCommitRevisions() throws IOException {
        Path byTag = resolver().resolve(ModelReference.parse("org/tiny@v1")).directory();
        assertEquals(SHA, Files.readString(cache.resolve("models--org--tiny/refs/v1")));
        Path byCommit = resolver().resolve(ModelReference.parse("org/tiny@" + SHA)).directory();
        assertEquals(byTag, byCommit);
        assertFalse(Files.exists(cache.resolve("models--org--tiny/refs/" + SHA)));
    }

    @Test
    void download_pickleOnly_saysHowToConvert() {
        hub.repos.put("org/old", new FakeHub.Repo().commit(SHA2, "main").file("config.json", bytes("{}"))
                .file("pytorch_model.bin", bytes("pickle")));
        var e = assertThrows(InputException.class, () -> resolver().resolve(ModelReference.parse("org/old")));
        assertEquals("model 'org/old@main' has only PyTorch pickle weights (pytorch_model.bin), which evomerge does"
                + " not load; convert them to safetensors (in Python: AutoModelForCausalLM.from_pretrained(...)"
                + ".save_pretrained(dir, safe_serialization=True)) and give that directory, or use the Hub's"
                + " safetensors conversion (a refs/pr revision)", e.userMessage());
        assertFalse(Files.exists(cache.resolve("models--org--old/refs/main")));
    }

    @Test
    void download_notEnoughSpace_refusedBeforeWriting_partialKept() throws IOException {
        byte[] weights = tiny.files.get("model.safetensors");
        Path blobs = cache.resolve("models--org--tiny/blobs");
        Files.createDirectories(blobs);
        Path partial = blobs.resolve(FakeHub.sha256(weights) + ".incomplete");
        Files.write(partial, java.util.Arrays.copyOf(weights, 1000));
        // the Hub claims a size no disk holds
        hub.claimedSize.put("model.safetensors", 1L << 60);
        var e = assertThrows(InputException.class, () -> resolver().resolve(ModelReference.parse("org/tiny")));
        assertTrue(e.userMessage().startsWith(blobs + ": not enough disk space to download org/tiny/model.safetensors"
                + ": it needs "), e.userMessage());
        assertTrue(e.userMessage().endsWith("free some space or point HF_HUB_CACHE (or HF_HOME) at a larger disk;"
                + " a partial download is kept and resumes"), e.userMessage());
        assertEquals(1000, Files.size(partial));
        assertFalse(Files.exists(cache.resolve("models--org--tiny/snapshots/" + SHA + "/model.safetensors")));
        assertFalse(Files.exists(cache.resolve("models--org--tiny/refs/main")));
        // with the true size it completes from the kept bytes
        hub.claimedSize.clear();
        Path dir = resolver().resolve(ModelReference.parse("org/tiny")).directory();
        assertArrayEquals(weights, Files.readAllBytes(dir.resolve("model.safetensors")));
        assertTrue(hub.log.stream().anyMatch(l -> l.contains(" bytes=1000-")), hub.log.toString());
    }

    @Test
    void offline_cacheMiss_saysDownloadsAreOff() {
        var e = assertThrows(InputException.class, () -> resolver("HF_HUB_OFFLINE", "1")
                .resolve(ModelReference.parse("org/tiny")));
        assertTrue(e.userMessage().contains("downloads are off (HF_HUB_OFFLINE, or Maven's offline mode)"),
                e.userMessage());
        assertTrue(hub.log.isEmpty());
    }

    @Test
    void progress_reportedForLongDownloadsOnly() {
        resolver().resolve(ModelReference.parse("org/tiny"));
        assertTrue(events.stream().noneMatch(e -> e instanceof Event.Progress), "a fast download reports no progress");
    }

    @Test
    void settings_followHuggingfaceHub() {
        assertTrue(HubSettings.isTrue("yes") && HubSettings.isTrue("ON") && HubSettings.isTrue("1"));
        assertFalse(HubSettings.isTrue("0") || HubSettings.isTrue("") || HubSettings.isTrue(null));
        HubSettings s = HubSettings.of(Map.of("HF_ENDPOINT", "https://mirror.example/", "TRANSFORMERS_OFFLINE", "1"),
                cache, tmp);
        assertEquals("https://mirror.example", s.endpoint().toString());
        assertTrue(s.offline());
        assertEquals("https://huggingface.co", HubSettings.of(Map.of(), cache, tmp).endpoint().toString());
        assertEquals("W/\"abc\"".length() - 4, HubDownloader.etag("W/\"abc\"").length());
        assertEquals("refs%2Fpr%2F1", HubDownloader.encode("refs/pr/1", false));
        assertEquals("sub/a%20b.json", HubDownloader.encode("sub/a b.json", true));
    }
}

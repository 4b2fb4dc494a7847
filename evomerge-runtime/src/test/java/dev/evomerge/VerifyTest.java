package dev.evomerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.cli.EvomergeCli;
import dev.evomerge.diag.InputException;
import dev.evomerge.diag.RunException;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.Architectures;
import dev.evomerge.model.ModelDirectory;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ResolvedModel;
import dev.evomerge.model.SyntheticModel;
import dev.evomerge.report.FileDigest;
import dev.evomerge.report.LockFile;
import dev.evomerge.tensor.DType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock a merge writes, the input check of a merge into a locked directory, and verify. */
class VerifyTest {

    private static final String TIES = """
            merge_method: ties
            base_model: base
            models:
              - model: a
                parameters: {weight: 0.6, density: 0.5}
              - model: b
                parameters: {weight: 0.4, density: 0.7}
            dtype: float32
            """;

    @TempDir
    Path dir;
    private Map<String, String> env;

    @BeforeEach
    void models() throws IOException {
        new SyntheticModel("llama", 2, 32, 48, 64, 4, 2, DType.F32, 1).write(dir.resolve("base"), false);
        ModelDirectory base = ModelDirectory.load(new ResolvedModel(ModelReference.of("base"), dir.resolve("base"),
                false), Architectures.builtIn());
        SyntheticModel.perturb(base, dir.resolve("a"), 0.3, 2, false);
        SyntheticModel.perturb(base, dir.resolve("b"), 0.3, 3, false);
        Files.writeString(dir.resolve("ties.yml"), TIES);
        env = Map.of("EVOMERGE_CACHE", dir.resolve("cache").toString());
    }

    private MergeResult merge(String out, long shard, boolean overwrite) {
        return Merge.standard().run(new MergeRequest(dir.resolve("ties.yml"), dir.resolve(out), 5, shard, 2, 1L << 30,
                overwrite, dir, env), EventListener.NONE);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void merge_writesLockWithEveryInputAndOutputFileHashed() throws Exception {
        MergeResult r = merge("out", 20_000, false);
        Path out = dir.resolve("out");
        assertEquals(out.resolve(LockFile.NAME), r.lock());
        LockFile lock = LockFile.read(r.lock());
        assertEquals("merge", lock.kind());
        assertTrue(lock.evomergeVersion().matches("\\d+\\.\\d+\\.\\d+.*"), lock.evomergeVersion());
        assertEquals(TIES, lock.recipe());
        assertEquals(sha256(dir.resolve("ties.yml")), lock.recipeSha256());
        assertEquals(5, lock.seed());
        assertEquals(20_000, lock.outShardSize());
        assertEquals(List.of("base", "a", "b"), lock.inputs().stream().map(LockFile.Input::reference).toList());
        for (LockFile.Input in : lock.inputs()) {
            assertEquals(dir.resolve(in.reference()), in.location());
            List<String> paths = in.files().stream().map(FileDigest::path).toList();
            assertEquals("config.json", paths.getFirst());
            assertTrue(paths.contains("model.safetensors"), paths.toString());
            assertTrue(paths.contains("tokenizer.json"), paths.toString());
            for (FileDigest f : in.files()) {
                Path file = in.location().resolve(f.path());
                assertEquals(sha256(file), f.sha256(), f.path());
                assertEquals(Files.size(file), f.size(), f.path());
            }
        }
        List<String> written;
        try (Stream<Path> s = Files.list(out)) {
            written = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(LockFile.NAME)).sorted().toList();
        }
        assertEquals(written, lock.outputs().stream().map(FileDigest::path).toList());
        assertTrue(written.size() > 4 && written.contains("model.safetensors.index.json"), written.toString());
        for (FileDigest f : lock.outputs()) {
            assertEquals(sha256(out.resolve(f.path())), f.sha256(), f.path());
            assertEquals(Files.size(out.resolve(f.path())), f.size(), f.path());
        }
        assertTrue(r.hashing().toNanos() > 0 && r.hashing().compareTo(r.elapsed()) < 0);
    }

    @Test
    void mergeIntoLockedDirectory_changedInput_failsNamingFileAndBothHashesAndKeepsOutput() throws Exception {
        merge("out", 20_000, false);
        Path lockFile = dir.resolve("out").resolve(LockFile.NAME);
        String lockBefore = Files.readString(lockFile);
        merge("out", 20_000, true); // unchanged inputs: merges again
        assertEquals(lockBefore, Files.readString(lockFile));
        Path changed = dir.resolve("a").resolve("config.json");
        String oldHash = sha256(changed);
        Files.writeString(changed, Files.readString(changed).replace("\"rms_norm_eps\"", "\"unused\": 1,\n"
                + "  \"rms_norm_eps\""));
        InputException e = assertThrows(InputException.class, () -> merge("out", 20_000, true));
        assertTrue(e.userMessage().contains(changed.toString()), e.userMessage());
        assertTrue(e.userMessage().contains(oldHash), e.userMessage());
        assertTrue(e.userMessage().contains(sha256(changed)), e.userMessage());
        assertEquals(lockBefore, Files.readString(lockFile));
    }

    @Test
    void verify_rebuildsToTheLockedBytes_andNamesTheFirstDifferingFile() throws Exception {
        merge("out", 20_000, false);
        Path lockFile = dir.resolve("out").resolve(LockFile.NAME);
        LockFile ok = Verify.run(new VerifyRequest(dir.resolve("out"), false, 1, env), EventListener.NONE);
        assertEquals(LockFile.read(lockFile), ok);
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".evomerge-verify-")));
        }
        // a locked output whose bytes differ: the lock is the reference, so edit the lock's record of one shard
        LockFile lock = LockFile.read(lockFile);
        FileDigest first = lock.outputs().stream().filter(f -> f.path().endsWith(".safetensors")).findFirst()
                .orElseThrow();
        String tampered = "0".repeat(64);
        Files.writeString(lockFile, Files.readString(lockFile).replace(first.sha256(), tampered));
        RunException e = assertThrows(RunException.class, () -> Verify.run(new VerifyRequest(lockFile, false, 2,
                env), EventListener.NONE));
        assertTrue(e.userMessage().contains(first.path() + ": SHA-256 " + tampered), e.userMessage());
        assertTrue(e.userMessage().contains(first.sha256() + " (" + first.size() + " bytes) rebuilt"),
                e.userMessage());
        // --inputs-only does not rebuild, so it passes
        Verify.run(new VerifyRequest(lockFile, true, 1, env), EventListener.NONE);
    }

    @Test
    void verifyInputsOnly_changedWeights_failsEvenWhenTheCacheVouchesForTheOldFile() throws Exception {
        merge("out", 20_000, false);
        Path weights = dir.resolve("b").resolve("model.safetensors");
        String oldHash = sha256(weights);
        FileTime time = Files.getLastModifiedTime(weights);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        Files.setLastModifiedTime(weights, time);
        InputException e = assertThrows(InputException.class, () -> Verify.run(new VerifyRequest(dir.resolve("out"),
                true, 1, env), EventListener.NONE));
        assertTrue(e.userMessage().contains(weights.toString()) && e.userMessage().contains(oldHash)
                && e.userMessage().contains(sha256(weights)), e.userMessage());
    }

    @Test
    void cli_verify_exitStatusAndMessages() throws Exception {
        merge("out", 1L << 30, false);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int ok = EvomergeCli.run(new String[] {"verify", dir.resolve("out").toString(), "--inputs-only"},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, ok, err.toString());
        assertTrue(out.toString().contains("input files of 3 models match"), out.toString());
        int missing = EvomergeCli.run(new String[] {"verify", dir.resolve("nope.json").toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(EvomergeCli.USER_ERROR, missing);
        assertTrue(err.toString().startsWith("error: ") && err.toString().contains("nope.json"), err.toString());
        Files.writeString(dir.resolve("bad.json"), "{\"format\": 1}");
        err.getBuffer().setLength(0);
        assertEquals(EvomergeCli.USER_ERROR, EvomergeCli.run(new String[] {"verify", dir.resolve("bad.json")
                .toString()}, new PrintWriter(out), new PrintWriter(err)));
        assertTrue(err.toString().contains("is not a valid evomerge lock file"), err.toString());
    }
}

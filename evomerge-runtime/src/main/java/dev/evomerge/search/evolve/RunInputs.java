package dev.evomerge.search.evolve;

import dev.evomerge.io.AtomicFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.diag.InputException;
import dev.evomerge.model.ModelReference;
import dev.evomerge.model.ModelResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What an evolve run read, each input by its SHA-256, kept in {@code checkpoint/inputs.json} so that a resume can
 * tell whether it would continue the same run: the config (with the seed in effect), every task file and every
 * data file those tasks read, and each source model's safetensors headers (names, dtypes, shapes, offsets: not the
 * weights, which would take minutes to hash) and {@code config.json}. A resume with any of them changed is refused
 * with the first change; {@code --force} resumes anyway and appends what changed to the file's {@code forced} list.
 *
 * @param hashes input label (e.g. {@code task file tasks/words.yaml}) to its SHA-256, in a fixed order
 */
record RunInputs(Map<String, String> hashes) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    RunInputs {
        hashes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hashes));
    }

    /** The file in a work directory. */
    static Path file(Path workDirectory) {
        return workDirectory.resolve("checkpoint").resolve("inputs.json");
    }

    /** Hashes every input of a run. */
    static RunInputs of(EvolveConfig config, EvolveTasks tasks, ModelResolver resolver) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("config " + config.file(), sha(digest -> {
            digest.update(bytes(config.file()));
            digest.update(("\nseed=" + config.search().seed()).getBytes(StandardCharsets.UTF_8));
        }));
        for (EvolveTasks.Entry e : tasks.entries()) {
            h.put("task file " + e.spec().file(), sha(digest -> digest.update(bytes(e.spec().file()))));
            for (Path data : e.task().config().dataset().files()) {
                h.putIfAbsent("data file " + data, sha(digest -> digest.update(bytes(data))));
            }
        }
        Set<ModelReference> models = new LinkedHashSet<>();
        config.genome().ifPresent(g -> {
            g.models().stream().map(ModelSpec::reference).forEach(models::add);
            g.baseModel().map(ModelSpec::reference).ifPresent(models::add);
        });
        config.dfs().ifPresent(d -> d.models().forEach(e -> e.model().map(ModelSpec::reference)
                .ifPresent(models::add)));
        for (ModelReference m : models) {
            Path dir = resolver.resolve(m).directory();
            h.put("model " + m, sha(digest -> modelDigest(dir, digest)));
        }
        return new RunInputs(h);
    }

    /** The inputs a work directory's run started with, if it recorded them. */
    static Optional<RunInputs> read(Path workDirectory) {
        Path f = file(workDirectory);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode o = JSON.readTree(f.toFile());
            Map<String, String> h = new LinkedHashMap<>();
            o.get("inputs").fields().forEachRemaining(e -> h.put(e.getKey(), e.getValue().asText()));
            return Optional.of(new RunInputs(h));
        } catch (IOException | RuntimeException e) {
            throw new InputException(f, "cannot be read (" + e.getMessage() + ")",
                    "start the run again in a fresh work directory");
        }
    }

    /** The resumes that went on with changed inputs, as recorded in the work directory. */
    static List<String> forced(Path workDirectory) {
        List<String> out = new ArrayList<>();
        try {
            if (Files.isRegularFile(file(workDirectory))) {
                JSON.readTree(file(workDirectory).toFile()).path("forced").forEach(n -> out.add(n.asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Writes these inputs, keeping the record of earlier forced resumes and adding {@code forcedNow}, if any. */
    void write(Path workDirectory, List<String> forcedNow) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode inputs = o.putObject("inputs");
        hashes.forEach(inputs::put);
        ArrayNode forced = o.putArray("forced");
        forced(workDirectory).forEach(forced::add);
        forcedNow.forEach(forced::add);
        try {
            AtomicFile.write(file(workDirectory), JSON.writeValueAsString(o) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every difference from {@code earlier}, one line each ("the task file X changed", "the model Y is new"). */
    List<String> changesSince(RunInputs earlier) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : earlier.hashes.entrySet()) {
            String now = hashes.get(e.getKey());
            if (now == null) {
                out.add("the " + e.getKey() + " is no longer an input");
            } else if (!now.equals(e.getValue())) {
                out.add("the " + e.getKey() + " changed (sha256 " + e.getValue().substring(0, 12) + "… then, "
                        + now.substring(0, 12) + "… now)");
            }
        }
        for (String key : hashes.keySet()) {
            if (!earlier.hashes.containsKey(key)) {
                out.add("the " + key + " is a new input");
            }
        }
        return out;
    }

    /** Each safetensors file's header (in name order), then config.json. */
    private static void modelDigest(Path dir, MessageDigest digest) {
        List<Path> shards;
        try (Stream<Path> files = Files.list(dir)) {
            shards = files.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
        } catch (IOException e) {
            throw new InputException(dir, "cannot be listed (" + e.getMessage() + ")", "check the model directory");
        }
        for (Path shard : shards) {
            digest.update(shard.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            try (InputStream in = Files.newInputStream(shard)) {
                byte[] length = in.readNBytes(8);
                digest.update(length);
                if (length.length == 8) {
                    long n = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    digest.update(in.readNBytes((int) Math.min(Math.max(n, 0), 100L << 20)));
                }
            } catch (IOException e) {
                throw new InputException(shard, "cannot be read (" + e.getMessage() + ")", "check the model");
            }
        }
        Path config = dir.resolve("config.json");
        if (Files.isRegularFile(config)) {
            digest.update(bytes(config));
        }
    }

    private interface Feed {
        void into(MessageDigest digest);
    }

    private static String sha(Feed feed) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            feed.into(digest);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputException(file, "cannot be read (" + e.getMessage() + ")", "check the file");
        }
    }
}

package dev.evomerge.report;

import dev.evomerge.model.ResolvedModel;
import dev.evomerge.model.TokenizerFiles;
import dev.evomerge.report.LockFile.Input;
import dev.evomerge.tensor.io.SafetensorsModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * The hashes a {@link LockFile} records: which files of an input model a merge reads, their sizes and SHA-256
 * (through a {@link DigestCache}, on a thread of their own while the merge runs), and every file of an output
 * directory, on several threads, largest first. Stateless.
 */
public final class LockDigests {

    private LockDigests() {
    }

    /**
     * The files of a model directory a merge reads: {@code config.json}, the weight index and shards, and the
     * tokenizer files it has, as paths relative to the directory.
     */
    public static List<String> modelFiles(ResolvedModel model) {
        Path dir = model.directory();
        SequencedSet<String> files = new LinkedHashSet<>();
        files.add("config.json");
        if (SafetensorsModel.hasWeights(dir)) {
            if (Files.isRegularFile(dir.resolve(SafetensorsModel.INDEX_FILE))) {
                files.add(SafetensorsModel.INDEX_FILE);
            }
            try (SafetensorsModel weights = SafetensorsModel.open(dir)) {
                for (Path shard : weights.shards()) {
                    files.add(LockFile.relative(dir, shard));
                }
            }
        }
        for (Path f : TokenizerFiles.filesToCopy(dir)) {
            files.add(LockFile.relative(dir, f));
        }
        return List.copyOf(files);
    }

    /**
     * The inputs' entries, each model once (by reference, in the order given), their files hashed through
     * {@code cache} on up to {@code threads} threads.
     */
    public static List<Input> inputs(List<ResolvedModel> models, DigestCache cache, int threads) {
        return inputs(models, cache::digest, threads);
    }

    private static List<Input> inputs(List<ResolvedModel> models,
            BiFunction<Path, String, FileDigest> digest, int threads) {
        Map<String, ResolvedModel> distinct = new LinkedHashMap<>();
        for (ResolvedModel m : models) {
            distinct.putIfAbsent(m.reference().toString(), m);
        }
        List<Path> dirs = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (ResolvedModel m : distinct.values()) {
            List<String> own = modelFiles(m);
            for (String f : own) {
                dirs.add(m.directory());
                files.add(f);
            }
            counts.add(own.size());
        }
        List<FileDigest> digests = digestAll(dirs, files, digest, threads);
        List<Input> out = new ArrayList<>();
        int at = 0;
        int i = 0;
        for (ResolvedModel m : distinct.values()) {
            int n = counts.get(i++);
            out.add(new Input(m.reference().toString(), m.directory().toAbsolutePath(), digests.subList(at, at + n)));
            at += n;
        }
        return out;
    }

    /**
     * Starts hashing the inputs' files on a daemon thread (with up to {@code threads} threads), so that a merge
     * reads and hashes them side by side; {@link PendingInputs#await} gives the entries.
     */
    public static PendingInputs inputsInBackground(List<ResolvedModel> models, DigestCache cache, int threads) {
        AtomicBoolean cancelled = new AtomicBoolean();
        var task = new FutureTask<>(() -> inputs(models, (dir, file) -> {
            if (cancelled.get()) {
                throw new CancellationException("the merge failed");
            }
            return cache.digest(dir, file);
        }, threads));
        Thread.ofPlatform().daemon().name("evomerge-input-digest").start(task);
        return new PendingInputs(task, cancelled);
    }

    /**
     * Every file under a model directory but the lock, in path order, hashed on up to {@code threads} threads (the
     * shards of a large model are hashed side by side), but those whose SHA-256 is in {@code known} (by path),
     * which a writer computed as it wrote them.
     */
    public static List<FileDigest> outputs(Path dir, int threads, Map<String, String> known) {
        List<String> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).map(p -> LockFile.relative(dir, p))
                    .filter(p -> !p.equals(LockFile.NAME)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return digestAll(Collections.nCopies(files.size(), dir), files, (d, f) -> {
            String sha = known.get(f);
            return sha != null ? new FileDigest(f, size(d.resolve(f)), sha) : FileDigest.of(d, f);
        }, threads);
    }

    /** {@code digest} of each {@code (dirs[i], files[i])}, in that order, on up to {@code threads} threads. */
    private static List<FileDigest> digestAll(List<Path> dirs, List<String> files,
            BiFunction<Path, String, FileDigest> digest, int threads) {
        int n = Math.max(1, Math.min(threads, files.size()));
        if (n == 1) {
            List<FileDigest> out = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                out.add(digest.apply(dirs.get(i), files.get(i)));
            }
            return out;
        }
        // largest first, so that no thread is left with the biggest file at the end
        List<Integer> bySize = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            bySize.add(i);
        }
        bySize.sort((a, b) -> Long.compare(size(dirs.get(b).resolve(files.get(b))),
                size(dirs.get(a).resolve(files.get(a)))));
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<FileDigest>> futures = new ArrayList<>(Collections.nCopies(files.size(), null));
            for (int i : bySize) {
                futures.set(i, pool.submit(() -> digest.apply(dirs.get(i), files.get(i))));
            }
            List<FileDigest> out = new ArrayList<>();
            for (Future<FileDigest> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing " + files, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}

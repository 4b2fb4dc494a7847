package dev.evomerge.model.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evomerge.diag.InputException;
import dev.evomerge.diag.RunException;
import dev.evomerge.event.Event;
import dev.evomerge.event.EventListener;
import dev.evomerge.json.JsonTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * Downloads what a merge or an evaluation needs of a Hub model into the Hugging Face cache, laid out as
 * {@code huggingface_hub} lays it out, and returns its snapshot directory:
 * <pre>
 * HUB/models--ORG--NAME/blobs/ETAG                     the file's bytes (ETAG: the SHA-256 of an LFS file)
 * HUB/models--ORG--NAME/blobs/ETAG.incomplete          a download in progress, resumed with an HTTP Range
 * HUB/models--ORG--NAME/snapshots/COMMIT/FILE          a relative symbolic link to its blob
 * HUB/models--ORG--NAME/refs/REVISION                  the commit a branch or tag named (written last)
 * </pre>
 *
 * <p>It asks {@code /api/models/ID/revision/REV} for the commit and the file list, fetches {@code config.json}, the
 * tokenizer and generation files and the safetensors index first, then the shards the index names (or the
 * top-level safetensors files), {@value #PARALLEL} files at a time. Each file: a {@code HEAD} on
 * {@code /ID/resolve/COMMIT/FILE} (not following the redirect to the storage host) gives the blob's name
 * ({@code X-Linked-Etag} for LFS files, else {@code ETag}) and size; the {@code GET} follows redirects, sending the
 * token to the Hub's own host only. A dropped connection resumes from the partial blob's length; a 429 waits for its
 * {@code Retry-After}; an LFS file whose SHA-256 does not match its {@code X-Linked-Etag} is fetched again once, then
 * refused. A blob is renamed into place only when complete and checked, and the snapshot links only to such blobs, so
 * no snapshot ever shows a half-written file; a failed download keeps its partial blob for the next attempt.
 *
 * <p>Thread-safe; one instance may serve several models.
 */
public final class HubDownloader {

    /** Files fetched at once. */
    static final int PARALLEL = 4;
    /** Tries per file for a dropped connection, a 429 or a server error. */
    static final int ATTEMPTS = 6;
    /** The longest wait for a {@code Retry-After} or between tries. */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_REDIRECTS = 10;
    private static final long PROGRESS_NANOS = 1_000_000_000L;

    private final HubSettings settings;
    private final EventListener events;
    private final HttpClient http;

    public HubDownloader(HubSettings settings, EventListener events) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.events = Objects.requireNonNull(events, "events");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** The cache folder of a repository: {@code HUB/models--ORG--NAME}. */
    public Path repoDirectory(String repo) {
        return settings.cache().resolve("models--" + repo.replace("/", "--"));
    }

    /**
     * Downloads the files of {@code repo} at {@code revision} that the cache lacks.
     *
     * @param revision a branch, tag or commit
     * @return the snapshot directory
     * @throws InputException for what the user can act on (unknown repository or revision, gated, no safetensors,
     *     offline, disk full)
     * @throws RunException when the Hub cannot be reached or keeps failing
     */
    public Path download(String repo, String revision) {
        if (settings.offline()) {
            throw new InputException("model '" + repo + "@" + revision + "' is not in the Hugging Face cache ("
                    + settings.cache() + ") and downloads are off (HF_HUB_OFFLINE, or Maven's offline mode)",
                    "download it once while online (unset HF_HUB_OFFLINE, run Maven without -o) or give a local"
                            + " directory");
        }
        String label = repo + "@" + revision;
        Info info = revisionInfo(repo, revision);
        Path repoDir = repoDirectory(repo);
        Path snapshot = repoDir.resolve("snapshots").resolve(info.commit());
        events.lifecycle("Downloading " + label + " (commit " + info.commit().substring(0, 12) + ") from "
                + settings.endpoint() + " into " + settings.cache());
        List<String> first = HubFiles.metadata(info.files());
        String index = HubFiles.index(info.files());
        List<String> weights = index == null ? HubFiles.weights(repo, revision, info.files()) : null;
        fetchAll(repo, info.commit(), first, repoDir);
        if (weights == null) {
            weights = shardsOf(snapshot.resolve(index), repo, info.files());
        }
        fetchAll(repo, info.commit(), weights, repoDir);
        if (!revision.equals(info.commit())) {
            writeRef(repoDir, revision, info.commit());
        }
        return snapshot;
    }

    /** A revision's commit and its files. */
    record Info(String commit, List<String> files) {
    }

    Info revisionInfo(String repo, String revision) {
        URI uri = URI.create(settings.endpoint() + "/api/models/" + repo + "/revision/" + encode(revision, false));
        for (int attempt = 1; ; attempt++) {
            HttpResponse<byte[]> r;
            try {
                r = http.send(request(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                failOrWait(repo, revision, uri, e, attempt);
                continue;
            } catch (InterruptedException e) {
                throw interrupted();
            }
            if (retryable(r.statusCode()) && attempt < ATTEMPTS) {
                sleep(waitFor(r, attempt));
                continue;
            }
            checkStatus(r, repo, revision, null, uri);
            try {
                JsonNode json = JsonTrees.LENIENT.read(new String(r.body(), StandardCharsets.UTF_8));
                String sha = json.path("sha").asText("");
                if (!SHA1.matcher(sha).matches()) {
                    throw new RunException("the Hub's answer for " + repo + "@" + revision + " (" + uri
                            + ") has no commit hash", "check HF_ENDPOINT: it should name a Hugging Face Hub or mirror");
                }
                List<String> files = new ArrayList<>();
                for (JsonNode s : json.path("siblings")) {
                    String name = s.path("rfilename").asText("");
                    if (!name.isEmpty()) {
                        files.add(name);
                    }
                }
                return new Info(sha, files);
            } catch (IOException e) {
                throw new RunException("the Hub's answer for " + repo + "@" + revision + " (" + uri
                        + ") is not JSON: " + e.getMessage(), "check HF_ENDPOINT", e);
            }
        }
    }

    private List<String> shardsOf(Path index, String repo, List<String> files) {
        JsonNode map;
        try {
            map = JsonTrees.LENIENT.read(index).path("weight_map");
        } catch (IOException e) {
            throw new InputException(index, "cannot read the safetensors index: " + e.getMessage(),
                    "delete the model's folder from the Hugging Face cache and download it again", e);
        }
        List<String> values = new ArrayList<>();
        map.forEach(v -> values.add(v.asText()));
        List<String> shards = HubFiles.shards(values);
        for (String s : shards) {
            if (!files.contains(s)) {
                throw new InputException(index, "names the shard " + s + ", which " + repo + " does not hold",
                        "the repository is broken at this revision; choose another revision");
            }
        }
        return shards;
    }

    private void fetchAll(String repo, String commit, List<String> files, Path repoDir) {
        if (files.isEmpty()) {
            return;
        }
        if (files.size() == 1) {
            fetch(repo, commit, files.getFirst(), repoDir);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, files.size()), r -> {
            Thread t = new Thread(r, "hub-download");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String f : files) {
                futures.add(pool.submit(() -> fetch(repo, commit, f, repoDir)));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    futures.forEach(other -> other.cancel(true));
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException("a download thread failed", e.getCause());
                } catch (InterruptedException e) {
                    futures.forEach(other -> other.cancel(true));
                    throw interrupted();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** What a {@code HEAD} says about a file. */
    record Meta(String etag, long size, Optional<String> sha256, URI location) {
    }

    private void fetch(String repo, String commit, String file, Path repoDir) {
        Path link = repoDir.resolve("snapshots").resolve(commit).resolve(file);
        if (Files.exists(link)) {
            return;
        }
        URI uri = URI.create(settings.endpoint() + "/" + repo + "/resolve/" + commit + "/" + encode(file, true));
        Meta meta = head(repo, commit, file, uri);
        Path blobs = repoDir.resolve("blobs");
        Path blob = blobs.resolve(meta.etag());
        if (!Files.exists(blob)) {
            download(repo + "/" + file, meta, blob);
        }
        try {
            Files.createDirectories(link.getParent());
            Path temp = link.resolveSibling("." + link.getFileName() + "." + Thread.currentThread().threadId()
                    + ".link");
            Files.deleteIfExists(temp);
            Files.createSymbolicLink(temp, link.getParent().relativize(blob));
            Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InputException(link, "cannot link the downloaded file into the snapshot: " + e.getMessage(),
                    "check that the Hugging Face cache (HF_HUB_CACHE) is writable", e);
        }
    }

    private Meta head(String repo, String commit, String file, URI uri) {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<Void> r;
            try {
                r = http.send(request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .header("Accept-Encoding", "identity").build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                failOrWait(repo, commit, uri, e, attempt);
                continue;
            } catch (InterruptedException e) {
                throw interrupted();
            }
            int status = r.statusCode();
            if (retryable(status) && attempt < ATTEMPTS) {
                sleep(waitFor(r, attempt));
                continue;
            }
            URI location = uri;
            if (status >= 300 && status < 400) {
                location = r.headers().firstValue("Location").map(uri::resolve).orElse(null);
                if (location == null) {
                    throw new RunException("the Hub redirected " + uri + " without a Location", "check HF_ENDPOINT");
                }
            } else {
                checkStatus(r, repo, commit, file, uri);
            }
            String linked = etag(r.headers().firstValue("X-Linked-Etag").orElse(null));
            String etag = linked != null ? linked : etag(r.headers().firstValue("ETag").orElse(null));
            if (etag == null || etag.isEmpty() || etag.contains("/") || etag.startsWith(".")) {
                throw new RunException("the Hub's answer for " + uri + " has no usable ETag",
                        "check HF_ENDPOINT: it should name a Hugging Face Hub or mirror");
            }
            long size = r.headers().firstValueAsLong("X-Linked-Size")
                    .orElse(status < 300 ? r.headers().firstValueAsLong("Content-Length").orElse(-1) : -1);
            Optional<String> sha = linked != null && SHA256.matcher(linked).matches() ? Optional.of(linked)
                    : Optional.empty();
            return new Meta(etag, size, sha, location);
        }
    }

    private void download(String label, Meta meta, Path blob) {
        Path partial = blob.resolveSibling(blob.getFileName() + ".incomplete");
        try {
            Files.createDirectories(blob.getParent());
        } catch (IOException e) {
            throw new InputException(blob.getParent(), "cannot create the cache folder: " + e.getMessage(),
                    "check that the Hugging Face cache (HF_HUB_CACHE) is writable", e);
        }
        int hashFailures = 0;
        IOException lastError = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            long have = size(partial);
            if (meta.size() >= 0 && have > meta.size()) {
                truncate(partial);
                have = 0;
            }
            checkSpace(partial, meta.size() < 0 ? 0 : meta.size() - have, label);
            try {
                if (meta.size() < 0 || have < meta.size()) {
                    Optional<Duration> retry = transfer(label, meta, partial, have);
                    if (retry.isPresent()) {
                        sleep(retry.get());
                        continue;
                    }
                }
            } catch (IOException e) {
                if (isDiskFull(e)) {
                    throw diskFull(partial, label, e);
                }
                if (e instanceof InterruptedIOException) {
                    throw interrupted();
                }
                lastError = e;
                events.debug("download of " + label + " interrupted at " + size(partial) + " bytes ("
                        + e + "); resuming");
                sleep(backoff(attempt));
                continue;
            }
            if (meta.size() >= 0 && size(partial) != meta.size()) {
                lastError = new IOException("got " + size(partial) + " of " + meta.size() + " bytes");
                continue;
            }
            if (meta.sha256().isPresent()) {
                String actual = sha256(partial);
                if (!actual.equals(meta.sha256().get())) {
                    truncate(partial);
                    if (++hashFailures < 2) {
                        events.warn("the download of " + label + " does not match its SHA-256; fetching it again");
                        continue;
                    }
                    deleteQuietly(partial);
                    throw new RunException("the download of " + label + " from " + settings.endpoint()
                            + " does not match its SHA-256 (expected " + meta.sha256().get() + ", got " + actual
                            + ")", "the server (HF_ENDPOINT) serves a corrupted file: try again later or another"
                            + " mirror");
                }
            }
            try {
                Files.move(partial, blob, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                deleteQuietly(partial);
            } catch (IOException e) {
                throw new InputException(blob, "cannot move the downloaded file into place: " + e.getMessage(),
                        "check that the Hugging Face cache (HF_HUB_CACHE) is writable", e);
            }
            return;
        }
        throw new RunException("the download of " + label + " from " + settings.endpoint() + " failed " + ATTEMPTS
                + " times" + (lastError == null ? "" : " (last: " + lastError.getMessage() + ")"),
                "run again: the " + size(partial) + " bytes fetched so far are kept in " + partial
                        + " and the download resumes");
    }

    /**
     * One GET of the rest of a file, appended to the partial blob.
     *
     * @return a time to wait before the next try (429 or a server error), or empty when the body was read
     * @throws IOException when the connection drops or the disk fails
     */
    private Optional<Duration> transfer(String label, Meta meta, Path partial, long have) throws IOException {
        URI uri = meta.location();
        HttpResponse<InputStream> r = null;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = request(uri).GET().header("Accept-Encoding", "identity");
            if (have > 0) {
                b.header("Range", "bytes=" + have + "-");
            }
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                throw interrupted();
            }
            int status = r.statusCode();
            if (status >= 300 && status < 400 && r.headers().firstValue("Location").isPresent()) {
                r.body().close();
                uri = uri.resolve(r.headers().firstValue("Location").get());
                continue;
            }
            break;
        }
        int status = r.statusCode();
        if (retryable(status)) {
            r.body().close();
            return Optional.of(waitFor(r, 1));
        }
        if (status == 416 && meta.size() >= 0 && have >= meta.size()) {
            r.body().close();
            return Optional.empty();
        }
        if (status != 200 && status != 206) {
            r.body().close();
            throw new RunException("the Hub answered HTTP " + status + " for " + uri + " (" + label + ")",
                    "check HF_ENDPOINT and HF_TOKEN, or try again later");
        }
        boolean append = status == 206 && r.headers().firstValue("Content-Range")
                .map(v -> v.startsWith("bytes " + have + "-")).orElse(false);
        long start = append ? have : 0;
        long total = meta.size();
        long began = System.nanoTime();
        long lastReport = began;
        boolean reported = false;
        try (InputStream in = r.body();
                FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.truncate(start);
            out.position(start);
            byte[] buffer = new byte[1 << 16];
            long done = start;
            int n;
            while ((n = in.read(buffer)) > 0) {
                ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                done += n;
                long now = System.nanoTime();
                if (now - lastReport >= PROGRESS_NANOS) {
                    lastReport = now;
                    reported = true;
                    progress(label, done, total, done - start, now - began);
                }
            }
            if (reported) {
                progress(label, done, total, done - start, System.nanoTime() - began);
            }
        }
        return Optional.empty();
    }

    private void progress(String label, long done, long total, long fetched, long nanos) {
        double rate = fetched / Math.max(1e-9, nanos / 1e9);
        Duration eta = total > 0 && rate > 0 ? Duration.ofSeconds((long) ((total - done) / rate)) : null;
        events.on(new Event.Progress("download " + label, done, Math.max(total, 0),
                String.format(Locale.ROOT, "%.1f MB/s", rate / 1e6), eta));
    }

    private void checkSpace(Path partial, long needed, String label) {
        try {
            long free = Files.getFileStore(partial.getParent()).getUsableSpace();
            if (needed > free) {
                throw new InputException(partial.getParent(), String.format(Locale.ROOT,
                        "not enough disk space to download %s: it needs %.1f GB more, %.1f GB are free", label,
                        needed / 1e9, free / 1e9), "free some space or point HF_HUB_CACHE (or HF_HOME) at a larger"
                        + " disk; a partial download is kept and resumes");
            }
        } catch (IOException e) {
            // the file store cannot say: the writes will tell
        }
    }

    private InputException diskFull(Path partial, String label, IOException e) {
        return new InputException(partial.getParent(), "the disk is full while downloading " + label + " ("
                + size(partial) + " bytes kept in " + partial.getFileName() + ")",
                "free some space or point HF_HUB_CACHE (or HF_HOME) at a larger disk, then run again: the download"
                        + " resumes", e);
    }

    private static boolean isDiskFull(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("User-Agent", "evomerge");
        if (settings.token().isPresent() && sameHost(uri)) {
            b.header("Authorization", "Bearer " + settings.token().get());
        }
        return b;
    }

    private boolean sameHost(URI uri) {
        URI e = settings.endpoint();
        return Objects.equals(e.getHost(), uri.getHost()) && e.getPort() == uri.getPort()
                && Objects.equals(e.getScheme(), uri.getScheme());
    }

    /** Turns a Hub error status into the one-line error a user can act on. */
    private void checkStatus(HttpResponse<?> r, String repo, String revision, String file, URI uri) {
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String code = r.headers().firstValue("X-Error-Code").orElse("");
        String model = "model '" + repo + "'";
        String tokenHint = settings.token().isPresent()
                ? "the token in HF_TOKEN has no access to it: use a token of an account that has"
                : "set HF_TOKEN to an access token (https://huggingface.co/settings/tokens)";
        if (code.equals("GatedRepo")) {
            throw new InputException(model + " is gated: its terms must be accepted on the Hub and a token given",
                    "accept them on the model's Hub page, then " + tokenHint);
        }
        if (code.equals("RevisionNotFound")) {
            throw new InputException(model + " has no revision '" + revision + "' on " + settings.endpoint(),
                    "give an existing branch, tag or commit after '@'");
        }
        if (code.equals("EntryNotFound") || (file != null && status == 404 && code.isEmpty())) {
            throw new InputException(model + " has no file '" + file + "' at " + revision,
                    "the repository changed while downloading; run again");
        }
        if (code.equals("RepoNotFound") || status == 404 || status == 401) {
            throw new InputException(model + " not found on " + settings.endpoint()
                    + (status == 401 ? " (or it is private)" : ""),
                    "check the id (ORG/NAME)" + (settings.token().isPresent() ? "" : "; for a private repository "
                            + tokenHint));
        }
        if (status == 403) {
            throw new InputException("access to " + model + " is refused (HTTP 403)", tokenHint);
        }
        throw new RunException("the Hub answered HTTP " + status + " for " + uri, "try again later, or check"
                + " HF_ENDPOINT");
    }

    private void failOrWait(String repo, String revision, URI uri, IOException e, int attempt) {
        if (e instanceof ConnectException || e.getCause() instanceof java.nio.channels.UnresolvedAddressException
                || e instanceof java.net.UnknownHostException || attempt >= ATTEMPTS) {
            throw new RunException("cannot reach " + settings.endpoint() + " to download " + repo + "@" + revision
                    + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    "check the network or HF_ENDPOINT, or download the model elsewhere into the cache and set"
                            + " HF_HUB_OFFLINE=1", e);
        }
        if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
            throw interrupted();
        }
        sleep(backoff(attempt));
    }

    private static boolean retryable(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /** {@code Retry-After} (seconds or an HTTP date), else an exponential back-off; at most {@link #MAX_WAIT}. */
    static Duration waitFor(HttpResponse<?> r, int attempt) {
        Optional<String> after = r.headers().firstValue("Retry-After");
        if (after.isPresent()) {
            String v = after.get().strip();
            try {
                return min(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
            } catch (NumberFormatException e) {
                try {
                    ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration d = Duration.between(ZonedDateTime.now(when.getZone()), when);
                    return min(d.isNegative() ? Duration.ZERO : d);
                } catch (RuntimeException ignored) {
                    // fall through to the back-off
                }
            }
        }
        return backoff(attempt);
    }

    private static Duration backoff(int attempt) {
        return min(Duration.ofMillis(250L << Math.min(attempt - 1, 8)));
    }

    private static Duration min(Duration d) {
        return d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private static RunException interrupted() {
        Thread.currentThread().interrupt();
        return new RunException("the download was interrupted", "run again: partial downloads resume");
    }

    /** {@code W/"abc"} and {@code "abc"} to {@code abc}, as huggingface_hub names blobs. */
    static String etag(String header) {
        if (header == null) {
            return null;
        }
        String e = header.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }

    /** Percent-encodes a revision (slashes too) or a file path (slashes kept). */
    static String encode(String text, boolean keepSlashes) {
        StringBuilder b = new StringBuilder();
        for (byte c : text.getBytes(StandardCharsets.UTF_8)) {
            int u = c & 0xff;
            if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' || u == '_'
                    || u == '.' || u == '~' || (keepSlashes && u == '/')) {
                b.append((char) u);
            } else {
                b.append('%').append(String.format(Locale.ROOT, "%02X", u));
            }
        }
        return b.toString();
    }

    private static void writeRef(Path repoDir, String revision, String commit) {
        Path refs = repoDir.resolve("refs");
        Path ref = refs.resolve(revision).normalize();
        if (!ref.startsWith(refs)) {
            throw new InputException("revision '" + revision + "' is not a branch or tag name",
                    "give a branch, tag or commit after '@'");
        }
        try {
            Files.createDirectories(ref.getParent());
            Path temp = ref.resolveSibling("." + ref.getFileName() + ".tmp" + Thread.currentThread().threadId());
            Files.writeString(temp, commit);
            Files.move(temp, ref, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InputException(ref, "cannot write the cache reference: " + e.getMessage(),
                    "check that the Hugging Face cache (HF_HUB_CACHE) is writable", e);
        }
    }

    static String sha256(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            while (ch.read(buffer) > 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new InputException(file, "cannot read the downloaded file: " + e.getMessage(), null, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void truncate(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        } catch (IOException e) {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left for the next attempt, which truncates it
        }
    }
}

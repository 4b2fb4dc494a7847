package dev.evomerge.model.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Hub on loopback that serves what evomerge asks of the Hugging Face Hub: the revision JSON of
 * {@code /api/models/ID/revision/REV}, and {@code /ID/resolve/REV/FILE} as the Hub answers it (small files directly
 * with their git ETag; LFS files as a 302 to a storage path with {@code X-Linked-Etag} and {@code X-Linked-Size}),
 * the storage path honouring {@code Range}. Faults are injected per file: a connection dropped after some bytes, a
 * corrupted body, 429s with {@code Retry-After}; a gated repository answers 401 without the right token.
 */
final class FakeHub implements AutoCloseable {

    /** A repository: its files by name, at one commit per revision name. */
    static final class Repo {
        final Map<String, byte[]> files = new LinkedHashMap<>();
        final Map<String, String> revisions = new LinkedHashMap<>();
        String commit;
        boolean gated;

        Repo commit(String sha, String... names) {
            commit = sha;
            revisions.put(sha, sha);
            for (String n : names) {
                revisions.put(n, sha);
            }
            return this;
        }

        Repo file(String name, byte[] bytes) {
            files.put(name, bytes);
            return this;
        }
    }

    final Map<String, Repo> repos = new ConcurrentHashMap<>();
    /** Bytes after which the storage drops the connection, once per file. */
    final Map<String, Long> dropAfter = new ConcurrentHashMap<>();
    /** Files whose storage body is corrupted, this many more times. */
    final Map<String, AtomicInteger> corrupt = new ConcurrentHashMap<>();
    /** Files whose resolve answers 429 this many more times. */
    final Map<String, AtomicInteger> tooMany = new ConcurrentHashMap<>();
    /** A size the Hub claims for a file instead of its own. */
    final Map<String, Long> claimedSize = new ConcurrentHashMap<>();
    /** Every request: method, path, Range and Authorization. */
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    String token = "hf_secret";
    /** The host of the storage redirect: the Hub's own (a relative Location) or another name for loopback. */
    String storageHost;

    private final HttpServer server;

    FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** git's blob hash, which the Hub sends as the ETag of a small file. */
    static String gitSha1(byte[] bytes) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-1");
            d.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d.digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean lfs(String file) {
        return file.endsWith(".safetensors") || file.endsWith(".bin");
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getRawPath();
            String auth = x.getRequestHeaders().getFirst("Authorization");
            String range = x.getRequestHeaders().getFirst("Range");
            log.add(x.getRequestMethod() + " " + path + (range == null ? "" : " " + range)
                    + (auth == null ? "" : " auth"));
            if (path.startsWith("/api/models/")) {
                api(x, path.substring("/api/models/".length()));
            } else if (path.startsWith("/storage/")) {
                storage(x, path.substring("/storage/".length()), range);
            } else {
                resolve(x, path.substring(1), auth);
            }
        }
    }

    private void api(HttpExchange x, String rest) throws IOException {
        int at = rest.indexOf("/revision/");
        Repo repo = at < 0 ? null : repos.get(rest.substring(0, at));
        if (repo == null) {
            error(x, 401, "RepoNotFound", "Repository Not Found");
            return;
        }
        String rev = URLDecoder.decode(rest.substring(at + "/revision/".length()), StandardCharsets.UTF_8);
        String sha = repo.revisions.get(rev);
        if (sha == null) {
            error(x, 404, "RevisionNotFound", "Invalid rev id: " + rev);
            return;
        }
        StringBuilder json = new StringBuilder("{\"id\":\"" + rest.substring(0, at) + "\",\"sha\":\"" + sha
                + "\",\"gated\":" + (repo.gated ? "\"auto\"" : "false") + ",\"siblings\":[");
        boolean first = true;
        for (String f : repo.files.keySet()) {
            json.append(first ? "" : ",").append("{\"rfilename\":\"").append(f).append("\"}");
            first = false;
        }
        json.append("]}");
        send(x, 200, json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void resolve(HttpExchange x, String rest, String auth) throws IOException {
        int r = rest.indexOf("/resolve/");
        Repo repo = r < 0 ? null : repos.get(rest.substring(0, r));
        if (repo == null) {
            error(x, 401, "RepoNotFound", "Repository Not Found");
            return;
        }
        String tail = rest.substring(r + "/resolve/".length());
        int slash = tail.indexOf('/');
        String sha = repo.revisions.get(tail.substring(0, slash));
        String file = URLDecoder.decode(tail.substring(slash + 1), StandardCharsets.UTF_8);
        if (sha == null) {
            error(x, 404, "RevisionNotFound", "Invalid rev id");
            return;
        }
        if (repo.gated && !("Bearer " + token).equals(auth)) {
            error(x, 401, "GatedRepo", "Access to model is restricted");
            return;
        }
        byte[] bytes = repo.files.get(file);
        if (bytes == null) {
            error(x, 404, "EntryNotFound", "Entry not found");
            return;
        }
        AtomicInteger limited = tooMany.get(file);
        if (limited != null && limited.getAndDecrement() > 0) {
            x.getResponseHeaders().set("Retry-After", "1");
            error(x, 429, null, "Too Many Requests");
            return;
        }
        x.getResponseHeaders().set("X-Repo-Commit", sha);
        if (lfs(file)) {
            String hash = sha256(bytes);
            x.getResponseHeaders().set("X-Linked-Etag", "\"" + hash + "\"");
            x.getResponseHeaders().set("X-Linked-Size", Long.toString(claimedSize.getOrDefault(file,
                    (long) bytes.length)));
            x.getResponseHeaders().set("ETag", "\"" + gitSha1(hash.getBytes(StandardCharsets.US_ASCII)) + "\"");
            x.getResponseHeaders().set("Location", (storageHost == null ? "" : "http://" + storageHost + ":"
                    + server.getAddress().getPort()) + "/storage/" + hash + "?file=" + file);
            x.sendResponseHeaders(302, -1);
            return;
        }
        x.getResponseHeaders().set("ETag", "\"" + gitSha1(bytes) + "\"");
        if (x.getRequestMethod().equals("HEAD")) {
            x.getResponseHeaders().set("Content-Length", Long.toString(bytes.length));
            x.sendResponseHeaders(200, -1);
            return;
        }
        send(x, 200, bytes);
    }

    private void storage(HttpExchange x, String hash, String range) throws IOException {
        String file = x.getRequestURI().getQuery().substring("file=".length());
        byte[] bytes = null;
        for (Repo repo : repos.values()) {
            byte[] b = repo.files.get(file);
            if (b != null && sha256(b).equals(hash)) {
                bytes = b;
            }
        }
        if (bytes == null) {
            error(x, 404, null, "no such object");
            return;
        }
        AtomicInteger bad = corrupt.get(file);
        if (bad != null && bad.getAndDecrement() > 0) {
            bytes = bytes.clone();
            bytes[bytes.length / 2] ^= 0x5a;
        }
        long from = 0;
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Long.parseLong(range.substring(6, range.length() - 1));
        }
        int start = (int) from;
        if (start > 0) {
            x.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (bytes.length - 1) + "/"
                    + bytes.length);
        }
        x.sendResponseHeaders(start > 0 ? 206 : 200, bytes.length - start);
        OutputStream out = x.getResponseBody();
        Long drop = dropAfter.remove(file);
        if (drop != null) {
            out.write(bytes, start, (int) Math.min(drop, bytes.length - start));
            out.flush();
            // closing the socket under a promised Content-Length is what a dropped connection looks like
            throw new IOException("dropped on purpose");
        }
        out.write(bytes, start, bytes.length - start);
    }

    private static void error(HttpExchange x, int status, String code, String message) throws IOException {
        if (code != null) {
            x.getResponseHeaders().set("X-Error-Code", code);
        }
        x.getResponseHeaders().set("X-Error-Message", message);
        send(x, status, ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, byte[] body) throws IOException {
        if (x.getRequestMethod().equals("HEAD")) {
            x.sendResponseHeaders(status, -1);
            return;
        }
        x.sendResponseHeaders(status, body.length);
        x.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.evomerge.model;

import dev.evomerge.diag.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Finds the directory a {@link ModelReference} names, as mergekit does but without any download: an existing local
 * directory first; otherwise a Hugging Face id looked up in the local hub cache ({@code HF_HUB_CACHE}, else
 * {@code HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}; {@code models--ORG--NAME/refs/REV} gives the commit
 * whose {@code snapshots/SHA/} folder is the model); otherwise an error that says where it looked.
 *
 * <p>Immutable and thread-safe. The environment is passed in, never read from the process globally inside.
 */
public final class ModelResolver {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");

    private final Path baseDirectory;
    private final Map<String, String> environment;

    /**
     * @param baseDirectory what relative local paths are resolved against (the project or working directory)
     * @param environment the environment variables to read {@code HF_HUB_CACHE}, {@code HF_HOME} and {@code HOME}
     *     from
     */
    public ModelResolver(Path baseDirectory, Map<String, String> environment) {
        this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
        this.environment = Map.copyOf(environment);
    }

    /** A resolver for the current process: working directory and environment. */
    public static ModelResolver forProcess() {
        return new ModelResolver(Path.of("").toAbsolutePath(), System.getenv());
    }

    /** Resolves a reference, refusing LoRA adapters. */
    public ResolvedModel resolve(ModelReference reference) {
        if (reference.lora() != null) {
            throw new InputException("model '" + reference + "': LoRA inputs are not supported yet",
                    "merge the adapter into its base model first (e.g. peft's merge_and_unload) and reference"
                            + " the merged model");
        }
        Path local = baseDirectory.resolve(expandHome(reference.path())).normalize();
        if (Files.isDirectory(local) && reference.revision() == null) {
            return new ResolvedModel(reference, local, false);
        }
        Path hub = hubCache();
        if (HUB_ID.matcher(reference.path()).matches()) {
            Path snapshot = snapshot(hub, reference);
            if (snapshot != null) {
                return new ResolvedModel(reference, snapshot, true);
            }
        }
        String rev = reference.revision() == null ? "main" : reference.revision();
        String where = HUB_ID.matcher(reference.path()).matches()
                ? "not a local directory (" + local + ") and not in the Hugging Face cache ("
                        + hub.resolve(repoFolder(reference.path())).resolve("refs").resolve(rev) + ")"
                : "not a local directory (" + local + ")";
        throw new InputException("model '" + reference + "' not found: " + where,
                HUB_ID.matcher(reference.path()).matches()
                        ? "download it first (huggingface-cli download " + reference.path()
                                + (reference.revision() == null ? "" : " --revision " + reference.revision())
                                + ") or give a local path"
                        : "check the path");
    }

    /** The hub cache directory this resolver looks in. */
    public Path hubCache() {
        String cache = environment.get("HF_HUB_CACHE");
        if (cache != null && !cache.isBlank()) {
            return Path.of(expandHome(cache));
        }
        String home = environment.get("HF_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(expandHome(home)).resolve("hub");
        }
        return userHome().resolve(".cache").resolve("huggingface").resolve("hub");
    }

    private Path snapshot(Path hub, ModelReference ref) {
        Path repo = hub.resolve(repoFolder(ref.path()));
        String rev = ref.revision() == null ? "main" : ref.revision();
        String sha = null;
        Path refFile = repo.resolve("refs").resolve(rev);
        if (Files.isRegularFile(refFile)) {
            try {
                sha = Files.readString(refFile).strip();
            } catch (IOException e) {
                throw new InputException(refFile, "cannot read the cache reference: " + e.getMessage(), null, e);
            }
        } else if (SHA.matcher(rev).matches()) {
            sha = rev;
        }
        if (sha == null || !SHA.matcher(sha).matches()) {
            return null;
        }
        Path snapshot = repo.resolve("snapshots").resolve(sha);
        return Files.isDirectory(snapshot) ? snapshot : null;
    }

    /** The cache folder of a repository id: {@code models--ORG--NAME}. */
    static String repoFolder(String id) {
        return "models--" + id.replace("/", "--");
    }

    private String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return userHome() + path.substring(1);
        }
        return path;
    }

    private Path userHome() {
        String home = environment.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }
}

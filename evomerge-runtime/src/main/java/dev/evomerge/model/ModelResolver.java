package dev.evomerge.model;

import dev.evomerge.diag.InputException;
import dev.evomerge.diag.RunException;
import dev.evomerge.event.EventListener;
import dev.evomerge.model.hub.HubDownloader;
import dev.evomerge.model.hub.HubSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the directory a {@link ModelReference} names, as mergekit does:
 * <ol>
 *   <li>an existing local directory (relative paths against the base directory, {@code ~} against {@code HOME});
 *       a revision is then ignored, with a warning, as mergekit ignores it;
 *   <li>else a Hugging Face id looked up in the local hub cache ({@code HF_HUB_CACHE}, else {@code HF_HOME/hub},
 *       else {@code ~/.cache/huggingface/hub}): {@code models--ORG--NAME/refs/REV} (default {@code main}) holds
 *       the commit whose {@code snapshots/SHA/} folder is the model; a revision that is itself a commit selects
 *       its snapshot directly;
 *   <li>else, for a resolver made {@link #downloading()}, the Hub id is downloaded into that cache
 *       ({@link HubDownloader}; {@code HF_ENDPOINT}, {@code HF_TOKEN} and {@code HF_HUB_OFFLINE} as
 *       {@code huggingface_hub} reads them);
 *   <li>else an {@link InputException} that says where it looked and how to get the model.
 * </ol>
 * A reference with a LoRA part is refused.
 *
 * {@snippet :
 * ModelResolver resolver = new ModelResolver(projectDir, System.getenv(), listener);
 * ResolvedModel m = resolver.resolve(ModelReference.parse("Qwen/Qwen2.5-0.5B@main"));
 * }
 *
 * <p>Immutable and thread-safe. The environment is passed in, never read from the process inside.
 */
public final class ModelResolver {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");

    private final Path baseDirectory;
    private final Map<String, String> environment;
    private final EventListener listener;
    private final boolean download;

    /**
     * @param baseDirectory what relative local paths are resolved against (the project or working directory)
     * @param environment the environment variables to read {@code HF_HUB_CACHE}, {@code HF_HOME} and {@code HOME}
     *     from
     * @param listener where warnings go
     */
    public ModelResolver(Path baseDirectory, Map<String, String> environment, EventListener listener) {
        this(baseDirectory, environment, listener, false);
    }

    private ModelResolver(Path baseDirectory, Map<String, String> environment, EventListener listener,
            boolean download) {
        this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
        this.environment = Map.copyOf(environment);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.download = download;
    }

    /**
     * This resolver, downloading Hub ids the cache lacks (what the {@code merge}, {@code evaluate} and {@code evolve}
     * entry points use); a resolver made by the constructors only reads the cache.
     */
    public ModelResolver downloading() {
        return new ModelResolver(baseDirectory, environment, listener, true);
    }

    /** The Hub settings this resolver's environment gives (endpoint, token, offline, cache). */
    public HubSettings hubSettings() {
        String home = environment.get("HF_HOME");
        Path hfHome = home != null && !home.isBlank() ? baseDirectory.resolve(expandHome(home))
                : userHome().resolve(".cache").resolve("huggingface");
        return HubSettings.of(environment, hubCache(), hfHome);
    }

    /** A resolver that drops its warnings. */
    public ModelResolver(Path baseDirectory, Map<String, String> environment) {
        this(baseDirectory, environment, EventListener.NONE);
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
        if (Files.isDirectory(local)) {
            if (reference.revision() != null) {
                listener.warn("model '" + reference + "': " + local + " is a local directory, so the revision '"
                        + reference.revision() + "' is ignored");
            }
            return new ResolvedModel(reference, local, false);
        }
        if (Files.exists(local)) {
            throw new InputException(local, "model '" + reference + "' is a file, not a model directory",
                    "give the directory that holds config.json and the weights");
        }
        boolean hubId = HUB_ID.matcher(reference.path()).matches();
        if (hubId) {
            Optional<Path> snapshot = snapshot(reference);
            if (snapshot.isPresent()) {
                return new ResolvedModel(reference, snapshot.get(), true);
            }
        }
        if (!hubId) {
            throw new InputException("model '" + reference + "' not found: not a local directory (" + local + ")",
                    "check the path");
        }
        String rev = reference.revision() == null ? "main" : reference.revision();
        if (download) {
            try {
                return new ResolvedModel(reference, new HubDownloader(hubSettings(), listener)
                        .download(reference.path(), rev), true);
            } catch (InputException | RunException e) {
                // a reference the Hub does not know, or cannot be asked about, may be a mistyped local path
                if (!e.getMessage().startsWith("model '" + reference.path() + "' not found on ")
                        && !e.getMessage().startsWith("model '" + reference.path() + "@" + rev + "' is not in the")
                        && !e.getMessage().startsWith("cannot reach ")) {
                    throw e;
                }
                String message = "model '" + reference + "' not found: not a local directory (" + local
                        + "), and as a Hub id: " + e.getMessage();
                String hint = e.suggestion().map(h -> "check the path, or " + h).orElse("check the path");
                throw e instanceof RunException ? new RunException(message, hint, e)
                        : new InputException(null, message, hint, e);
            }
        }
        throw new InputException("model '" + reference + "' not found: not a local directory (" + local
                + ") and not in the Hugging Face cache (" + repoDirectory(reference.path()).resolve("refs")
                .resolve(rev) + ")",
                "download it first (huggingface-cli download " + reference.path()
                        + (reference.revision() == null ? "" : " --revision " + reference.revision())
                        + ") or give a local path");
    }

    /** The hub cache directory this resolver looks in. */
    public Path hubCache() {
        String cache = environment.get("HF_HUB_CACHE");
        if (cache != null && !cache.isBlank()) {
            return baseDirectory.resolve(expandHome(cache));
        }
        String home = environment.get("HF_HOME");
        if (home != null && !home.isBlank()) {
            return baseDirectory.resolve(expandHome(home)).resolve("hub");
        }
        return userHome().resolve(".cache").resolve("huggingface").resolve("hub");
    }

    /** The cache folder of a repository id: {@code HUB/models--ORG--NAME}. */
    public Path repoDirectory(String hubId) {
        return hubCache().resolve("models--" + hubId.replace("/", "--"));
    }

    private Optional<Path> snapshot(ModelReference ref) {
        Path repo = repoDirectory(ref.path());
        String rev = ref.revision() == null ? "main" : ref.revision();
        Path refs = repo.resolve("refs");
        Path refFile = refs.resolve(rev).normalize();
        String sha = null;
        // A revision is a branch or tag name, possibly with slashes, never a way out of refs/.
        if (refFile.startsWith(refs) && Files.isRegularFile(refFile)) {
            try {
                sha = Files.readString(refFile).strip();
            } catch (IOException e) {
                throw new InputException(refFile, "cannot read the cache reference: " + e.getMessage(), null, e);
            }
            if (!SHA.matcher(sha).matches()) {
                throw new InputException(refFile, "does not hold a commit hash",
                        "repair the Hugging Face cache, e.g. download the model again");
            }
        } else if (SHA.matcher(rev).matches()) {
            sha = rev;
        }
        if (sha == null) {
            return Optional.empty();
        }
        Path snapshot = repo.resolve("snapshots").resolve(sha);
        return Files.isDirectory(snapshot) ? Optional.of(snapshot) : Optional.empty();
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

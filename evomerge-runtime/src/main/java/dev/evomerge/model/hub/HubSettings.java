package dev.evomerge.model.hub;

import dev.evomerge.diag.Requires;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where and how to reach the Hub, read from the environment variables {@code huggingface_hub} reads:
 * {@code HF_ENDPOINT} (a mirror; default {@code https://huggingface.co}), {@code HF_TOKEN} (else the token file
 * {@code HF_TOKEN_PATH}, else {@code HF_HOME/token}), and {@code HF_HUB_OFFLINE} (or {@code TRANSFORMERS_OFFLINE})
 * set to 1, ON, YES or TRUE. Immutable.
 *
 * @param endpoint the Hub's base address, without a trailing slash
 * @param token the access token for gated and private repositories, when one is set
 * @param offline whether nothing may be downloaded
 * @param cache the hub cache directory ({@code models--ORG--NAME} folders)
 */
public record HubSettings(URI endpoint, Optional<String> token, boolean offline, Path cache) {

    /** The public Hub. */
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");

    public HubSettings {
        Requires.nonNull("endpoint, token, cache", endpoint, token, cache);
    }

    /**
     * The settings an environment gives.
     *
     * @param cache the hub cache the resolver uses
     * @param hfHome {@code HF_HOME} as the resolver reads it (for the token file)
     */
    public static HubSettings of(Map<String, String> environment, Path cache, Path hfHome) {
        String endpoint = environment.getOrDefault("HF_ENDPOINT", "");
        if (endpoint.isBlank()) {
            endpoint = DEFAULT_ENDPOINT;
        }
        while (endpoint.endsWith("/")) {
            endpoint = endpoint.substring(0, endpoint.length() - 1);
        }
        boolean offline = isTrue(environment.get("HF_HUB_OFFLINE")) || isTrue(environment.get("TRANSFORMERS_OFFLINE"));
        return new HubSettings(URI.create(endpoint), token(environment, hfHome), offline, cache);
    }

    /** huggingface_hub's reading of a boolean environment variable. */
    public static boolean isTrue(String value) {
        return value != null && TRUE.contains(value.strip().toUpperCase(Locale.ROOT));
    }

    private static Optional<String> token(Map<String, String> environment, Path hfHome) {
        String token = environment.get("HF_TOKEN");
        if (token != null && !token.isBlank()) {
            return Optional.of(token.strip());
        }
        String path = environment.get("HF_TOKEN_PATH");
        Path file = path != null && !path.isBlank() ? Path.of(path) : hfHome.resolve("token");
        try {
            if (Files.isRegularFile(file)) {
                String stored = Files.readString(file).strip();
                return stored.isEmpty() ? Optional.empty() : Optional.of(stored);
            }
        } catch (IOException e) {
            // an unreadable token file is as if there were none: the Hub's answer then says a token is needed
        }
        return Optional.empty();
    }

    /** These settings with downloads forbidden. */
    public HubSettings withOffline() {
        return new HubSettings(endpoint, token, true, cache);
    }
}

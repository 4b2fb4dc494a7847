package dev.evomerge.config;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.SourceLocation;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Enum constants as YAML files name them: the constant's name in lower case ({@code MULTIPLE_CHOICE} is
 * {@code multiple_choice}), for the small vocabularies of task and config files.
 *
 * <p>Stateless and thread-safe.
 */
public final class YamlEnums {

    private YamlEnums() {
    }

    /** The constant of {@code type} whose YAML name is {@code name}, exactly. */
    public static <E extends Enum<E>> Optional<E> named(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (yamlName(e).equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * The constant of {@code type} whose YAML name is {@code text}, exactly.
     *
     * @param what the setting, for the message ({@code initial point}, {@code dfs.scaling})
     * @throws ConfigException at {@code location}, {@code unknown WHAT 'TEXT'}, listing the names there are
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String text, String what, SourceLocation location) {
        return named(type, text).orElseThrow(() -> new ConfigException(location, "unknown " + what + " '" + text
                + "'", "use one of " + String.join(", ",
                        Arrays.stream(type.getEnumConstants()).map(YamlEnums::yamlName).toList())));
    }

    /** The YAML name of a constant. */
    public static String yamlName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}

package dev.evomerge.config;

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

    /** The YAML name of a constant. */
    public static String yamlName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}

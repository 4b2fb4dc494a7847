package dev.evomerge.diag;

import java.util.List;

/**
 * The argument checks records make in their compact constructors (and methods on their arguments): one call for all
 * of the values that must be set, and a non-empty list copied in one step:
 * {@snippet :
 * public record TensorInfo(String name, DType dtype, Shape shape) {
 *     public TensorInfo {
 *         Requires.nonNull("name, dtype, shape", name, dtype, shape);
 *     }
 * }
 * }
 * A null here is a bug in evomerge, never a user mistake, so the failure is a plain {@link NullPointerException}
 * naming the component, as {@link java.util.Objects#requireNonNull(Object, String)} would. Stateless.
 */
public final class Requires {

    private Requires() {
    }

    /**
     * Checks that none of {@code values} is null.
     *
     * @param names the values' names, separated by ", ", in the order of {@code values}
     * @param values the values
     * @throws NullPointerException with the name of the first null value as its message
     */
    public static void nonNull(String names, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new NullPointerException(name(names, i));
            }
        }
    }

    /**
     * An unmodifiable copy of {@code list}, which must hold at least one element (and, as for {@link List#copyOf},
     * no null).
     *
     * @param message the failure's message, saying what needs an element
     * @throws IllegalArgumentException with {@code message} when {@code list} is empty
     */
    public static <T> List<T> nonEmptyCopy(List<? extends T> list, String message) {
        List<T> copy = List.copyOf(list);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException(message);
        }
        return copy;
    }

    private static String name(String names, int index) {
        String[] all = names.split(", ");
        return index < all.length ? all[index] : "value " + (index + 1) + " of " + names;
    }
}

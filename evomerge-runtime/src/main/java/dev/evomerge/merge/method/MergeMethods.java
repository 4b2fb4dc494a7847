package dev.evomerge.merge.method;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.RunException;
import dev.evomerge.diag.SourceLocation;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The registry of merge methods: an explicit list, in the order of mergekit's registry (its static list, then the
 * methods it defines with {@code @merge_method}). Lookup is by the exact name used in {@code merge_method:}.
 *
 * {@snippet :
 * MergeMethod method = MergeMethods.get("ties", location);   // ConfigException listing the names if unknown
 * }
 *
 * <p>Immutable and thread-safe: the methods are stateless.
 */
public final class MergeMethods {

    private static final List<MergeMethod> ALL = List.of(
            new LinearMerge(),
            new SlerpMerge(),
            new NuSlerpMerge(),
            new PassthroughMerge(),
            new ModelStockMerge(),
            new ArceeFusionMerge(),
            new KarcherMerge(),
            new TaskArithmeticMerge(),
            new TiesMerge(),
            new DareTiesMerge(),
            new DareLinearMerge(),
            new BreadcrumbsMerge(),
            new BreadcrumbsTiesMerge(),
            new DellaMerge(),
            new DellaLinearMerge(),
            new MultiSlerpMerge(),
            new NearSwapMerge(),
            new SceMerge(),
            new RamMerge(),
            new RamPlusTlMerge());

    private MergeMethods() {
    }

    /** Every method, in registry order. */
    public static List<MergeMethod> all() {
        return ALL;
    }

    /** The names, in registry order. */
    public static List<String> names() {
        return ALL.stream().map(MergeMethod::name).toList();
    }

    /** The method with this exact name. */
    public static Optional<MergeMethod> find(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * The method with this exact name.
     *
     * @param location where the name was written, for the error; may be null when it comes from elsewhere
     * @throws ConfigException (with a location) or RunException (without) naming the known methods, when there is
     *     no such method
     */
    public static MergeMethod get(String name, SourceLocation location) {
        Optional<MergeMethod> found = find(name);
        if (found.isPresent()) {
            return found.get();
        }
        String message = "unknown merge method '" + name + "'";
        String suggestion = suggestion(name);
        throw location == null ? new RunException(message, suggestion)
                : new ConfigException(location, message, suggestion);
    }

    /** {@link #get(String, SourceLocation)} without a location. */
    public static MergeMethod get(String name) {
        return get(name, null);
    }

    private static String suggestion(String name) {
        String known = ALL.stream().map(MergeMethod::name).collect(Collectors.joining(", "));
        String closest = ALL.stream().map(MergeMethod::name)
                .min(Comparator.comparingInt(candidate -> editDistance(name.toLowerCase(), candidate)))
                .orElseThrow();
        String didYouMean = editDistance(name.toLowerCase(), closest) <= Math.max(2, closest.length() / 3)
                ? "did you mean '" + closest + "'? " : "";
        return didYouMean + "known methods: " + known;
    }

    /** Levenshtein distance, for the "did you mean" hint. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

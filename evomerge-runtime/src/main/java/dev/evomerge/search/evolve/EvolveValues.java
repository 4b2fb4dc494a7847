package dev.evomerge.search.evolve;

import dev.evomerge.config.YamlMapping;
import dev.evomerge.config.YamlNode;
import dev.evomerge.config.YamlScalar;
import dev.evomerge.config.YamlSequence;
import dev.evomerge.diag.SourceLocation;
import dev.evomerge.event.EventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value checks {@link EvolveConfigReader} applies to {@code evolve.yml} nodes: sections that must be mappings,
 * non-empty lists, numbers in range, durations. Each mistake is a config error at the node, naming the key and what
 * to give instead. Stateless.
 */
final class EvolveValues {

    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private EvolveValues() {
    }

    /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 1h30m}, or a number of seconds. */
    /** A byte count as {@code --memory-budget} takes it: {@code 16G}, {@code 512M}, or a plain number of bytes. */
    static long byteSize(YamlScalar s, String hint) {
        try {
            return dev.evomerge.config.ByteSizes.parse(s.text());
        } catch (IllegalArgumentException e) {
            throw s.error("'" + s.text() + "' is not a size", hint);
        }
    }

    static Duration duration(YamlScalar s) {
        if (s.type() == YamlScalar.Type.INT || s.type() == YamlScalar.Type.FLOAT) {
            double seconds = s.asDouble();
            if (seconds > 0 && Double.isFinite(seconds)) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } else {
            String text = s.asString().trim().toLowerCase(Locale.ROOT);
            Matcher matcher = DURATION.matcher(text);
            if (!text.isEmpty() && matcher.matches()) {
                long seconds = 0;
                long[] unit = {3600, 60, 1};
                for (int g = 1; g <= 3; g++) {
                    if (matcher.group(g) != null) {
                        seconds += Long.parseLong(matcher.group(g)) * unit[g - 1];
                    }
                }
                if (seconds > 0) {
                    return Duration.ofSeconds(seconds);
                }
                throw s.error("'" + s.text() + "' is no time at all", "give a duration above 0, like 90s, 30m, 2h"
                        + " or 1h30m");
            }
        }
        throw s.error("'" + s.text() + "' is not a duration", "write it like 90s, 30m, 2h or 1h30m");
    }

    static double finite(YamlScalar s, String key, String suggestion) {
        double v = s.asDouble();
        if (!Double.isFinite(v)) {
            throw s.error("'" + key + "' must be a finite number but is " + s.text(), suggestion);
        }
        return v;
    }

    static int atLeast(YamlScalar s, String key, int min, int max, String suggestion) {
        long v = s.asLong();
        if (v < min) {
            throw s.error("'" + key + "' must be at least " + min + " but is " + s.text(), suggestion);
        }
        if (v > max) {
            throw s.error("'" + key + "' must be at most " + max + " but is " + s.text(), suggestion);
        }
        return (int) v;
    }

    static YamlMapping section(YamlNode node, String key) {
        if (node instanceof YamlMapping m) {
            return m;
        }
        throw node.error("'" + key + "' must be a mapping (key: value) but is " + node.kindName(),
                "write its keys on the lines below it, indented, as in docs/evolve-config.md");
    }

    /**
     * A section that may be left out ({@code search}, {@code evaluation}, {@code slurm}): absent or {@code null}, every
     * key takes its default. Its unknown keys are warned about when it is read.
     *
     * @param mapping the section as written, if it is
     * @param location where it is written, or where the defaults apply when it is not
     */
    record OptionalSection(Optional<YamlMapping> mapping, SourceLocation location) {

        static OptionalSection read(Optional<YamlNode> node, String key, List<String> known,
                SourceLocation fallback, EventListener events) {
            Optional<YamlMapping> m = node.filter(n -> !(n instanceof YamlScalar s && s.isNull()))
                    .map(n -> section(n, key));
            m.ifPresent(section -> section.warnUnknownKeys(known, events));
            return new OptionalSection(m, m.map(YamlMapping::location).orElse(fallback));
        }

        /** The value under {@code key} unless it is absent or null. */
        Optional<YamlNode> get(String key) {
            return mapping.flatMap(m -> m.getNonNull(key));
        }

        /** Where each written key is. */
        Map<String, SourceLocation> keyLocations() {
            return mapping.map(YamlMapping::keyLocations).orElse(Map.of());
        }
    }

    static List<YamlNode> nonEmptyList(YamlNode node, String key) {
        if (!(node instanceof YamlSequence q)) {
            throw node.error("'" + key + "' must be a list but is " + node.kindName(),
                    "write each entry on its own line starting with '- '");
        }
        if (q.size() == 0) {
            throw node.error("'" + key + "' is empty", "list at least one entry");
        }
        return q.items();
    }

    static List<String> strings(YamlNode node, String key, String what) {
        List<String> values = new ArrayList<>();
        for (YamlNode item : nonEmptyList(node, key)) {
            values.add(item.asScalar().asText(what));
        }
        return values;
    }
}

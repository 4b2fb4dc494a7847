package dev.evomerge.config;

import dev.evomerge.diag.SourceLocation;
import dev.evomerge.event.EventListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SequencedMap;

/**
 * Reads {@code parameters:} blocks into {@link Parameters}, accepting what mergekit's pydantic model accepts (a
 * number, a list of numbers, or a list of {@code {filter, value}} entries whose values are numbers or lists of
 * numbers; {@code true}/{@code false} as 1/0 and numeric text as numbers) and refusing, at its position, what would
 * fail later in mergekit: a bare {@code {filter, value}} mapping outside a list, text that is not a number, empty
 * lists. Stateless.
 */
final class ParameterReader {

    private static final String FORMS = "give a number, a list of numbers (a gradient), or a list of"
            + " {filter, value} entries";

    private ParameterReader() {
    }

    /** Reads a {@code parameters:} value; absent or null gives {@link Parameters#NONE}. */
    static Parameters read(YamlNode node, EventListener events) {
        if (node == null || node instanceof YamlScalar s && s.isNull()) {
            return Parameters.NONE;
        }
        if (!(node instanceof YamlMapping m)) {
            throw node.error("'parameters' must be a mapping of parameter names to values but is "
                    + node.kindName());
        }
        SequencedMap<String, ParameterSetting> settings = new LinkedHashMap<>();
        Map<String, SourceLocation> locations = new HashMap<>();
        for (var e : m.entries().entrySet()) {
            settings.put(e.getKey(), setting(e.getKey(), e.getValue(), events));
            locations.put(e.getKey(), m.keyLocation(e.getKey()));
        }
        return new Parameters(settings, locations);
    }

    private static ParameterSetting setting(String name, YamlNode node, EventListener events) {
        return switch (node) {
            case YamlScalar s -> {
                if (s.isNull()) {
                    throw s.error("parameter '" + name + "' has no value", FORMS);
                }
                yield new ParameterSetting.Scalar(number(name, s));
            }
            case YamlMapping m -> {
                if (m.has("value") || m.has("filter")) {
                    throw m.error("parameter '" + name + "': a {filter, value} entry must be written inside a list",
                            "put '- ' before it to make it a list item (mergekit reads the bare form but fails"
                                    + " when it uses it)");
                }
                throw m.error("parameter '" + name + "': expected a number, a list of numbers or a list of"
                        + " {filter, value} entries but found a mapping", FORMS);
            }
            case YamlSequence q -> list(name, q, events);
        };
    }

    private static ParameterSetting list(String name, YamlSequence list, EventListener events) {
        if (list.size() == 0) {
            throw list.error("parameter '" + name + "' is an empty list", FORMS);
        }
        boolean allScalars = list.items().stream().allMatch(YamlScalar.class::isInstance);
        boolean allMappings = list.items().stream().allMatch(YamlMapping.class::isInstance);
        if (allScalars) {
            return gradient(name, list);
        }
        for (YamlNode item : list.items()) {
            if (item instanceof YamlSequence) {
                throw item.error("parameter '" + name + "': a list item must be a number or a {filter, value}"
                        + " entry but is a list", FORMS);
            }
        }
        if (!allMappings) {
            throw list.error("parameter '" + name + "' mixes numbers and {filter, value} entries in one list",
                    "a list is either a gradient of numbers or a list of {filter, value} entries");
        }
        List<ParameterSetting.Conditional.Entry> entries = new ArrayList<>();
        for (YamlNode item : list.items()) {
            entries.add(entry(name, (YamlMapping) item, events));
        }
        return new ParameterSetting.Conditional(entries);
    }

    private static ParameterSetting.Conditional.Entry entry(String name, YamlMapping m, EventListener events) {
        m.warnUnknownKeys(List.of("filter", "value"), events);
        String filter = m.getNonNull("filter").map(f -> filterText(name, f)).orElse(null);
        YamlNode valueNode = m.getNonNull("value").orElseThrow(() -> m.error(
                "parameter '" + name + "': a {filter, value} entry needs a 'value'", "add value: followed by a"
                        + " number or a list of numbers"));
        ParameterSetting value = switch (valueNode) {
            case YamlScalar s -> new ParameterSetting.Scalar(number(name, s));
            case YamlSequence q when q.size() > 0 && q.items().stream().allMatch(YamlScalar.class::isInstance) ->
                    gradient(name, q);
            default -> throw valueNode.error("parameter '" + name + "': the value of a {filter, value} entry must"
                    + " be a number or a list of numbers but is " + describe(valueNode));
        };
        return new ParameterSetting.Conditional.Entry(filter, value);
    }

    private static ParameterSetting.Gradient gradient(String name, YamlSequence list) {
        List<Double> values = new ArrayList<>();
        for (YamlNode item : list.items()) {
            values.add(number(name, (YamlScalar) item));
        }
        return new ParameterSetting.Gradient(values);
    }

    private static String filterText(String name, YamlNode node) {
        if (node instanceof YamlScalar s && s.type() == YamlScalar.Type.STRING) {
            return s.text();
        }
        throw node.error("parameter '" + name + "': a filter must be text but is " + node.kindName(),
                "put it in quotes (a filter is matched as a substring of tensor names)");
    }

    private static double number(String name, YamlScalar s) {
        if (s.isNull()) {
            throw s.error("parameter '" + name + "': expected a number but found null", FORMS);
        }
        if (s.type() == YamlScalar.Type.STRING) {
            OptionalDouble v = PythonNumbers.parseFloatText(s.text());
            if (v.isEmpty()) {
                throw s.error("parameter '" + name + "': expected a number but found the text '" + s.text() + "'",
                        "merge parameters are numbers (true and false mean 1 and 0)");
            }
            return v.getAsDouble();
        }
        return s.asDouble();
    }

    private static String describe(YamlNode node) {
        return node instanceof YamlSequence q && q.size() == 0 ? "an empty list"
                : node instanceof YamlSequence ? "a list of entries" : node.kindName();
    }
}

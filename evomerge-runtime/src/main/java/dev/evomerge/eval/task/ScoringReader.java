package dev.evomerge.eval.task;

import dev.evomerge.config.YamlMapping;
import dev.evomerge.config.YamlNode;
import dev.evomerge.config.YamlSequence;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.eval.metric.Aggregation;
import dev.evomerge.eval.metric.ExactMatch;
import dev.evomerge.eval.metric.FilterPipeline;
import dev.evomerge.eval.metric.MetricKind;
import dev.evomerge.eval.metric.MetricSpec;
import dev.evomerge.eval.metric.PythonRegex;
import dev.evomerge.eval.metric.ResponseFilter;
import dev.evomerge.event.EventListener;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the scoring part of a task file: {@code generation_kwargs}, {@code filter_list} and {@code metric_list},
 * with lm-evaluation-harness's defaults and every mistake at its position.
 *
 * <p>Stateless and thread-safe.
 */
final class ScoringReader {

    /** max_gen_toks and the aliases lm-evaluation-harness accepts, in its order of priority. */
    private static final List<String> MAX_TOKENS = List.of("max_gen_toks", "max_new_tokens", "max_tokens",
            "max_completion_tokens");
    private static final Set<String> EXACT_MATCH_OPTIONS = Set.of("ignore_case", "ignore_punctuation",
            "ignore_numbers", "regexes_to_ignore");
    private static final Map<OutputType, List<MetricKind>> ALLOWED = Map.of(
            OutputType.GENERATE_UNTIL, List.of(MetricKind.EXACT_MATCH),
            OutputType.MULTIPLE_CHOICE, List.of(MetricKind.ACC, MetricKind.ACC_NORM, MetricKind.ACC_BYTES,
                    MetricKind.EXACT_MATCH),
            OutputType.LOGLIKELIHOOD, List.of(MetricKind.PERPLEXITY, MetricKind.ACC));
    private static final Map<OutputType, List<MetricKind>> DEFAULTS = Map.of(
            OutputType.GENERATE_UNTIL, List.of(MetricKind.EXACT_MATCH),
            OutputType.MULTIPLE_CHOICE, List.of(MetricKind.ACC, MetricKind.ACC_NORM),
            OutputType.LOGLIKELIHOOD, List.of(MetricKind.PERPLEXITY, MetricKind.ACC));

    private ScoringReader() {
    }

    static GenerationSettings generation(YamlMapping m, OutputType type, String fewshotDelimiter,
            EventListener events) {
        YamlMapping g = m.getNonNull("generation_kwargs").map(YamlNode::asMapping).orElse(null);
        List<String> until = List.of(fewshotDelimiter);
        int maxTokens = GenerationSettings.DEFAULT_MAX_GEN_TOKS;
        if (g == null) {
            return new GenerationSettings(until, maxTokens);
        }
        if (type != OutputType.GENERATE_UNTIL) {
            events.warn("generation_kwargs is ignored: output_type is " + type.yamlName(),
                    m.keyLocation("generation_kwargs"));
        }
        if (g.getNonNull("until").isPresent()) {
            YamlNode u = g.require("until");
            until = u instanceof YamlSequence seq ? seq.items().stream().map(n -> stop(n)).toList()
                    : List.of(stop(u));
        }
        for (String key : MAX_TOKENS) {
            if (g.getNonNull(key).isPresent()) {
                maxTokens = g.require(key).asScalar().asInt(1, 1 << 20);
                break;
            }
        }
        Boolean doSample = g.getNonNull("do_sample").map(n -> n.asScalar().asBoolean()).orElse(null);
        double temperature = g.getNonNull("temperature").map(n -> n.asScalar().asDouble()).orElse(0.0);
        if (Boolean.TRUE.equals(doSample) || (doSample == null && temperature > 0)) {
            YamlNode at = g.getNonNull("do_sample").orElse(g.getNonNull("temperature").orElse(g));
            throw at.error("sampling (do_sample: true, or a temperature above 0) is not supported: evomerge decodes"
                    + " greedily", "set do_sample: false");
        }
        for (String key : g.keys()) {
            if (!key.equals("until") && !MAX_TOKENS.contains(key) && !key.equals("do_sample")
                    && !key.equals("temperature")) {
                events.warn("generation_kwargs." + key + " is ignored: evomerge decodes greedily",
                        g.keyLocation(key));
            }
        }
        return new GenerationSettings(until, maxTokens);
    }

    private static String stop(YamlNode n) {
        String s = TaskFileReader.text(n, "a stop string");
        if (s.isEmpty()) {
            throw n.error("a stop string must not be empty");
        }
        return s;
    }

    static List<FilterPipeline> filters(YamlMapping m, OutputType type) {
        YamlSequence list = m.getNonNull("filter_list").map(YamlNode::asSequence).orElse(null);
        if (list == null) {
            return List.of(FilterPipeline.NONE);
        }
        if (list.items().isEmpty()) {
            throw list.error("filter_list is empty", "remove it, or add at least one named filter pipeline");
        }
        List<FilterPipeline> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode item : list.items()) {
            YamlMapping f = item.asMapping();
            for (String key : f.keys()) {
                if (!key.equals("name") && !key.equals("filter")) {
                    throw new ConfigException(f.keyLocation(key), "unknown key '" + key + "' in a filter_list entry",
                            "an entry has a 'name' and a 'filter' list");
                }
            }
            YamlNode nameNode = f.require("name");
            String name = TaskFileReader.text(nameNode, "a pipeline name");
            if (!names.add(name)) {
                throw nameNode.error("a second filter pipeline named '" + name + "'", "give each its own name");
            }
            List<ResponseFilter> steps = new ArrayList<>();
            for (YamlNode stepNode : f.require("filter").asSequence().items()) {
                steps.add(filter(stepNode.asMapping(), type));
            }
            out.add(new FilterPipeline(name, steps));
        }
        return out;
    }

    private static ResponseFilter filter(YamlMapping step, OutputType type) {
        YamlNode fn = step.require("function");
        String function = TaskFileReader.text(fn, "a filter name");
        Set<String> allowed = function.equals("regex") ? Set.of("function", "regex_pattern", "group_select",
                "fallback") : Set.of("function");
        for (String key : step.keys()) {
            if (!allowed.contains(key)) {
                throw new ConfigException(step.keyLocation(key), "filter " + function + " has no option '" + key
                        + "'", function.equals("regex") ? "use regex_pattern, group_select and fallback" : null);
            }
        }
        if (type != OutputType.GENERATE_UNTIL && !function.equals("take_first")) {
            throw fn.error("filter " + function + " works on generated text, but output_type is "
                    + type.yamlName(), "use filters with generate_until tasks only");
        }
        return switch (function) {
            case "take_first" -> new ResponseFilter.TakeFirst();
            case "lowercase" -> new ResponseFilter.EachResponse(ResponseFilter.EachResponse.Change.LOWERCASE);
            case "uppercase" -> new ResponseFilter.EachResponse(ResponseFilter.EachResponse.Change.UPPERCASE);
            case "remove_whitespace" ->
                    new ResponseFilter.EachResponse(ResponseFilter.EachResponse.Change.REMOVE_WHITESPACE);
            case "regex" -> {
                YamlNode p = step.getNonNull("regex_pattern").orElse(null);
                String source = p == null ? ResponseFilter.Regex.DEFAULT_PATTERN : TaskFileReader.text(p,
                        "a regular expression");
                Pattern pattern = regex(p == null ? fn : p, source);
                int group = step.getNonNull("group_select").map(n -> n.asScalar().asInt(-1_000, 1_000)).orElse(0);
                String fallback = step.getNonNull("fallback").map(n -> n.asScalar().asString())
                        .orElse(ResponseFilter.Regex.DEFAULT_FALLBACK);
                yield new ResponseFilter.Regex(pattern, source, group, fallback);
            }
            default -> throw fn.error("unknown filter function '" + function + "'",
                    "use regex, take_first, lowercase, uppercase or remove_whitespace");
        };
    }

    static List<MetricSpec> metrics(YamlMapping m, OutputType type, EventListener events) {
        YamlSequence list = m.getNonNull("metric_list").map(YamlNode::asSequence).orElse(null);
        if (list == null) {
            return DEFAULTS.get(type).stream().map(MetricSpec::of).toList();
        }
        if (list.items().isEmpty()) {
            throw list.error("metric_list is empty", "remove it to get the default metrics, or list some");
        }
        List<MetricSpec> out = new ArrayList<>();
        Set<MetricKind> seen = new HashSet<>();
        for (YamlNode item : list.items()) {
            YamlMapping e = item.asMapping();
            YamlNode nameNode = e.require("metric");
            String name = TaskFileReader.text(nameNode, "a metric name");
            MetricKind kind = MetricKind.named(name).orElseThrow(() -> nameNode.error("metric '" + name
                    + "' is not supported", "use exact_match, acc, acc_norm, acc_bytes or perplexity"));
            if (!ALLOWED.get(type).contains(kind)) {
                throw nameNode.error("metric " + name + " does not apply to output_type " + type.yamlName(),
                        "use " + String.join(", ", ALLOWED.get(type).stream().map(MetricKind::yamlName).toList()));
            }
            if (!seen.add(kind)) {
                throw nameNode.error("metric " + name + " is listed twice");
            }
            Aggregation aggregation = e.getNonNull("aggregation").map(n -> {
                String a = TaskFileReader.text(n, "an aggregation name");
                return Aggregation.named(a).orElseThrow(() -> n.error("aggregation '" + a + "' is not supported",
                        "use mean, median or perplexity"));
            }).orElse(kind.defaultAggregation());
            boolean higher = e.getNonNull("higher_is_better").map(n -> n.asScalar().asBoolean())
                    .orElse(kind.defaultHigherIsBetter());
            ExactMatch options = ExactMatch.PLAIN;
            for (String key : e.keys()) {
                if (Set.of("metric", "aggregation", "higher_is_better").contains(key)) {
                    continue;
                }
                if (key.equals("hf_evaluate")) {
                    events.warn("hf_evaluate is ignored: evomerge computes " + name + " itself, as"
                            + " lm-evaluation-harness's own implementation does", e.keyLocation(key));
                } else if (kind != MetricKind.EXACT_MATCH || !EXACT_MATCH_OPTIONS.contains(key)) {
                    throw new ConfigException(e.keyLocation(key), "metric " + name + " has no option '" + key + "'",
                            kind == MetricKind.EXACT_MATCH ? "use ignore_case, ignore_punctuation, ignore_numbers"
                                    + " or regexes_to_ignore" : null);
                }
            }
            if (kind == MetricKind.EXACT_MATCH) {
                options = exactMatch(e);
            }
            out.add(new MetricSpec(kind, aggregation, higher, options));
        }
        return out;
    }

    private static ExactMatch exactMatch(YamlMapping e) {
        boolean ignoreCase = flag(e, "ignore_case");
        boolean ignorePunctuation = flag(e, "ignore_punctuation");
        boolean ignoreNumbers = flag(e, "ignore_numbers");
        List<Pattern> regexes = new ArrayList<>();
        e.getNonNull("regexes_to_ignore").ifPresent(n -> {
            if (!(n instanceof YamlSequence seq)) {
                throw n.error("regexes_to_ignore must be a list of regular expressions",
                        "write it as a list, even for one pattern: [\",\"]");
            }
            for (YamlNode r : seq.items()) {
                regexes.add(regex(r, r.asScalar().asString()));
            }
        });
        return new ExactMatch(ignoreCase, ignorePunctuation, ignoreNumbers, regexes);
    }

    private static boolean flag(YamlMapping e, String key) {
        return e.getNonNull(key).map(n -> n.asScalar().asBoolean()).orElse(false);
    }

    private static Pattern regex(YamlNode at, String source) {
        try {
            return PythonRegex.compile(source);
        } catch (PatternSyntaxException ex) {
            throw at.error("invalid regular expression: " + ex.getDescription() + " near index " + ex.getIndex(),
                    "fix the pattern (Python re syntax)");
        }
    }
}

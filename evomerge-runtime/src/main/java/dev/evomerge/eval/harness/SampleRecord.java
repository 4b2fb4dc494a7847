package dev.evomerge.eval.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.infer.LogLikelihood;
import dev.evomerge.diag.Requires;
import dev.evomerge.eval.template.PythonValues;
import java.math.BigInteger;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of the per-sample log: one document under one filter pipeline, with lm-evaluation-harness's field names
 * ({@code doc_id}, {@code doc}, {@code target}, {@code arguments}, {@code resps}, {@code filtered_resps},
 * {@code filter}, {@code metrics} and each metric's value) plus the task, the split and the prompt. For
 * multiple-choice and log-likelihood tasks each response is {@code [log-likelihood, is_greedy]}, one per choice.
 *
 * <p>Immutable and thread-safe (the document map is shared, never modified).
 *
 * @param task the task
 * @param split the split
 * @param docId the document's position in the split
 * @param doc the document's fields
 * @param prompt the context sent to the model
 * @param target the target as {@code doc_to_target} gave it, as text
 * @param arguments per request, its arguments (context and continuation, or context and generation settings)
 * @param responses per request, the model's answer (a {@link String} or a {@link LogLikelihood})
 * @param filtered per request, the filtered answer
 * @param filter the filter pipeline's name
 * @param metrics the document's metric values, by metric name
 */
public record SampleRecord(String task, String split, int docId, Map<String, Object> doc, String prompt,
        String target, List<List<Object>> arguments, List<Object> responses, List<Object> filtered, String filter,
        Map<String, Double> metrics) {

    public SampleRecord {
        Requires.nonNull("task, doc", task, doc);
        arguments = List.copyOf(arguments);
        responses = List.copyOf(responses);
        filtered = List.copyOf(filtered);
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The JSON line. */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("task", task);
        o.put("split", split);
        o.put("doc_id", docId);
        o.set("doc", json(doc));
        o.put("prompt", prompt);
        o.put("target", target);
        ObjectNode args = o.putObject("arguments");
        for (int i = 0; i < arguments.size(); i++) {
            ObjectNode a = args.putObject("gen_args_" + i);
            for (int j = 0; j < arguments.get(i).size(); j++) {
                a.set("arg_" + j, json(arguments.get(i).get(j)));
            }
        }
        ArrayNode resps = o.putArray("resps");
        responses.forEach(r -> resps.addArray().add(json(r)));
        ArrayNode filteredResps = o.putArray("filtered_resps");
        filtered.forEach(r -> filteredResps.add(json(r)));
        o.put("filter", filter);
        ArrayNode names = o.putArray("metrics");
        metrics.keySet().forEach(names::add);
        metrics.forEach(o::put);
        return o;
    }

    private static JsonNode json(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (v) {
            case null -> f.nullNode();
            case String s -> f.textNode(s);
            case Boolean b -> f.booleanNode(b);
            case Long l -> f.numberNode(l);
            case Integer i -> f.numberNode(i);
            case BigInteger b -> f.numberNode(b);
            case Double d -> f.numberNode(d);
            case LogLikelihood l -> f.arrayNode().add(l.logProb()).add(l.greedy());
            case Map<?, ?> m -> {
                ObjectNode o = f.objectNode();
                m.forEach((k, x) -> o.set(String.valueOf(k), json(x)));
                yield o;
            }
            case Collection<?> c -> {
                ArrayNode a = f.arrayNode();
                c.forEach(x -> a.add(json(x)));
                yield a;
            }
            default -> f.textNode(PythonValues.str(v));
        };
    }
}

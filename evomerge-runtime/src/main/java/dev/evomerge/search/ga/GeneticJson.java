package dev.evomerge.search.ga;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.search.Direction;
import dev.evomerge.search.StateJson;
import java.util.ArrayList;
import java.util.List;

/**
 * State JSON of the genetic searches' settings: the encoding ({@code "bounds"}, {@code "indicators"}), the
 * {@code "variation"}, the {@code "initial"} genomes and, for {@link GeneticSearch}, its own fields. Stateless and
 * thread-safe.
 */
public final class GeneticJson {

    private GeneticJson() {
    }

    /** Writes the encoding's fields into {@code node}. */
    public static void putEncoding(ObjectNode node, GenomeEncoding encoding) {
        node.set("bounds", StateJson.bounds(encoding.bounds()));
        ArrayNode ind = StateJson.array();
        for (int i : encoding.indicatorCoordinates()) {
            ind.add(i);
        }
        node.set("indicators", ind);
    }

    public static GenomeEncoding readEncoding(JsonNode node) {
        long[] ind = StateJson.longs(node, "indicators", -1);
        int[] indicators = new int[ind.length];
        for (int k = 0; k < ind.length; k++) {
            indicators[k] = Math.toIntExact(ind[k]);
        }
        try {
            return new GenomeEncoding(StateJson.bounds(node, "bounds"), indicators);
        } catch (IllegalArgumentException e) {
            throw StateJson.damaged("the genome encoding in the optimizer state is invalid: " + e.getMessage());
        }
    }

    public static ObjectNode variation(Variation v) {
        ObjectNode node = StateJson.object();
        node.set("crossoverProbability", StateJson.number(v.crossoverProbability()));
        node.set("crossoverIndex", StateJson.number(v.crossoverIndex()));
        node.set("mutationProbability", StateJson.number(v.mutationProbability()));
        node.set("mutationIndex", StateJson.number(v.mutationIndex()));
        node.set("indicatorMutationProbability", StateJson.number(v.indicatorMutationProbability()));
        return node;
    }

    public static Variation readVariation(JsonNode node) {
        try {
            return new Variation(StateJson.doubleValue(node, "crossoverProbability"),
                    StateJson.doubleValue(node, "crossoverIndex"), StateJson.doubleValue(node, "mutationProbability"),
                    StateJson.doubleValue(node, "mutationIndex"), StateJson.has(node, "indicatorMutationProbability")
                            ? StateJson.doubleValue(node, "indicatorMutationProbability")
                            : StateJson.doubleValue(node, "mutationProbability"));
        } catch (IllegalArgumentException e) {
            throw StateJson.damaged("the variation settings in the optimizer state are invalid: " + e.getMessage());
        }
    }

    public static ArrayNode genomes(List<double[]> genomes) {
        ArrayNode array = StateJson.array();
        for (double[] g : genomes) {
            array.add(StateJson.doubles(g));
        }
        return array;
    }

    public static List<double[]> readGenomes(JsonNode parent, String name, int dimension) {
        JsonNode node = StateJson.field(parent, name);
        if (!node.isArray()) {
            throw StateJson.damaged("field '" + name + "' of the optimizer state is not a list of genomes");
        }
        List<double[]> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(StateJson.toDoubles(node.get(i), name + "[" + i + "]", dimension));
        }
        return out;
    }

    static ObjectNode settings(GeneticSettings s) {
        ObjectNode node = StateJson.object();
        putEncoding(node, s.encoding());
        node.put("direction", s.direction().key());
        node.put("populationSize", s.populationSize());
        node.set("offspringFraction", StateJson.number(s.offspringFraction()));
        node.put("tournamentSize", s.tournamentSize());
        node.set("variation", variation(s.variation()));
        node.put("maxAge", s.maxAge());
        node.set("indicatorOnProbability", StateJson.number(s.indicatorOnProbability()));
        node.set("initial", genomes(s.initial()));
        return node;
    }

    static GeneticSettings readSettings(JsonNode node) {
        GenomeEncoding encoding = readEncoding(node);
        try {
            return new GeneticSettings(encoding, Direction.ofKey(StateJson.text(node, "direction")),
                    StateJson.integer(node, "populationSize"), StateJson.doubleValue(node, "offspringFraction"),
                    StateJson.integer(node, "tournamentSize"), readVariation(StateJson.field(node, "variation")),
                    StateJson.longValue(node, "maxAge"), StateJson.doubleValue(node, "indicatorOnProbability"),
                    readGenomes(node, "initial", encoding.dimension()));
        } catch (IllegalArgumentException e) {
            throw StateJson.damaged("the genetic search settings in the state are invalid: " + e.getMessage());
        }
    }
}

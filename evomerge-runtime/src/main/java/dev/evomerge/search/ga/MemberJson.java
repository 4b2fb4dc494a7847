package dev.evomerge.search.ga;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evomerge.search.StateJson;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import java.util.ArrayList;
import java.util.List;

/**
 * One member of a genetic search's population in state JSON: {@code {"genes": [[...], ...], "born": g,
 * "score": [...] | null}}, the genes per chromosome exactly as the genotype holds them (see
 * {@link GenomeEncoding}), the generation it was created in, and its score vector in the caller's terms (null while
 * not evaluated). Stateless and thread-safe.
 *
 * @param genotype the genotype
 * @param born the generation it was created in
 * @param score the score vector, or null when not evaluated
 */
public record MemberJson(Genotype<DoubleGene> genotype, long born, double[] score) {

    public MemberJson {
        score = score == null ? null : score.clone();
    }

    @Override
    public double[] score() {
        return score == null ? null : score.clone();
    }

    public ObjectNode toJson(GenomeEncoding encoding) {
        ObjectNode node = StateJson.object();
        node.set("genes", StateJson.matrix(encoding.chromosomes(genotype)));
        node.put("born", born);
        node.set("score", score == null ? null : StateJson.doubles(score));
        return node;
    }

    public static MemberJson fromJson(JsonNode node, GenomeEncoding encoding, int objectives) {
        double[][] genes = StateJson.matrix(node, "genes", encoding.chromosomeCount(), -1);
        Genotype<DoubleGene> genotype;
        try {
            genotype = encoding.fromChromosomes(genes);
        } catch (IllegalArgumentException e) {
            throw StateJson.damaged("a population member in the optimizer state does not fit the genome: "
                    + e.getMessage());
        }
        double[] score = StateJson.has(node, "score") ? StateJson.doubles(node, "score", objectives) : null;
        return new MemberJson(genotype, StateJson.longValue(node, "born"), score);
    }

    public static ArrayNode toJson(List<MemberJson> members, GenomeEncoding encoding) {
        ArrayNode array = StateJson.array();
        for (MemberJson m : members) {
            array.add(m.toJson(encoding));
        }
        return array;
    }

    public static List<MemberJson> fromJson(JsonNode parent, String name, GenomeEncoding encoding, int objectives) {
        JsonNode node = StateJson.field(parent, name);
        if (!node.isArray()) {
            throw StateJson.damaged("field '" + name + "' of the optimizer state is not a list of members");
        }
        List<MemberJson> out = new ArrayList<>(node.size());
        for (JsonNode m : node) {
            out.add(fromJson(m, encoding, objectives));
        }
        return out;
    }
}

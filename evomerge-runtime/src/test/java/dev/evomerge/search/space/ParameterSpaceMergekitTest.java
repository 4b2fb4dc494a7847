package dev.evomerge.search.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.config.MergeConfigWriter;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.config.TokenizerSetting;
import dev.evomerge.event.EventListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decodes the genotypes recorded in {@code space/ps-mergekit.json} and compares each config, by meaning, with the
 * one mergekit-evolve's own {@code ModelGenome.genotype_merge_config} made from the same genotype (read back with
 * {@link MergeConfigFile#parse}). Regenerate the file with {@code src/test/reference/space/ps_reference.py}.
 */
class ParameterSpaceMergekitTest {

    private static final JsonNode REFERENCE = load();
    private static final Pattern NUMBER = Pattern.compile("-?\\d+\\.\\d+(?:e[-+]?\\d+)?");

    private static JsonNode load() {
        try (InputStream in = ParameterSpaceMergekitTest.class.getResourceAsStream("/space/ps-mergekit.json")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /space/ps-mergekit.json");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : REFERENCE.get("cases")) {
            out.add(Arguments.of(c.get("name").asText(), c));
        }
        return out.stream();
    }

    /** A genome definition from mergekit-evolve's keys as the reference script wrote them. */
    static GenomeDefinition definition(JsonNode g) {
        List<ModelSpec> models = new ArrayList<>();
        g.get("models").forEach(m -> models.add(ModelSpec.of(m.asText())));
        GenomeDefinition.Builder b = GenomeDefinition.builder(models, g.get("merge_method").asText());
        if (g.has("base_model")) {
            b.baseModel(ModelSpec.of(g.get("base_model").asText()));
        }
        if (g.has("tokenizer_source")) {
            String source = g.get("tokenizer_source").asText();
            b.tokenizerSource(new TokenizerSetting(source.equals("base") ? new TokenizerSetting.Base()
                    : new TokenizerSetting.FromModel(ModelSpec.of(source)), true, MergeConfig.GENERATED));
        }
        if (g.has("layer_granularity")) {
            b.layerGranularity(g.get("layer_granularity").asInt());
        }
        if (g.has("normalize")) {
            b.normalize(g.get("normalize").asBoolean());
        }
        if (g.has("allow_negative_weights")) {
            b.allowNegativeWeights(g.get("allow_negative_weights").asBoolean());
        }
        if (g.has("filters")) {
            List<String> filters = new ArrayList<>();
            g.get("filters").forEach(f -> filters.add(f.asText()));
            b.filters(filters);
        }
        if (g.has("smooth")) {
            b.smooth(g.get("smooth").asBoolean());
        }
        return b.build();
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decode_mergekitGenotypes_sameConfigAsMergekitEvolve(String name, JsonNode c) {
        ParameterSpace space = ParameterSpace.of(definition(c.get("genome")), REFERENCE.get("layers").asInt());
        for (JsonNode entry : c.get("decoded")) {
            double[] genotype = doubles(entry.get("genotype"));
            MergeConfig expected = MergeConfigFile.parse(entry.get("config").asText(), Path.of("mergekit.yml"),
                    EventListener.NONE).config();
            MergeConfig actual = space.decode(genotype);
            if (space.method().isSlerp()) {
                // t = softmax(...)[1]: torch exponentiates with SLEEF, we with StrictMath; both within 1 ulp
                assertSameUpToUlps(expected, actual, 2, name + " genotype " + entry.get("genotype"));
            } else {
                assertEquals(expected, actual, () -> name + " genotype " + entry.get("genotype"));
            }
        }
    }

    /**
     * The configs are the same but for numbers that differ by at most {@code ulps} units in the last place: their
     * YAML is the same once every number is blanked out, and the numbers agree pairwise.
     */
    private static void assertSameUpToUlps(MergeConfig expected, MergeConfig actual, int ulps, String what) {
        // top-level parameters compare exactly; taking ours keeps mergekit's sorted key order out of the text
        assertEquals(expected.parameters(), actual.parameters(), what);
        String e = MergeConfigWriter.write(expected.withParameters(actual.parameters()));
        String a = MergeConfigWriter.write(actual);
        assertEquals(NUMBER.matcher(e).replaceAll("#"), NUMBER.matcher(a).replaceAll("#"), what);
        List<Double> en = NUMBER.matcher(e).results().map(r -> Double.parseDouble(r.group())).toList();
        List<Double> an = NUMBER.matcher(a).results().map(r -> Double.parseDouble(r.group())).toList();
        for (int i = 0; i < en.size(); i++) {
            double x = en.get(i);
            double y = an.get(i);
            assertTrue(Math.abs(x - y) <= ulps * Math.ulp(x), what + ": " + x + " and " + y + " differ by more than "
                    + ulps + " ulps");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void initialPoint_mergekit_mergekitEvolveStartWithin32BitRounding(String name, JsonNode c) {
        ParameterSpace space = ParameterSpace.of(definition(c.get("genome")), REFERENCE.get("layers").asInt());
        double[] theirs = doubles(c.get("initial"));
        double[] ours = space.initialPoint(InitialPoint.MERGEKIT, null);
        // mergekit-evolve builds its start in a float32 tensor, so 1/3 arrives as 0.3333333432674408
        assertArrayEquals(theirs, ours, 1e-7, name);
    }

    @Test
    void of_torchTopKCases_sameOrderAsTorch() {
        int checked = 0;
        for (JsonNode c : REFERENCE.get("topk")) {
            double[] values = doubles(c.get("values"));
            int[] expected = {c.get("indices").get(0).asInt(), c.get("indices").get(1).asInt()};
            assertArrayEquals(expected, TorchTopTwo.of(values), () -> "values " + c.get("values"));
            checked++;
        }
        assertTrue(checked > 200, "only " + checked + " cases");
    }
}

package dev.evomerge.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.MergeConfigFile;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.event.EventListener;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipeHashTest {

    private static final ParameterSpace SPACE = ParameterSpace.of(GenomeDefinition.builder(
            List.of(ModelSpec.of("models/a"), ModelSpec.of("models/b")), "dare_ties")
            .baseModel(ModelSpec.of("models/base")).build(), 4);
    private static final double[] GENOME = {0.25, 0.5, 0.75, 1.0};

    @Test
    void of_decodedRecipe_sha256OfCanonicalYaml() {
        MergeConfig config = SPACE.decode(GENOME);
        assertEquals("""
                merge_method: dare_ties
                base_model: models/base
                slices:
                  - sources:
                      - model: models/a
                        layer_range: [0, 4]
                        parameters:
                          density: 0.5
                          weight: 0.25
                      - model: models/b
                        layer_range: [0, 4]
                        parameters:
                          density: 1.0
                          weight: 0.75
                      - model: models/base
                        layer_range: [0, 4]
                parameters:
                  int8_mask: 1.0
                  normalize: 1.0
                dtype: bfloat16
                """, RecipeHash.canonicalYaml(config));
        // sha256sum of the text above
        assertEquals("5e31c208726160c722d80844fc4daa4edd25d7bb382d7002815217cbda9e2c2e", RecipeHash.of(config));
    }

    @Test
    void of_sameMeaningWrittenOtherwise_sameHash() {
        MergeConfig decoded = SPACE.decode(GENOME);
        MergeConfig read = MergeConfigFile.parse("""
                dtype: bfloat16
                merge_method: dare_ties
                parameters: {normalize: true, int8_mask: true}
                base_model: models/base
                slices:
                - sources:
                  - {layer_range: [0, 4], model: models/a, parameters: {weight: 0.25, density: 0.5}}
                  - {layer_range: [0, 4], model: models/b, parameters: {weight: 0.75, density: 1}}
                  - {layer_range: [0, 4], model: models/base}
                """, Path.of("best.yml"), EventListener.NONE).config();
        assertEquals(decoded, read);
        assertEquals(RecipeHash.of(decoded), RecipeHash.of(read));
    }

    @Test
    void of_otherGenome_otherHash() {
        assertNotEquals(RecipeHash.of(SPACE.decode(GENOME)), RecipeHash.of(SPACE.decode(new double[] {0.25, 0.5,
                0.75, 0.999})));
        assertEquals(RecipeHash.of(SPACE.decode(GENOME)), RecipeHash.of(SPACE.decode(GENOME.clone())));
    }
}

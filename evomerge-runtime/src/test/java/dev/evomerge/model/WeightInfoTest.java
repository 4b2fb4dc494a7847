package dev.evomerge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class WeightInfoTest {

    @Test
    void expand_layerAndCountPlaceholders_filledAsMergekitDoes() {
        WeightInfo w = new WeightInfo("a.${layer_index}.b.${layer_index+1}.${layer_index-1}", false, true,
                List.of("x.${num_layers}"), List.of("y.${num_layers-1}.${num_layers+1}"));
        WeightInfo e = w.expand(4, 10);
        assertEquals("a.4.b.5.3", e.name());
        assertEquals(List.of("x.10"), e.aliases());
        assertEquals(List.of("y.9.11"), e.tiedNames());
        assertEquals(List.of("a.4.b.5.3", "x.10", "y.9.11"), e.lookupNames());
    }

    @Test
    void expand_layerPlaceholderOutsideLayers_throws() {
        assertThrows(IllegalArgumentException.class, () -> WeightInfo.of("a.${layer_index}").expand(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> WeightInfo.of("a.${nope}").expand(0, 2));
        assertThrows(IllegalArgumentException.class, () -> WeightInfo.of("a.${layer_index").expand(0, 2));
    }

    @Test
    void expand_noPlaceholder_sameName() {
        assertEquals(WeightInfo.of("model.norm.weight"), WeightInfo.of("model.norm.weight").expand(-1, 3));
    }
}

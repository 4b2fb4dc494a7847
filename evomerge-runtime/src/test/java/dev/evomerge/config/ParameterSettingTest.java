package dev.evomerge.config;

import static dev.evomerge.config.ParameterSetting.Conditional.Entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ParameterSettingTest {

    @Test
    void evaluate_gradientOverFiveLayers_matchesMergekitBits() {
        // Values printed by mergekit's evaluate_setting for [0, 0.3, 0.7, 1] at t = i/4 (mergekit-semantics §1.3).
        ParameterSetting g = ParameterSetting.gradient(0, 0.3, 0.7, 1);
        double[] expected = {0.0, 0.22499999999999998, 0.5, 0.7749999999999999, 1.0};
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i], g.evaluate("x", OutputLayer.tOf(i, 5)).getAsDouble(), 0.0, "layer " + i);
        }
    }

    @Test
    void evaluate_gradientBetweenPoints_matchesMergekitBits() {
        ParameterSetting g = ParameterSetting.gradient(0.2, 0.4, 0.9);
        assertEquals(0.33333333333333337, g.evaluate("x", 1.0 / 3).getAsDouble(), 0.0);
        assertEquals(0.5666666666666667, g.evaluate("x", 2.0 / 3).getAsDouble(), 0.0);
        assertEquals(0.7571428571428571, g.evaluate("x", 6.0 / 7).getAsDouble(), 0.0);
        assertEquals(0.9, g.evaluate("x", 1).getAsDouble(), 0.0);
    }

    @Test
    void evaluate_singleValueGradient_isConstant() {
        ParameterSetting g = ParameterSetting.gradient(0.3);
        assertEquals(0.3, g.evaluate("x", 0).getAsDouble());
        assertEquals(0.3, g.evaluate("x", 0.6).getAsDouble());
        assertEquals(0.3, g.evaluate("x", 1).getAsDouble());
    }

    @Test
    void evaluate_conditional_firstMatchingEntryWins() {
        ParameterSetting c = ParameterSetting.conditional(
                Entry.of("self_attn", ParameterSetting.gradient(0, 0.5, 1)),
                Entry.of("mlp", ParameterSetting.gradient(1, 0.5, 0)),
                Entry.of("layers.1.mlp", ParameterSetting.scalar(7)),
                Entry.always(ParameterSetting.scalar(0.3)));
        assertEquals(0.0, c.evaluate("model.layers.0.self_attn.q_proj.weight", 0).getAsDouble());
        assertEquals(1.0, c.evaluate("model.layers.1.self_attn.q_proj.weight", 1).getAsDouble());
        assertEquals(0.0, c.evaluate("model.layers.1.mlp.up_proj.weight", 1).getAsDouble(),
                "'mlp' comes before the more specific 'layers.1.mlp', and order decides");
        assertEquals(0.3, c.evaluate("model.norm.weight", 0).getAsDouble());
    }

    @Test
    void evaluate_filter_isCaseSensitiveSubstringNotPattern() {
        ParameterSetting c = ParameterSetting.conditional(Entry.of("MLP", ParameterSetting.scalar(1)),
                Entry.of("layers.*.mlp", ParameterSetting.scalar(2)));
        assertEquals(OptionalDouble.empty(), c.evaluate("model.layers.0.mlp.up_proj.weight", 0));
    }

    @Test
    void evaluate_starFilter_matchesEverything() {
        ParameterSetting c = ParameterSetting.conditional(Entry.of("*", ParameterSetting.scalar(4)));
        assertEquals(4.0, c.evaluate("lm_head.weight", 0).getAsDouble());
        assertEquals(4.0, c.evaluate(null, 0).getAsDouble());
    }

    @Test
    void evaluate_noTensorName_onlyUnfilteredEntriesMatch() {
        ParameterSetting c = ParameterSetting.conditional(Entry.of("", ParameterSetting.scalar(1)),
                Entry.always(ParameterSetting.scalar(2)));
        assertEquals(2.0, c.evaluate("", 0).getAsDouble());
        assertEquals(2.0, c.evaluate(null, 0).getAsDouble());
        assertEquals(1.0, c.evaluate("a", 0).getAsDouble(), "an empty filter is a substring of any name");
    }

    @Test
    void evaluate_tOutsideUnitInterval_refused() {
        assertThrows(IllegalArgumentException.class, () -> ParameterSetting.gradient(0, 1).evaluate("x", 1.5));
        assertThrows(IllegalArgumentException.class, () -> ParameterSetting.gradient(0, 1).evaluate("x", Double.NaN));
    }

    @Test
    void constructors_emptyOrNestedForms_refused() {
        assertThrows(IllegalArgumentException.class, () -> new ParameterSetting.Gradient(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ParameterSetting.Conditional(List.of()));
        var e = assertThrows(IllegalArgumentException.class, () -> Entry.of("a",
                ParameterSetting.conditional(Entry.always(ParameterSetting.scalar(1)))));
        assertTrue(e.getMessage().contains("number or a gradient"), e.getMessage());
    }
}

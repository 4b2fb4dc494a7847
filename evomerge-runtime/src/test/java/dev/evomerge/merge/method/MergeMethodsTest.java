package dev.evomerge.merge.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.RunException;
import dev.evomerge.diag.SourceLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The registry and every method's parameters and defaults, against the table of docs/mergekit-semantics.md §2. */
class MergeMethodsTest {

    /** name → "global parameters | per-model parameters", each as name=default, name! (required) or name? (none). */
    private static final Map<String, String> TABLE = Map.ofEntries(
            Map.entry("linear", "normalize=1.0 | weight!"),
            Map.entry("slerp", "t! | "),
            Map.entry("nuslerp", "nuslerp_row_wise=0.0 nuslerp_flatten=1.0 | weight!"),
            Map.entry("multislerp", "normalize_weights=1.0 eps=1.0E-8 | weight!"),
            Map.entry("karcher", "max_iter=10.0 tol=1.0E-5 | "),
            Map.entry("task_arithmetic", "int8_mask=0.0 normalize=0.0 rescale=0.0 lambda=1.0 | weight! density=1.0"),
            Map.entry("ties", "int8_mask=0.0 normalize=1.0 rescale=0.0 lambda=1.0 | weight! density=1.0"),
            Map.entry("dare_linear", "int8_mask=0.0 normalize=0.0 rescale=1.0 lambda=1.0 | weight! density=1.0"),
            Map.entry("dare_ties", "int8_mask=0.0 normalize=0.0 rescale=1.0 lambda=1.0 | weight! density=1.0"),
            Map.entry("breadcrumbs",
                    "int8_mask=0.0 normalize=0.0 rescale=0.0 lambda=1.0 | weight! density=1.0 gamma=0.01"),
            Map.entry("breadcrumbs_ties",
                    "int8_mask=0.0 normalize=0.0 rescale=0.0 lambda=1.0 | weight! density=1.0 gamma=0.01"),
            Map.entry("della", "int8_mask=0.0 normalize=1.0 rescale=1.0 lambda=1.0 | weight! density=1.0 epsilon=0.15"),
            Map.entry("della_linear",
                    "int8_mask=0.0 normalize=0.0 rescale=1.0 lambda=1.0 | weight! density=1.0 epsilon=0.15"),
            Map.entry("sce", "int8_mask=0.0 select_topk=1.0 | "),
            Map.entry("ram", "epsilon=1.0E-5 | "),
            Map.entry("ramplus_tl", "r=0.1 alpha=0.2 epsilon=1.0E-5 | "),
            Map.entry("model_stock", "filter_wise=0.0 | "),
            Map.entry("nearswap", "t! | "),
            Map.entry("arcee_fusion", " | "),
            Map.entry("passthrough", " | scale?"));

    private static String describe(List<ParameterDefinition> defs) {
        return defs.stream().map(d -> d.name() + (d.required() ? "!"
                : d.defaultValue().isPresent() ? "=" + d.defaultValue().getAsDouble() : "?"))
                .collect(Collectors.joining(" "));
    }

    @Test
    void all_twentyMethodsInMergekitRegistryOrder() {
        assertEquals(List.of("linear", "slerp", "nuslerp", "passthrough", "model_stock", "arcee_fusion", "karcher",
                "task_arithmetic", "ties", "dare_ties", "dare_linear", "breadcrumbs", "breadcrumbs_ties", "della",
                "della_linear", "multislerp", "nearswap", "sce", "ram", "ramplus_tl"), MergeMethods.names());
    }

    @Test
    void parameters_everyMethod_matchesSemanticsTable() {
        Map<String, String> actual = new TreeMap<>();
        for (MergeMethod m : MergeMethods.all()) {
            actual.put(m.name(), describe(m.globalParameters()) + " | " + describe(m.modelParameters()));
        }
        assertEquals(new TreeMap<>(TABLE), actual);
    }

    @Test
    void referenceUrl_everyMethodButNuslerpAndPassthrough_citesItsSource() {
        for (MergeMethod m : MergeMethods.all()) {
            boolean none = m.name().equals("nuslerp") || m.name().equals("passthrough");
            assertEquals(none, m.referenceUrl().isEmpty(), m.name());
            m.referenceUrl().ifPresent(url -> assertTrue(url.startsWith("https://"), url));
            assertFalse(m.prettyName().isBlank(), m.name());
        }
    }

    @Test
    void baseModelUse_taskVectorMethodsRequireIt() {
        assertEquals(BaseModelUse.REQUIRED, MergeMethods.get("dare_ties").baseModelUse());
        assertEquals(BaseModelUse.OPTIONAL, MergeMethods.get("multislerp").baseModelUse());
        assertEquals(BaseModelUse.INPUT, MergeMethods.get("linear").baseModelUse());
    }

    @Test
    void stochastic_onlyDareDellaAndSampledArceeFusion() {
        List<String> stochastic = MergeMethods.all().stream().filter(MergeMethod::stochastic).map(MergeMethod::name)
                .toList();
        assertEquals(List.of("arcee_fusion", "dare_ties", "dare_linear", "della", "della_linear"), stochastic);
    }

    @Test
    void get_knownName_returnsTheSameInstance() {
        assertSame(MergeMethods.get("ties"), MergeMethods.find("ties").orElseThrow());
    }

    @Test
    void get_unknownNameWithLocation_configErrorListingKnownNames() {
        SourceLocation where = new SourceLocation(Path.of("merge.yml"), 1, 15, "merge_method");
        ConfigException e = assertThrows(ConfigException.class, () -> MergeMethods.get("tie", where));
        assertEquals("merge.yml:1:15 (merge_method): unknown merge method 'tie'; did you mean 'ties'? known methods: "
                + String.join(", ", MergeMethods.names()), e.userMessage());
    }

    @Test
    void get_unknownNameWithoutLocation_runError() {
        RunException e = assertThrows(RunException.class, () -> MergeMethods.get("frankenstein"));
        assertTrue(e.userMessage().startsWith("unknown merge method 'frankenstein'; known methods: linear, slerp"),
                e.userMessage());
    }
}

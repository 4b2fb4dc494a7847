package dev.evomerge.merge.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.search.space.PsMethod;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The parameter space's method table ({@link PsMethod#ALL}) against the method registry: every searchable method is
 * registered, a method the search treats as needing a base model is a task-vector method (which requires one), its
 * genes are parameters the method declares, and a method whose {@code normalize} the search sets declares it.
 */
class MethodTablesTest {

    @Test
    void psMethods_againstRegistry_agreeOnEveryFactBothHold() {
        for (PsMethod ps : PsMethod.ALL) {
            MergeMethod method = MergeMethods.get(ps.name());
            String name = ps.name();
            assertEquals(ps.needsBase(), method instanceof TaskVectorMethod, name + ": needsBase");
            if (ps.needsBase()) {
                assertEquals(BaseModelUse.REQUIRED, method.baseModelUse(), name);
            }
            Set<String> declared = new HashSet<>();
            method.modelParameters().forEach(d -> declared.add(d.name()));
            method.globalParameters().forEach(d -> declared.add(d.name()));
            assertTrue(declared.containsAll(ps.genes()), name + ": genes " + ps.genes() + " not in " + declared);
            if (ps.normalizeByDefault()) {
                assertTrue(declared.contains("normalize"), name + " has no normalize to set");
            }
        }
    }

    @Test
    void taskVectorMethods_inRegistry_areAllSearchable() {
        for (String name : MergeMethods.names()) {
            if (MergeMethods.get(name) instanceof TaskVectorMethod) {
                assertTrue(PsMethod.byName(name).isPresent(), name + " is a task-vector method the search lacks");
            }
        }
    }
}

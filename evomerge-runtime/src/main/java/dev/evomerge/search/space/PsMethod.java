package dev.evomerge.search.space;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A merge method as the parameter space searches it: which per-model parameters get genes (the P axis of the
 * genome, in gene order), whether it needs a base model, and what an unset {@code normalize} becomes. The five
 * methods of mergekit-evolve's {@code METHOD_PARAM_MAPS} keep its gene order ({@code weight} first); the other
 * task-vector methods that sparsify get {@code weight} and {@code density} like {@code ties}
 * ({@code evolutionary-merge.md} §1). Their other per-model parameters ({@code gamma}, {@code epsilon}) keep the
 * method's defaults. Immutable.
 *
 * @param name the mergekit method name
 * @param genes the per-model parameters searched, in gene order: {@code weight} (or {@code t}), then
 *     {@code density}
 * @param needsBase whether the method takes task vectors against a base model
 * @param normalizeByDefault what an unset {@code normalize} becomes: mergekit-evolve's rule, true for
 *     {@code ties}, {@code dare_ties} and {@code linear} only
 */
public record PsMethod(String name, List<String> genes, boolean needsBase, boolean normalizeByDefault) {

    public static final String WEIGHT = "weight";
    public static final String DENSITY = "density";
    public static final String T = "t";

    /** Every method the parameter space can search, in the order messages list them. */
    public static final List<PsMethod> ALL = List.of(
            new PsMethod("linear", List.of(WEIGHT), false, true),
            new PsMethod("task_arithmetic", List.of(WEIGHT), true, false),
            new PsMethod("ties", List.of(WEIGHT, DENSITY), true, true),
            new PsMethod("dare_ties", List.of(WEIGHT, DENSITY), true, true),
            new PsMethod("slerp", List.of(T), false, false),
            new PsMethod("dare_linear", List.of(WEIGHT, DENSITY), true, false),
            new PsMethod("breadcrumbs", List.of(WEIGHT, DENSITY), true, false),
            new PsMethod("breadcrumbs_ties", List.of(WEIGHT, DENSITY), true, false),
            new PsMethod("della", List.of(WEIGHT, DENSITY), true, false),
            new PsMethod("della_linear", List.of(WEIGHT, DENSITY), true, false));

    public PsMethod {
        Objects.requireNonNull(name, "name");
        genes = List.copyOf(genes);
        if (genes.isEmpty()) {
            throw new IllegalArgumentException("method " + name + " needs at least one gene per model");
        }
    }

    /** The searchable method of that name. */
    public static Optional<PsMethod> byName(String name) {
        return ALL.stream().filter(m -> m.name.equals(name)).findFirst();
    }

    /** The names of {@link #ALL}, comma separated, for messages. */
    public static String names() {
        return String.join(", ", ALL.stream().map(PsMethod::name).toList());
    }

    /** P: the genes per model and parameter set. */
    public int genesPerSet() {
        return genes.size();
    }

    /** Whether this is slerp, whose genome picks two models per group instead of weighting all of them. */
    public boolean isSlerp() {
        return name.equals("slerp");
    }
}

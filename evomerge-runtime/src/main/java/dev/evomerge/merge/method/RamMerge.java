package dev.evomerge.merge.method;

import java.util.List;

/**
 * RAM (Reinforced Agent Merging): where exactly one model changed an element (|τ| > epsilon) its task vector is
 * taken as is; where several did, their average; elements no model changed keep the base value. From
 * "Reinforced Agent Merging", 2026, https://arxiv.org/abs/2601.13572; matches mergekit's {@code ram_merge}
 * ({@code merge_methods/ram.py}).
 *
 * <p>Task vectors below epsilon are dropped. Float32 element-wise, models in input order; no per-model weights;
 * no shape rectification. Stateless and thread-safe.
 */
public final class RamMerge extends RamMethod {

    public RamMerge() {
        super("ram", "Reinforced Agent Merging", List.of(EPSILON));
    }

    @Override
    float[] uniqueFactors(CheckedSpec spec, RamVectors ram) {
        return null;
    }
}

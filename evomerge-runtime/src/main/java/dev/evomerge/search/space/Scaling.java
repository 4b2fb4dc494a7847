package dev.evomerge.search.space;

import dev.evomerge.config.YamlEnums;

/**
 * How a data-flow genome sets the scale of each step ({@code dfs.scaling} in {@code evolve.yml};
 * {@code evolutionary-merge.md} §2). Immutable.
 */
public enum Scaling {

    /**
     * The paper's matrix W ∈ R<sup>(M+1)×M</sup> over the M stacked layers: a step that runs layer j after layer i
     * takes W[i][j]; the first step takes row M (it comes from the embeddings).
     */
    MATRIX,
    /** One gene per slot, used when the slot is on the path. */
    PER_STEP,
    /** No scale genes: every scale is 1 (the paper's ablation). */
    NONE;

    /** The name as {@code evolve.yml} writes it. */
    public String configName() {
        return YamlEnums.yamlName(this);
    }
}

package dev.evomerge.search.space;

import dev.evomerge.config.InputSlice;
import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.MergeInputs;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.config.OutputSlice;
import dev.evomerge.config.ParameterSetting;
import dev.evomerge.config.ParameterSetting.Conditional;
import dev.evomerge.config.Parameters;
import dev.evomerge.dataflow.LayerPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A data-flow path as a mergekit recipe ({@code evolutionary-merge.md} §2): a {@code passthrough} config with
 * {@code slices:}, which mergekit itself turns into the same tensors {@link DataFlowCheckpoint} writes.
 *
 * <p>Each slice takes consecutive layers of one model; its source carries
 * {@code parameters: {scale: [{filter: mlp.down_proj, value: s}, {value: 1.0}]}}, s being the scale that folds
 * into the down_proj of each of its steps (s<sub>t+1</sub> for step t, 1 for the last step). The first slice also
 * carries {@code {filter: embed_tokens, value: s0}} first in its list: mergekit reads the embeddings (pre weights)
 * through the first slice and the final norm and lm_head (post weights) through the last, whose catch-all 1.0 leaves
 * them unscaled. Neighbouring steps share a slice when they are consecutive layers of one model and fold the same
 * down_proj scale: scanning the path from its start, a slice grows while the next step continues it, so the
 * grouping is unique. An entry whose value is 1 is left out, and so is a {@code scale} that would only hold the
 * catch-all (multiplying by 1 changes no bits).
 *
 * <p>The config also names model A as {@code base_model}. passthrough ignores it, but mergekit takes
 * {@code config.json} and the tokenizer from the base model when there is one, and otherwise from whichever model
 * its set of referenced models yields first, which changes from run to run.
 *
 * <p>Stateless and thread-safe.
 */
public final class DataFlowRecipe {

    /** The filter that selects the embedding matrix, where s<sub>0</sub> goes. */
    public static final String EMBEDDING_FILTER = "embed_tokens";
    /** The filter that selects a layer's MLP output projection (weight and bias), where s<sub>t+1</sub> goes. */
    public static final String DOWN_PROJ_FILTER = "mlp.down_proj";
    /** The parameter passthrough multiplies tensors by. */
    public static final String SCALE = "scale";

    private DataFlowRecipe() {
    }

    /**
     * The passthrough config of a path.
     *
     * @param models the path's models by index (A first), as the config should name them
     * @throws IllegalArgumentException when the path uses a model that is not given, or takes its embeddings or
     *     head from another model than its first or last step (mergekit has no way to say that)
     */
    public static MergeConfig toMergeConfig(LayerPath path, List<ModelSpec> models) {
        Objects.requireNonNull(path, "path");
        checkExportable(path, models.size());
        List<OutputSlice> slices = new ArrayList<>();
        int t = 0;
        while (t < path.size()) {
            LayerPath.Step first = path.step(t);
            double downProj = path.mlpScale(t);
            int end = t + 1;
            while (end < path.size() && continues(path.step(end - 1), path.step(end))
                    && Double.compare(path.mlpScale(end), downProj) == 0) {
                end++;
            }
            double embedding = t == 0 ? path.embeddingScale() : 1.0;
            slices.add(OutputSlice.of(List.of(InputSlice.of(models.get(first.model()), first.layer(),
                    first.layer() + (end - t), scaleParameters(embedding, downProj)))));
            t = end;
        }
        return MergeConfig.of("passthrough", MergeInputs.Slices.of(slices)).withBaseModel(models.getFirst());
    }

    /**
     * Checks that a path over {@code modelCount} models can be written as a passthrough config.
     *
     * @throws IllegalArgumentException if not
     */
    static void checkExportable(LayerPath path, int modelCount) {
        for (int m : path.models()) {
            if (m >= modelCount) {
                throw new IllegalArgumentException("the path uses model " + m + " but " + modelCount
                        + " models were given");
            }
        }
        if (path.embeddingModel() != path.step(0).model()) {
            throw new IllegalArgumentException("the path takes its embeddings from model " + path.embeddingModel()
                    + " but starts with model " + path.step(0).model() + "; mergekit takes the embeddings from the"
                    + " first slice's model");
        }
        if (path.headModel() != path.steps().getLast().model()) {
            throw new IllegalArgumentException("the path takes its head from model " + path.headModel()
                    + " but ends with model " + path.steps().getLast().model() + "; mergekit takes the final norm"
                    + " and lm_head from the last slice's model");
        }
    }

    private static boolean continues(LayerPath.Step previous, LayerPath.Step next) {
        return next.model() == previous.model() && next.layer() == previous.layer() + 1;
    }

    private static Parameters scaleParameters(double embedding, double downProj) {
        List<Conditional.Entry> entries = new ArrayList<>();
        if (embedding != 1.0) {
            entries.add(Conditional.Entry.of(EMBEDDING_FILTER, ParameterSetting.scalar(embedding)));
        }
        if (downProj != 1.0) {
            entries.add(Conditional.Entry.of(DOWN_PROJ_FILTER, ParameterSetting.scalar(downProj)));
        }
        if (entries.isEmpty()) {
            return Parameters.NONE;
        }
        entries.add(Conditional.Entry.always(ParameterSetting.scalar(1.0)));
        return Parameters.of(SCALE, new Conditional(entries));
    }
}

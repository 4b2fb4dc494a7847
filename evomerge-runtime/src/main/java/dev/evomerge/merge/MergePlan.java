package dev.evomerge.merge;

import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.NormalizedConfig;
import dev.evomerge.diag.Requires;
import dev.evomerge.merge.method.MergeMethod;
import dev.evomerge.model.ModelConfig;
import dev.evomerge.tensor.TensorInfo;
import java.nio.file.Path;
import java.util.List;

/**
 * What a merge will do, decided before any tensor data is read: the method, the input models (indexed as the
 * tensors' {@link InputTensor#modelIndex()} count them), every output tensor in write order (mergekit's: sorted by
 * name), and the output's {@code config.json}. Immutable; the models' weights stay open in the {@link MergeModels}
 * the plan was made from.
 *
 * @param config the merge config
 * @param normalized its slices and layers
 * @param method the merge method
 * @param models the input models, by model index: the base model first (if any), then the others in YAML order
 * @param tensors the output tensors in write order
 * @param donor the model config.json and the tokenizer come from
 * @param outputConfig the output's config.json
 * @param tokenizerSource the directory whose tokenizer the output gets: the donor's, or {@code tokenizer_source}'s
 */
public record MergePlan(MergeConfig config, NormalizedConfig normalized, MergeMethod method,
        List<SourceModel> models, List<PlannedTensor> tensors, SourceModel donor, ModelConfig outputConfig,
        Path tokenizerSource) {

    public MergePlan {
        Requires.nonNull("config, normalized, method, donor, outputConfig, tokenizerSource",
                config, normalized, method, donor, outputConfig, tokenizerSource);
        models = List.copyOf(models);
        tensors = List.copyOf(tensors);
    }

    /** The output tensors as the writer declares them, in write order. */
    public List<TensorInfo> outputInfos() {
        return tensors.stream().map(PlannedTensor::outputInfo).toList();
    }

    /** Bytes the output tensors take. */
    public long outputBytes() {
        return tensors.stream().mapToLong(t -> t.outputInfo().byteSize()).sum();
    }

    /** Bytes read from the inputs. */
    public long inputBytes() {
        return tensors.stream().mapToLong(PlannedTensor::inputBytes).sum();
    }
}

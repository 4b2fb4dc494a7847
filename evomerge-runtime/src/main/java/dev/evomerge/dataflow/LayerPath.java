package dev.evomerge.dataflow;

import dev.evomerge.diag.Requires;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A data-flow-space candidate: the decoder layers a token passes through, in order, each taken from one of several
 * models (index 0 is model A), with a scale per step, and the models the embeddings and the output head (final norm
 * and lm_head) come from. See {@code evolutionary-merge.md} §2 for what the scales mean:
 * <ul>
 *   <li>the scale of step 0, s<sub>0</sub>, multiplies the embedding output;</li>
 *   <li>the scale of step t+1, s<sub>t+1</sub>, multiplies step t's MLP output before it joins the residual stream:
 *       {@code out_t = h'_t + s_{t+1} · MLP_t(norm2(h'_t))};</li>
 *   <li>the last step's MLP output is unscaled.</li>
 * </ul>
 *
 * {@snippet :
 * // A's layers 0 and 1, B's layer 3 at 0.8, then A's last layer, with A's embeddings and head:
 * LayerPath path = LayerPath.constrained(List.of(
 *         new LayerPath.Step(0, 0, 1.0), new LayerPath.Step(0, 1, 1.0),
 *         new LayerPath.Step(1, 3, 0.8), new LayerPath.Step(0, 5, 1.0)));
 * }
 *
 * <p>Immutable and thread-safe.
 *
 * @param steps the layers in the order a token passes through them; at least one
 * @param embeddingModel the model whose embedding matrix turns tokens into the first hidden state
 * @param headModel the model whose final norm and lm_head turn the last hidden state into logits
 */
public record LayerPath(List<Step> steps, int embeddingModel, int headModel) {

    /**
     * One step of a path: layer {@code layer} of model {@code model}, with scale {@code scale}.
     *
     * @param model the model index (0 is model A)
     * @param layer the decoder layer index within that model
     * @param scale this step's scale, finite
     */
    public record Step(int model, int layer, double scale) {

        public Step {
            if (model < 0) {
                throw new IllegalArgumentException("model index must be >= 0, got " + model);
            }
            if (layer < 0) {
                throw new IllegalArgumentException("layer index must be >= 0, got " + layer);
            }
            if (!Double.isFinite(scale)) {
                throw new IllegalArgumentException("scale must be finite, got " + scale);
            }
        }

        /** This step with another scale. */
        public Step withScale(double newScale) {
            return new Step(model, layer, newScale);
        }

        /** {@code model:layer×scale}, e.g. {@code 1:3×0.8}. */
        @Override
        public String toString() {
            return model + ":" + layer + "×" + String.format(Locale.ROOT, "%s", scale);
        }
    }

    public LayerPath {
        Objects.requireNonNull(steps, "steps");
        steps = Requires.nonEmptyCopy(steps, "a layer path needs at least one step");
        if (embeddingModel < 0 || headModel < 0) {
            throw new IllegalArgumentException("model indices must be >= 0, got embeddings from " + embeddingModel
                    + " and head from " + headModel);
        }
    }

    /** A path under the paper's constraints: embeddings, final norm and lm_head all come from model A (index 0). */
    public static LayerPath constrained(List<Step> steps) {
        return new LayerPath(steps, 0, 0);
    }

    /**
     * A path without the constraints: embeddings from the first step's model, final norm and lm_head from the last
     * step's, which is what the exported mergekit passthrough config gives.
     */
    public static LayerPath unconstrained(List<Step> steps) {
        Objects.requireNonNull(steps, "steps");
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a layer path needs at least one step");
        }
        return new LayerPath(steps, steps.getFirst().model(), steps.getLast().model());
    }

    /** Every layer of one model in order with scale 1: the model itself, as a path. */
    public static LayerPath plain(int model, int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("a model needs at least one layer, got " + layers);
        }
        List<Step> steps = new ArrayList<>(layers);
        for (int i = 0; i < layers; i++) {
            steps.add(new Step(model, i, 1.0));
        }
        return new LayerPath(steps, model, model);
    }

    /** The number of steps. */
    public int size() {
        return steps.size();
    }

    public Step step(int t) {
        return steps.get(t);
    }

    /** s<sub>0</sub>, the factor on the embedding output. */
    public double embeddingScale() {
        return steps.getFirst().scale();
    }

    /** The factor on step {@code t}'s MLP output: s<sub>t+1</sub>, or 1 for the last step. */
    public double mlpScale(int t) {
        if (t < 0 || t >= steps.size()) {
            throw new IndexOutOfBoundsException("step " + t + " of a path with " + steps.size() + " steps");
        }
        return t + 1 < steps.size() ? steps.get(t + 1).scale() : 1.0;
    }

    /** The model indices the path uses, for its layers, embeddings and head. */
    public SortedSet<Integer> models() {
        SortedSet<Integer> used = new TreeSet<>();
        used.add(embeddingModel);
        used.add(headModel);
        steps.forEach(s -> used.add(s.model()));
        return used;
    }

    /**
     * Checks the path against the models it will run on.
     *
     * @param layerCounts the number of decoder layers of each model, by index
     * @throws IllegalArgumentException naming the first step (or end) that refers to a model or layer that does not
     *     exist
     */
    public void checkAgainst(List<Integer> layerCounts) {
        int models = layerCounts.size();
        if (embeddingModel >= models) {
            throw new IllegalArgumentException("the embeddings come from model " + embeddingModel + ", but there "
                    + (models == 1 ? "is 1 model" : "are " + models + " models"));
        }
        if (headModel >= models) {
            throw new IllegalArgumentException("the head comes from model " + headModel + ", but there "
                    + (models == 1 ? "is 1 model" : "are " + models + " models"));
        }
        for (int t = 0; t < steps.size(); t++) {
            Step s = steps.get(t);
            if (s.model() >= models) {
                throw new IllegalArgumentException("step " + t + " (" + s + ") uses model " + s.model()
                        + ", but there " + (models == 1 ? "is 1 model" : "are " + models + " models"));
            }
            int layers = layerCounts.get(s.model());
            if (s.layer() >= layers) {
                throw new IllegalArgumentException("step " + t + " (" + s + ") uses layer " + s.layer() + " of model "
                        + s.model() + ", which has " + layers + " layers");
            }
        }
    }

    /** {@code [0:0×1.0, 1:3×0.8] (embeddings 0, head 0)}. */
    @Override
    public String toString() {
        return steps + " (embeddings " + embeddingModel + ", head " + headModel + ")";
    }
}

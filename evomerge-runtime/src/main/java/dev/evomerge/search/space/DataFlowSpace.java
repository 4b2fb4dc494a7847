package dev.evomerge.search.space;

import dev.evomerge.config.MergeConfig;
import dev.evomerge.diag.ConfigException;
import dev.evomerge.diag.Requires;
import dev.evomerge.diag.RunException;
import dev.evomerge.dataflow.LayerPath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The data-flow space ({@code evolutionary-merge.md} §2): a genome that picks the sequence of decoder layers a token
 * passes through, from several models, and a scale per step, decoded into a {@link LayerPath}.
 *
 * <p><b>Slots.</b> The decoder layers of models A, B, ... are stacked in order (A's L<sub>A</sub> layers, then
 * B's, ...; M = ΣL) and the stack is repeated r times: T = M·r slots, slot k standing for stacked layer k mod M.
 *
 * <p><b>Layout.</b> Genes {@code [0, T)} are the indicators: slot k is on the path iff gene k {@code > 0}. The
 * scale genes follow, by {@link Scaling}: for {@code matrix}, W row-major, gene {@code T + i·M + j} for W[i][j],
 * rows 0..M−1 for the stacked layers and row M (the embeddings) last; for {@code per_step}, gene {@code T + k} for
 * slot k; for {@code none}, nothing. When model A ties lm_head to its embeddings, s<sub>0</sub> cannot be folded
 * into the embedding matrix (it would scale the logits too), so it is fixed at 1 and not searched: {@code matrix}
 * then leaves out row M (M·M scale genes), and in {@code per_step} the first step's scale is 1 whatever its gene.
 *
 * <p><b>Decoding.</b> The path is the on-slots in slot order. Step t runs stacked layer j<sub>t</sub> with scale
 * s<sub>t</sub> = W[j<sub>t−1</sub>][j<sub>t</sub>] (W[M][j<sub>0</sub>] for the first step), or its slot's gene,
 * or 1; a scale gene outside [{@value #SCALE_MIN}, {@value #SCALE_MAX}] decodes as the nearest bound.
 * <ul>
 *   <li>With the constraints (the default), the path starts with A's first layer and ends with A's last layer,
 *       whatever the genes say: when the first on-slot is not one of A's first layer, that layer is put before it
 *       as an extra first step (taking slot 0's per-step gene); when the last on-slot is not one of A's last
 *       layer, that layer is put after it as an extra last step (taking the per-step gene of A's last layer in the
 *       last repeat). So a genome with every slot off decodes to A's first and last layer, and the start point
 *       (A's first repeat on) to model A itself. Embeddings, final norm and lm_head come from A.</li>
 *   <li>Without them, the path is exactly the on-slots; the embeddings come from the first step's model and the
 *       head from the last step's, as the exported passthrough config gives. A genome with every slot off has no
 *       path and fails as a candidate ({@link RunException}). Models with tied embeddings are refused in this mode:
 *       the exported checkpoint would tie the last step's head to the first step's embeddings.</li>
 * </ul>
 *
 * <p><b>Bounds.</b> Indicators in [−{@value #INDICATOR_BOUND}, {@value #INDICATOR_BOUND}] (only the sign counts;
 * the bound keeps a gene from drifting so far from 0 that it can no longer flip, and holds the ±1 a genetic search
 * writes); scales in [{@value #SCALE_MIN}, {@value #SCALE_MAX}], around the start value 1.
 *
 * <p>Immutable and thread-safe.
 */
public final class DataFlowSpace implements GenomeSpace<LayerPath> {

    /** Indicator genes lie in [−1, 1]. */
    public static final double INDICATOR_BOUND = 1.0;
    /** The lowest scale. */
    public static final double SCALE_MIN = 0.0;
    /** The highest scale. */
    public static final double SCALE_MAX = 2.0;

    private final List<DataFlowModel> models;
    private final DataFlowSettings settings;
    /** Where each model's layers start in the stack, plus M at the end. */
    private final int[] offsets;
    private final int stacked;
    private final int slots;
    private final boolean embeddingScaleFixed;

    private DataFlowSpace(List<DataFlowModel> models, DataFlowSettings settings) {
        this.models = List.copyOf(models);
        this.settings = settings;
        this.offsets = new int[models.size() + 1];
        for (int i = 0; i < models.size(); i++) {
            offsets[i + 1] = offsets[i] + models.get(i).layers();
        }
        this.stacked = offsets[models.size()];
        this.slots = stacked * settings.repeats();
        this.embeddingScaleFixed = models.getFirst().tiedEmbeddings();
    }

    /**
     * The space over {@code models} (A first).
     *
     * @throws ConfigException at the key at fault: no models, a model listed twice, repeats below 1, an initial
     *     bias that is not positive, or tied embeddings without the constraints
     */
    public static DataFlowSpace of(List<DataFlowModel> models, DataFlowSettings settings) {
        Requires.nonNull("models, settings", models, settings);
        if (models.isEmpty()) {
            throw new ConfigException(settings.locationOf("models"), "dfs.models is empty",
                    "list the models whose layers the path may use, model A first");
        }
        Set<Object> seen = new HashSet<>();
        for (DataFlowModel m : models) {
            if (!seen.add(m.model())) {
                throw new ConfigException(settings.locationOf("models"), "model '" + m.model()
                        + "' is listed twice in dfs.models", "list each model once; repeats: repeats every layer");
            }
        }
        if (settings.repeats() < 1) {
            throw new ConfigException(settings.locationOf("repeats"), "dfs.repeats is " + settings.repeats(),
                    "use 1 or more (the paper uses 3)");
        }
        if (!(settings.initialBias() > 0) || !Double.isFinite(settings.initialBias())) {
            throw new ConfigException(settings.locationOf("initial_bias"), "dfs.initial_bias is "
                    + settings.initialBias(), "use a positive number (2 starts A's layers at 2·sigma0)");
        }
        if (!settings.constraints()) {
            for (DataFlowModel m : models) {
                if (m.tiedEmbeddings()) {
                    throw new ConfigException(settings.locationOf("constraints"), "dfs.constraints: false needs"
                            + " models with their own lm_head, but '" + m.model() + "' ties it to its embeddings"
                            + " (the exported model would take its head from the first step's embeddings)",
                            "set constraints: true, or leave out the tied models");
                }
            }
        }
        return new DataFlowSpace(models, settings);
    }

    public List<DataFlowModel> models() {
        return models;
    }

    public DataFlowSettings settings() {
        return settings;
    }

    /** M, the layers of all models stacked. */
    public int stackedLayers() {
        return stacked;
    }

    /** T = M·r, the number of slots (and indicator genes). */
    public int slots() {
        return slots;
    }

    /** Whether s<sub>0</sub> is fixed at 1 because model A ties lm_head to its embeddings. */
    public boolean embeddingScaleFixed() {
        return embeddingScaleFixed;
    }

    /** The number of scale genes. */
    public int scaleGenes() {
        return switch (settings.scaling()) {
            case MATRIX -> (embeddingScaleFixed ? stacked : stacked + 1) * stacked;
            case PER_STEP -> slots;
            case NONE -> 0;
        };
    }

    @Override
    public int dimension() {
        return slots + scaleGenes();
    }

    /** The slot of layer {@code layer} of model {@code model} in repeat {@code repeat}. */
    public int slot(int repeat, int model, int layer) {
        Objects.checkIndex(repeat, settings.repeats());
        Objects.checkIndex(model, models.size());
        Objects.checkIndex(layer, models.get(model).layers());
        return repeat * stacked + offsets[model] + layer;
    }

    /**
     * The gene of W[from][to] in {@code matrix} mode; {@code from} is a stacked layer, or M for the embeddings.
     */
    public int matrixGene(int from, int to) {
        if (settings.scaling() != Scaling.MATRIX) {
            throw new IllegalStateException("scaling is " + settings.scaling().configName() + ", not matrix");
        }
        Objects.checkIndex(from, embeddingScaleFixed ? stacked : stacked + 1);
        Objects.checkIndex(to, stacked);
        return slots + from * stacked + to;
    }

    /** The scale gene of slot {@code slot} in {@code per_step} mode. */
    public int perStepGene(int slot) {
        if (settings.scaling() != Scaling.PER_STEP) {
            throw new IllegalStateException("scaling is " + settings.scaling().configName() + ", not per_step");
        }
        return slots + Objects.checkIndex(slot, slots);
    }

    @Override
    public int[] indicatorGenes() {
        int[] genes = new int[slots];
        Arrays.setAll(genes, i -> i);
        return genes;
    }

    @Override
    public double[] lowerBounds() {
        double[] lower = new double[dimension()];
        Arrays.fill(lower, 0, slots, -INDICATOR_BOUND);
        Arrays.fill(lower, slots, lower.length, SCALE_MIN);
        return lower;
    }

    @Override
    public double[] upperBounds() {
        double[] upper = new double[dimension()];
        Arrays.fill(upper, 0, slots, INDICATOR_BOUND);
        Arrays.fill(upper, slots, upper.length, SCALE_MAX);
        return upper;
    }

    /**
     * The start: A's first-repeat indicators at {@code initial_bias·σ0} (at most {@value #INDICATOR_BOUND}), every
     * other indicator 0 (off), every scale 1. It decodes to model A itself.
     *
     * @param sigma0 the optimizer's initial step size
     */
    public double[] initialPoint(double sigma0) {
        if (!(sigma0 > 0) || !Double.isFinite(sigma0)) {
            throw new IllegalArgumentException("sigma0 must be positive and finite, got " + sigma0);
        }
        double[] x = new double[dimension()];
        double on = Math.min(settings.initialBias() * sigma0, INDICATOR_BOUND);
        Arrays.fill(x, 0, models.getFirst().layers(), on);
        Arrays.fill(x, slots, x.length, 1.0);
        return x;
    }

    /**
     * The path of a genome.
     *
     * @throws RunException without the constraints, when every slot is off (the candidate has no path)
     */
    @Override
    public LayerPath decode(double[] genome) {
        GenomeSpace.checkGenome(genome, dimension());
        List<Integer> on = new ArrayList<>();
        for (int k = 0; k < slots; k++) {
            if (genome[k] > 0) {
                on.add(k);
            }
        }
        if (settings.constraints()) {
            int first = 0;
            int last = offsets[1] - 1;
            if (on.isEmpty() || on.getFirst() % stacked != first) {
                on.addFirst(first);
            }
            if (on.getLast() % stacked != last) {
                on.addLast((settings.repeats() - 1) * stacked + last);
            }
        } else if (on.isEmpty()) {
            throw new RunException("the genome switches every slot off, so its data-flow path is empty",
                    "the candidate counts as failed; with dfs.constraints: true every path has A's first and last"
                            + " layer");
        }
        List<LayerPath.Step> steps = new ArrayList<>(on.size());
        int previous = stacked;
        for (int t = 0; t < on.size(); t++) {
            int slot = on.get(t);
            int layer = slot % stacked;
            int model = modelOf(layer);
            steps.add(new LayerPath.Step(model, layer - offsets[model], scale(genome, t, previous, layer, slot)));
            previous = layer;
        }
        return settings.constraints() ? LayerPath.constrained(steps) : LayerPath.unconstrained(steps);
    }

    /**
     * The passthrough recipe of a path over this space's models ({@link DataFlowRecipe}): what
     * {@code best.yml} holds for a data-flow result, and what {@link RecipeHash} hashes.
     */
    public MergeConfig recipe(LayerPath path) {
        path.checkAgainst(models.stream().map(DataFlowModel::layers).toList());
        return DataFlowRecipe.toMergeConfig(path, models.stream().map(DataFlowModel::model).toList());
    }

    /** The number of steps of a genome's path (an objective to minimise in multi-objective runs). */
    public int pathLength(double[] genome) {
        return decode(genome).size();
    }

    private double scale(double[] genome, int step, int from, int to, int slot) {
        if (step == 0 && embeddingScaleFixed) {
            return 1.0;
        }
        double gene = switch (settings.scaling()) {
            case MATRIX -> genome[slots + from * stacked + to];
            case PER_STEP -> genome[slots + slot];
            case NONE -> 1.0;
        };
        return Math.min(SCALE_MAX, Math.max(SCALE_MIN, gene));
    }

    private int modelOf(int stackedLayer) {
        int m = 0;
        while (offsets[m + 1] <= stackedLayer) {
            m++;
        }
        return m;
    }

    /** What gene {@code i} sets, e.g. {@code slot 7 (repeat 1, models/b layer 0)}, for reports. */
    public String describeGene(int i) {
        Objects.checkIndex(i, dimension());
        if (i < slots) {
            return "slot " + i + " (repeat " + i / stacked + ", " + describeLayer(i % stacked) + ")";
        }
        int s = i - slots;
        return switch (settings.scaling()) {
            case MATRIX -> "scale of " + describeLayer(s % stacked) + " after "
                    + (s / stacked == stacked ? "the embeddings" : describeLayer(s / stacked));
            case PER_STEP -> "scale of slot " + s;
            case NONE -> throw new IllegalStateException("no scale genes");
        };
    }

    private String describeLayer(int stackedLayer) {
        int m = modelOf(stackedLayer);
        return models.get(m).model() + " layer " + (stackedLayer - offsets[m]);
    }

    @Override
    public String toString() {
        return "DataFlowSpace[M=" + stacked + ", r=" + settings.repeats() + ", T=" + slots + ", "
                + settings.scaling().configName() + (settings.constraints() ? ", constrained" : "") + ", "
                + dimension() + " genes]";
    }
}

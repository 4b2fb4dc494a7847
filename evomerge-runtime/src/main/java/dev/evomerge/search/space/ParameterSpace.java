package dev.evomerge.search.space;

import dev.evomerge.config.InputSlice;
import dev.evomerge.config.MergeConfig;
import dev.evomerge.config.MergeInputs;
import dev.evomerge.config.ModelDefinition;
import dev.evomerge.config.ModelSpec;
import dev.evomerge.config.OutputSlice;
import dev.evomerge.config.ParameterSetting;
import dev.evomerge.config.ParameterSetting.Conditional;
import dev.evomerge.config.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The parameter space ({@code evolutionary-merge.md} §1): a genome of per-model merge parameters that decodes into
 * a mergekit config exactly as mergekit-evolve's {@code ModelGenome.genotype_merge_config} does, so a
 * mergekit-evolve {@code genome:} runs unchanged and gives the same recipes for the same vectors.
 *
 * <p><b>Layout.</b> The genome is the row-major flattening of {@code [G, M, S, P]}: G layer groups
 * ({@code layers / layer_granularity}, or 1), M models, S = {@code filters + 1} parameter sets (one per filter, then
 * the catch-all), P genes per set ({@link PsMethod#genes()}: {@code weight}, then {@code density}; {@code t} for
 * slerp). Gene {@code ((g·M + m)·S + s)·P + p} is parameter p of model m for set s in group g.
 *
 * <p><b>Decoding.</b> density = clamp(|x|, 0, 1); weight = |x| unless {@code allow_negative_weights}. Discrete mode
 * gives one output slice per group, every model over {@code [g·k, (g+1)·k)} with scalar parameters or a filter list
 * {@code [{filter: f1, value}, ..., {value}]}, and the base model appended without parameters when it is not
 * listed. Smooth mode gives {@code models:} with gradients of G values (a single value unwrapped). slerp takes, per
 * group, the two models with the largest first gene in {@code torch.topk}'s order ({@link TorchTopTwo}), sets
 * {@code t = softmax([v1, v2])[1]} and the slice's base to the first of them, and with a {@code tokenizer_source}
 * gives the two sources weights 1−t and t. Every config carries {@code normalize}, {@code int8_mask: true}, the
 * dtype, the base model and the tokenizer source.
 *
 * <p><b>Bounds.</b> mergekit-evolve sets no bounds; its transforms (|x|, the clamp) make any finite vector decode,
 * and so do these, but the optimizers need a box. Densities: [0, 1]. Weights with {@code normalize} (only their
 * ratios count): [0, 1], [−1, 1] with {@code allow_negative_weights}; without it (task_arithmetic, dare_linear,
 * breadcrumbs, breadcrumbs_ties, della, della_linear, unless {@code normalize: true}; a method that normalizes by
 * default keeps [0, 1] under {@code normalize: false}, the box its searches are tuned for):
 * [0, 2], [−2, 2] with {@code allow_negative_weights}, so weights above 1 are reachable. slerp's gene: [0, 7],
 * which reaches every t mergekit-evolve's genes give ({@link #SLERP_GENE_SPAN}).
 *
 * <p>Immutable and thread-safe.
 */
public final class ParameterSpace implements GenomeSpace<MergeConfig> {

    private final GenomeDefinition definition;
    private final PsMethod method;
    private final int layers;
    private final int groups;
    private final int layersPerGroup;
    private final int models;
    private final int sets;
    private final int genesPerSet;

    private ParameterSpace(GenomeDefinition definition, PsMethod method, int layers) {
        this.definition = definition;
        this.method = method;
        this.layers = layers;
        this.groups = definition.layerGranularity() > 0 ? layers / definition.layerGranularity() : 1;
        this.layersPerGroup = layers / groups;
        this.models = definition.models().size();
        this.sets = definition.filters().size() + 1;
        this.genesPerSet = method.genesPerSet();
    }

    /**
     * The space of a genome definition over models of {@code layers} decoder layers (the first model's
     * {@code num_hidden_layers}, as mergekit-evolve reads it).
     *
     * @throws dev.evomerge.diag.ConfigException at the key at fault, for a definition mergekit-evolve refuses or
     *     that would give configs mergekit cannot merge ({@link ParameterSpaceRules})
     */
    public static ParameterSpace of(GenomeDefinition definition, int layers) {
        Objects.requireNonNull(definition, "definition");
        if (layers < 1) {
            throw new IllegalArgumentException("models need at least one layer, got " + layers);
        }
        PsMethod method = ParameterSpaceRules.check(definition, layers);
        return new ParameterSpace(definition, method, layers);
    }

    public GenomeDefinition definition() {
        return definition;
    }

    public PsMethod method() {
        return method;
    }

    /** The layer count of the models, which is also the layer count of every decoded merge. */
    public int layerCount() {
        return layers;
    }

    /** G, the number of layer groups. */
    public int groups() {
        return groups;
    }

    /** M, the number of searched models. */
    public int models() {
        return models;
    }

    /** S, the number of parameter sets per model (filters plus the catch-all). */
    public int parameterSets() {
        return sets;
    }

    /** P, the genes per set. */
    public int genesPerSet() {
        return genesPerSet;
    }

    @Override
    public int dimension() {
        return groups * models * sets * genesPerSet;
    }

    /** The position of a gene in the genome. */
    public int gene(int group, int model, int set, int parameter) {
        Objects.checkIndex(group, groups);
        Objects.checkIndex(model, models);
        Objects.checkIndex(set, sets);
        Objects.checkIndex(parameter, genesPerSet);
        return ((group * models + model) * sets + set) * genesPerSet + parameter;
    }

    /** What gene {@code i} sets, e.g. {@code layers [0, 4) models/a self_attn weight}, for reports. */
    public String describeGene(int i) {
        Objects.checkIndex(i, dimension());
        int p = i % genesPerSet;
        int s = i / genesPerSet % sets;
        int m = i / genesPerSet / sets % models;
        int g = i / genesPerSet / sets / models;
        String filter = s < definition.filters().size() ? definition.filters().get(s) : "*";
        return "layers [" + g * layersPerGroup + ", " + (g + 1) * layersPerGroup + ") " + definition.models().get(m)
                + " " + filter + " " + method.genes().get(p);
    }

    /**
     * The upper bound of slerp's gene: t = softmax([v1, v2])[1] = 1 / (1 + e^(v1 − v2)) reaches 1 / (1 + e^7) ≈
     * 0.0009 at the widest gap, and 0.5 when the two genes are equal, which is the range mergekit-evolve's unbounded
     * genes give ((0, 0.5]; slerp with 1 − t from the other side is the same merge).
     */
    static final double SLERP_GENE_SPAN = 7.0;

    /** The bound of weights that are not normalized: mergekit-evolve lets them grow above 1 (stronger vectors). */
    static final double UNNORMALIZED_WEIGHT_SPAN = 2.0;

    @Override
    public double[] lowerBounds() {
        double[] lower = new double[dimension()];
        for (int i = 0; i < lower.length; i++) {
            lower[i] = isDensity(i) || method.isSlerp() || !definition.allowNegativeWeights() ? 0.0 : -weightSpan();
        }
        return lower;
    }

    @Override
    public double[] upperBounds() {
        double[] upper = new double[dimension()];
        for (int i = 0; i < upper.length; i++) {
            upper[i] = isDensity(i) ? 1.0 : method.isSlerp() ? SLERP_GENE_SPAN : weightSpan();
        }
        return upper;
    }

    /** Whether the decoded config normalizes the weights (only their ratios count then). */
    public boolean normalizes() {
        return definition.normalize().orElse(method.normalizeByDefault());
    }

    private double weightSpan() {
        return normalizes() || method.normalizeByDefault() ? 1.0 : UNNORMALIZED_WEIGHT_SPAN;
    }

    private boolean isDensity(int gene) {
        return method.genes().get(gene % genesPerSet).equals(PsMethod.DENSITY);
    }

    /**
     * The genome a search starts from.
     *
     * @param random the search's generator, drawn from only for {@link InitialPoint#RANDOM}
     */
    public double[] initialPoint(InitialPoint start, RandomGenerator random) {
        Objects.requireNonNull(start, "start");
        double[] x = new double[dimension()];
        switch (start) {
            case MERGEKIT -> {
                // weight (or slerp's gene) first: 1/M; every later gene (density): 1
                for (int i = 0; i < x.length; i++) {
                    x[i] = i % genesPerSet == 0 ? 1.0 / models : 1.0;
                }
            }
            case SAKANA -> Arrays.fill(x, 0.5);
            case RANDOM -> x = randomPoint(Objects.requireNonNull(random, "random"));
        }
        return x;
    }

    @Override
    public MergeConfig decode(double[] genome) {
        GenomeSpace.checkGenome(genome, dimension());
        MergeInputs inputs;
        if (method.isSlerp()) {
            inputs = MergeInputs.Slices.of(slerpSlices(genome));
        } else if (definition.smooth()) {
            inputs = MergeInputs.Models.of(smoothModels(genome));
        } else {
            inputs = MergeInputs.Slices.of(discreteSlices(genome));
        }
        boolean normalize = normalizes();
        Map<String, ParameterSetting> fixed = new LinkedHashMap<>();
        fixed.put("normalize", ParameterSetting.scalar(normalize ? 1.0 : 0.0));
        fixed.put("int8_mask", ParameterSetting.scalar(1.0));
        return MergeConfig.of(method.name(), inputs)
                .withBaseModel(definition.baseModel().orElse(null))
                .withParameters(Parameters.of(fixed))
                .withDtype(definition.dtype())
                .withTokenizer(definition.tokenizerSource().orElse(null));
    }

    /** The decoded value of one gene: mergekit-evolve's transforms. */
    private double value(double[] genome, int group, int model, int set, int parameter) {
        double x = genome[gene(group, model, set, parameter)];
        String name = method.genes().get(parameter);
        if (name.equals(PsMethod.DENSITY)) {
            return Math.min(Math.abs(x), 1.0);
        }
        return definition.allowNegativeWeights() ? x : Math.abs(x);
    }

    private List<OutputSlice> discreteSlices(double[] genome) {
        List<OutputSlice> slices = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            int start = g * layersPerGroup;
            int end = start + layersPerGroup;
            List<InputSlice> sources = new ArrayList<>();
            for (int m = 0; m < models; m++) {
                final int group = g;
                final int model = m;
                sources.add(InputSlice.of(definition.models().get(m), start, end,
                        parameters((set, p) -> ParameterSetting.scalar(value(genome, group, model, set, p)))));
            }
            baseIfNotListed().ifPresent(base -> sources.add(InputSlice.of(base, start, end)));
            slices.add(OutputSlice.of(sources));
        }
        return slices;
    }

    private List<ModelDefinition> smoothModels(double[] genome) {
        List<ModelDefinition> out = new ArrayList<>();
        for (int m = 0; m < models; m++) {
            final int model = m;
            out.add(ModelDefinition.of(definition.models().get(m), parameters((set, p) -> {
                double[] perGroup = new double[groups];
                for (int g = 0; g < groups; g++) {
                    perGroup[g] = value(genome, g, model, set, p);
                }
                // mergekit-evolve unwraps a one-element list into a plain number
                return groups == 1 ? ParameterSetting.scalar(perGroup[0]) : ParameterSetting.gradient(perGroup);
            })));
        }
        baseIfNotListed().ifPresent(base -> out.add(ModelDefinition.of(base, Parameters.NONE)));
        return out;
    }

    /** A setting for parameter set s and gene p of one model. */
    private interface SettingOf {
        ParameterSetting of(int set, int parameter);
    }

    /** One model's parameters: per gene a scalar, or with filters a list {@code [{filter, value}, ..., {value}]}. */
    private Parameters parameters(SettingOf setting) {
        Map<String, ParameterSetting> params = new LinkedHashMap<>();
        for (int p = 0; p < genesPerSet; p++) {
            if (sets == 1) {
                params.put(method.genes().get(p), setting.of(0, p));
            } else {
                List<Conditional.Entry> entries = new ArrayList<>();
                for (int s = 0; s < sets; s++) {
                    String filter = s < definition.filters().size() ? definition.filters().get(s) : null;
                    entries.add(new Conditional.Entry(filter, setting.of(s, p)));
                }
                params.put(method.genes().get(p), new Conditional(entries));
            }
        }
        return Parameters.of(params);
    }

    private List<OutputSlice> slerpSlices(double[] genome) {
        List<OutputSlice> slices = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            int start = g * layersPerGroup;
            int end = start + layersPerGroup;
            double[] first = new double[models];
            for (int m = 0; m < models; m++) {
                first[m] = genome[gene(g, m, 0, 0)];
            }
            int[] top = TorchTopTwo.of(first);
            double t = secondSoftmax(first[top[0]], first[top[1]]);
            ModelSpec a = definition.models().get(top[0]);
            ModelSpec b = definition.models().get(top[1]);
            List<InputSlice> sources = new ArrayList<>();
            if (definition.tokenizerSource().isPresent()) {
                sources.add(InputSlice.of(a, start, end, Parameters.of(PsMethod.WEIGHT,
                        ParameterSetting.scalar(1 - t))));
                sources.add(InputSlice.of(b, start, end, Parameters.of(PsMethod.WEIGHT, ParameterSetting.scalar(t))));
            } else {
                sources.add(InputSlice.of(a, start, end));
                sources.add(InputSlice.of(b, start, end));
            }
            slices.add(OutputSlice.of(sources, Parameters.of(PsMethod.T, ParameterSetting.scalar(t))).withBaseModel(a));
        }
        return slices;
    }

    /**
     * {@code softmax([a, b])[1]} in torch's order of operations: subtract the maximum, exponentiate, sum, multiply
     * by the reciprocal of the sum.
     */
    static double secondSoftmax(double a, double b) {
        double max = Math.max(a, b);
        double ea = StrictMath.exp(a - max);
        double eb = StrictMath.exp(b - max);
        double inverse = 1 / (ea + eb);
        return eb * inverse;
    }

    /** The base model, when it is set and not among the searched models (it then joins every slice). */
    private Optional<ModelSpec> baseIfNotListed() {
        return definition.baseModel().filter(base -> !definition.models().contains(base));
    }

    /** The dimension and layout, for messages and logs. */
    @Override
    public String toString() {
        return "ParameterSpace[" + method.name() + ", G=" + groups + ", M=" + models + ", S=" + sets + ", P="
                + genesPerSet + ", " + dimension() + " genes]";
    }
}

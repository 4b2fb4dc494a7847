package dev.evomerge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evomerge.config.ParameterSetting.Conditional.Entry;
import dev.evomerge.event.Event;
import dev.evomerge.model.ModelReference;
import dev.evomerge.tensor.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class MergeConfigReaderTest {

    private static final Path FILE = Path.of("merge.yml");

    private final List<String> warnings = new ArrayList<>();

    private MergeConfig parse(String yaml) {
        return MergeConfigFile.parse(yaml, FILE, e -> warnings.add(((Event.Warning) e).text())).config();
    }

    @Test
    void parse_modelsForm_readsEveryTopLevelKey() {
        MergeConfig c = parse("""
                models:
                  - model: org/a
                    parameters:
                      weight: 0.6
                      density: [0.2, 0.8]
                  - model: org/b@v1.0
                    parameters:
                      weight: 0.4
                merge_method: ties
                base_model: org/base
                parameters:
                  normalize: true
                  int8_mask: false
                dtype: torch.bfloat16
                out_dtype: float16
                tokenizer_source: base
                chat_template: chatml
                """);
        assertEquals("ties", c.mergeMethod());
        assertEquals(new SourceLocationView(9, 15), SourceLocationView.of(c.mergeMethodLocation()));
        var models = assertInstanceOf(MergeInputs.Models.class, c.inputs()).models();
        assertEquals(2, models.size());
        assertEquals(new ModelReference("org/b", "v1.0", null), models.get(1).model().reference());
        assertEquals(ParameterSetting.scalar(0.6), models.get(0).parameters().get("weight").orElseThrow());
        assertEquals(ParameterSetting.gradient(0.2, 0.8), models.get(0).parameters().get("density").orElseThrow());
        assertEquals(new SourceLocationView(2, 5), SourceLocationView.of(models.get(0).location()));
        assertEquals("models[1]", models.get(1).location().documentPath());
        assertEquals(Optional.of(ModelSpec.of("org/base")), c.baseModel());
        assertEquals(ParameterSetting.scalar(1.0), c.parameters().get("normalize").orElseThrow());
        assertEquals(ParameterSetting.scalar(0.0), c.parameters().get("int8_mask").orElseThrow());
        assertEquals("parameters.normalize", c.parameters().locationOf("normalize").orElseThrow().documentPath());
        assertEquals(DType.BF16, c.dtype().orElseThrow().dtype());
        assertEquals("torch.bfloat16", c.dtype().orElseThrow().name());
        assertEquals(DType.F16, c.outDtype().orElseThrow().dtype());
        assertEquals(new TokenizerSetting.Base(), c.tokenizer().orElseThrow().source());
        assertTrue(c.tokenizer().orElseThrow().legacyKey());
        assertEquals(ChatTemplate.Kind.BUILT_IN, c.chatTemplate().orElseThrow().kind());
        assertEquals(List.of(), warnings);
    }

    @Test
    void parse_slicesForm_keepsRangesSliceBaseAndResidualWeight() {
        MergeConfig c = parse("""
                merge_method: slerp
                slices:
                  - sources:
                      - model: a
                        layer_range: [0, 4]
                      - model: b
                        layer_range: ['4', 8.0]
                        parameters:
                          t: 0.25
                    base_model: a
                    residual_weight: '0.5'
                    parameters:
                      t: [0, 1]
                """);
        OutputSlice slice = assertInstanceOf(MergeInputs.Slices.class, c.inputs()).slices().getFirst();
        assertEquals(new LayerRange(0, 4), slice.sources().get(0).layerRange());
        assertEquals(new LayerRange(4, 8), slice.sources().get(1).layerRange(), "numeric text and 8.0 coerce");
        assertEquals(Optional.of(ModelSpec.of("a")), slice.baseModel());
        assertEquals(OptionalDouble.of(0.5), slice.residualWeight());
        assertEquals(ParameterSetting.gradient(0, 1), slice.parameters().get("t").orElseThrow());
        assertEquals(ParameterSetting.scalar(0.25), slice.sources().get(1).parameters().get("t").orElseThrow());
        assertEquals("slices[0].sources[1]", slice.sources().get(1).location().documentPath());
        assertEquals(4, slice.layerCount());
    }

    @Test
    void parse_modelReferenceForms_allRead() {
        MergeConfig c = parse("""
                merge_method: linear
                models:
                  - model: org/m@main+org/lora@v2
                  - model:
                      model: {path: ./local, revision: abc}
                      lora: org/l
                      override_architecture: MistralForCausalLM
                  - model: {model: org/x@r1}
                  - model: {model: {path: a@b}}
                """);
        var models = ((MergeInputs.Models) c.inputs()).models();
        assertEquals(new ModelReference("org/m", "main", new ModelReference("org/lora", "v2", null)),
                models.get(0).model().reference());
        ModelSpec second = models.get(1).model();
        assertEquals(new ModelReference("./local", "abc", ModelReference.of("org/l")), second.reference());
        assertEquals(Optional.of("MistralForCausalLM"), second.overrideArchitectureOpt());
        assertEquals(new ModelReference("org/x", "r1", null), models.get(2).model().reference());
        assertEquals(ModelReference.of("a@b"), models.get(3).model().reference(),
                "the mapping form's path is taken as is");
    }

    @Test
    void parse_modelSpecEquality_ignoresFormAndPosition() {
        MergeConfig c = parse("""
                merge_method: task_arithmetic
                base_model: {model: {path: org/base}}
                models:
                  - model: org/base
                  - model: org/base
                    parameters: {weight: 1}
                """);
        var models = ((MergeInputs.Models) c.inputs()).models();
        assertEquals(c.baseModel().orElseThrow(), models.get(0).model());
        assertEquals(1, c.referencedModels().size());
    }

    @Test
    void parse_parameterCoercions_followPydantic() {
        MergeConfig c = parse("""
                merge_method: linear
                models:
                  - model: a
                    parameters:
                      weight: '0.5'
                      density: [0, '0.5', true, 1e-3, 1_000]
                      epsilon: ' 1e3 '
                      lambda: .inf
                      gamma: 0x10
                """);
        Parameters p = ((MergeInputs.Models) c.inputs()).models().getFirst().parameters();
        assertEquals(ParameterSetting.scalar(0.5), p.get("weight").orElseThrow());
        assertEquals(ParameterSetting.gradient(0, 0.5, 1, 0.001, 1000), p.get("density").orElseThrow());
        assertEquals(ParameterSetting.scalar(1000), p.get("epsilon").orElseThrow());
        assertEquals(ParameterSetting.scalar(Double.POSITIVE_INFINITY), p.get("lambda").orElseThrow());
        assertEquals(ParameterSetting.scalar(16), p.get("gamma").orElseThrow());
    }

    @Test
    void parse_conditionalList_keepsOrderFiltersAndGradients() {
        MergeConfig c = parse("""
                merge_method: slerp
                base_model: a
                models: [{model: a}, {model: b}]
                parameters:
                  t:
                    - filter: self_attn
                      value: [0, 0.5, 1]
                    - filter: '*'
                      value: 0.7
                    - value: 0.3
                      filter: null
                """);
        assertEquals(ParameterSetting.conditional(Entry.of("self_attn", ParameterSetting.gradient(0, 0.5, 1)),
                Entry.of("*", ParameterSetting.scalar(0.7)), Entry.always(ParameterSetting.scalar(0.3))),
                c.parameters().get("t").orElseThrow());
    }

    @Test
    void parse_singleModule_readsBodyAndModuleParameters() {
        MergeConfig c = parse("""
                merge_method: linear
                modules:
                  default:
                    models:
                      - model: a
                      - model: b
                    parameters:
                      weight: 0.5
                """);
        var module = assertInstanceOf(MergeInputs.Module.class, c.inputs());
        assertEquals("default", module.name());
        assertEquals(2, assertInstanceOf(MergeInputs.Models.class, module.body()).models().size());
        assertEquals(ParameterSetting.scalar(0.5), module.parameters().get("weight").orElseThrow());
    }

    @Test
    void parse_tokenizerBlockAndTemplates_read() {
        MergeConfig c = parse("""
                merge_method: linear
                models: [{model: a}, {model: b}]
                tokenizer:
                  source: {model: b}
                  tokens: {}
                chat_template: "{% for m in messages %}{{ m.content }}{% endfor %}"
                """);
        TokenizerSetting t = c.tokenizer().orElseThrow();
        assertEquals(Optional.of(ModelSpec.of("b")), t.model());
        assertTrue(!t.legacyKey());
        assertEquals(ChatTemplate.Kind.LITERAL, c.chatTemplate().orElseThrow().kind());
        assertEquals(ChatTemplate.Kind.AUTO, parse("merge_method: linear\nmodels: [{model: a}]\n"
                + "chat_template: auto\n").chatTemplate().orElseThrow().kind());
    }

    @Test
    void parse_emptyInputListBesideAnother_countsAsAbsent() {
        MergeConfig c = parse("""
                merge_method: passthrough
                models: []
                slices:
                  - sources: [{model: a, layer_range: [0, 2]}]
                """);
        assertInstanceOf(MergeInputs.Slices.class, c.inputs());
    }

    @Test
    void parse_unknownKeys_warnedAtTheirPositions() {
        parse("""
                merge_method: linear
                models:
                  - model: a
                    layer_range: [0, 2]
                    paramters: {weight: 1}
                  - model: b
                    parameters:
                      weight: [{filter: mlp, value: 1, note: x}]
                dtpye: float16
                """);
        assertEquals(List.of(
                "merge.yml:9:1 (dtpye): unknown key 'dtpye' is ignored",
                "merge.yml:4:5 (models[0].layer_range): 'layer_range' is ignored under models: (each model is"
                        + " merged whole)",
                "merge.yml:5:5 (models[0].paramters): unknown key 'paramters' is ignored",
                "merge.yml:8:40 (models[1].parameters.weight[0].note): unknown key 'note' is ignored"), warnings);
    }

    @Test
    void parse_repeatedModel_warned() {
        parse("merge_method: linear\nmodels:\n  - model: a\n  - model: b\n  - model: a\n");
        assertEquals(List.of("merge.yml:5:12 (models[2].model): model 'a' is listed more than once here; mergekit"
                + " merges each model once per tensor, taking its parameters from the first entry that sets them"),
                warnings);
    }

    @Test
    void parse_emptyChatTemplate_ignoredWithWarning() {
        MergeConfig c = parse("merge_method: linear\nmodels: [{model: a}]\nchat_template: ''\n");
        assertEquals(Optional.empty(), c.chatTemplate());
        assertEquals(List.of("merge.yml:3:16 (chat_template): an empty chat_template is ignored"), warnings);
    }

    @Test
    void referencedModels_baseFirstThenYamlOrder() {
        MergeConfig c = parse("""
                merge_method: ties
                base_model: base
                models: [{model: b}, {model: a}, {model: base}, {model: b}]
                """);
        assertEquals(List.of(ModelSpec.of("base"), ModelSpec.of("b"), ModelSpec.of("a")),
                List.copyOf(c.referencedModels()));
        assertEquals(ModelSpec.of("base"), c.donorModel());
        assertEquals(ModelSpec.of("b"), parse("merge_method: linear\nmodels: [{model: b}, {model: a}]\n")
                .donorModel());
    }

    /** Line and column only, to compare positions without repeating the file. */
    private record SourceLocationView(int line, int column) {
        static SourceLocationView of(dev.evomerge.diag.SourceLocation l) {
            return new SourceLocationView(l.line(), l.column());
        }
    }
}

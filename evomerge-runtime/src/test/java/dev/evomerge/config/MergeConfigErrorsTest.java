package dev.evomerge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evomerge.diag.ConfigException;
import dev.evomerge.event.EventListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every config mistake of mergekit-semantics.md §1.7 that the config alone shows, and the ones evomerge adds, each
 * with its exact one-line message: file, line, column, key path, what is wrong and what to do.
 */
class MergeConfigErrorsTest {

    private static String error(String yaml) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> MergeConfigFile.parse(yaml, Path.of("merge.yml"), EventListener.NONE));
        return e.userMessage();
    }

    @Test
    void parse_modelsAndSlices_exactlyOneRequired() {
        assertEquals("merge.yml:3:1 (slices): Exactly one of 'models', 'slices', or 'modules' must be present;"
                + " keep one of models and slices (models: merges whole models, slices: assembles layer ranges)",
                error("""
                        merge_method: linear
                        models: [{model: a}]
                        slices: [{sources: [{model: a, layer_range: [0, 1]}]}]
                        """));
    }

    @Test
    void parse_noInputs_exactlyOneRequired() {
        assertEquals("merge.yml:1:1: Exactly one of 'models', 'slices', or 'modules' must be present; add models:"
                + " to merge whole models, or slices: to assemble layer ranges",
                error("merge_method: linear\nmodels: []\n"));
    }

    @Test
    void parse_tokenizerAndTokenizerSource_refused() {
        assertEquals("merge.yml:4:1 (tokenizer): Cannot specify both tokenizer_source and tokenizer; keep one:"
                + " tokenizer_source: X is the older spelling of tokenizer: {source: X}",
                error("""
                        merge_method: linear
                        models: [{model: a}]
                        tokenizer_source: base
                        tokenizer: {source: base}
                        """));
    }

    @Test
    void parse_missingMergeMethod_refused() {
        assertEquals("merge.yml:1:1: 'merge_method' is required; name the merge method, for example"
                + " merge_method: linear", error("models: [{model: a}]\n"));
    }

    @Test
    void parse_mergeMethodNotText_refused() {
        assertEquals("merge.yml:1:15 (merge_method): expected a merge method name but found the value 5; put it in"
                + " quotes if it is meant as text", error("merge_method: 5\nmodels: [{model: a}]\n"));
    }

    @Test
    void parse_nonNumericParameter_refusedAtItsPosition() {
        assertEquals("merge.yml:5:25 (models[0].parameters.consensus_method): parameter 'consensus_method':"
                + " expected a number but found the text 'count'; merge parameters are numbers (true and false"
                + " mean 1 and 0)",
                error("""
                        merge_method: ties
                        models:
                          - model: a
                            parameters:
                              consensus_method: count
                        """));
    }

    @Test
    void parse_nonNumericGradientItem_refusedAtTheItem() {
        assertEquals("merge.yml:2:26 (parameters.weight[1]): parameter 'weight': expected a number but found the"
                + " text 'half'; merge parameters are numbers (true and false mean 1 and 0)",
                error("merge_method: linear\nparameters: {weight: [0, half]}\nmodels: [{model: a}]\n"));
    }

    @Test
    void parse_bareConditionalMapping_refused() {
        assertEquals("merge.yml:5:15 (models[0].parameters.weight): parameter 'weight': a {filter, value} entry"
                + " must be written inside a list; put '- ' before it to make it a list item (mergekit reads the"
                + " bare form but fails when it uses it)",
                error("""
                        merge_method: linear
                        models:
                          - model: a
                            parameters:
                              weight: {value: 1, filter: mlp}
                        """));
    }

    @Test
    void parse_nullParameter_refused() {
        assertEquals("merge.yml:2:22 (parameters.weight): parameter 'weight' has no value; give a number, a list"
                + " of numbers (a gradient), or a list of {filter, value} entries",
                error("merge_method: linear\nparameters: {weight: null}\nmodels: [{model: a}]\n"));
    }

    @Test
    void parse_emptyParameterList_refused() {
        assertEquals("merge.yml:2:22 (parameters.weight): parameter 'weight' is an empty list; give a number, a"
                + " list of numbers (a gradient), or a list of {filter, value} entries",
                error("merge_method: linear\nparameters: {weight: []}\nmodels: [{model: a}]\n"));
    }

    @Test
    void parse_mixedParameterList_refused() {
        assertEquals("merge.yml:2:22 (parameters.weight): parameter 'weight' mixes numbers and {filter, value}"
                + " entries in one list; a list is either a gradient of numbers or a list of {filter, value}"
                + " entries",
                error("merge_method: linear\nparameters: {weight: [0, {value: 1}]}\nmodels: [{model: a}]\n"));
    }

    @Test
    void parse_conditionalWithoutValue_refused() {
        assertEquals("merge.yml:2:23 (parameters.weight[0]): parameter 'weight': a {filter, value} entry needs a"
                + " 'value'; add value: followed by a number or a list of numbers",
                error("merge_method: linear\nparameters: {weight: [{filter: mlp}]}\nmodels: [{model: a}]\n"));
    }

    @Test
    void parse_nestedConditional_refused() {
        assertEquals("merge.yml:2:31 (parameters.weight[0].value): parameter 'weight': the value of a {filter,"
                + " value} entry must be a number or a list of numbers but is a list of entries",
                error("merge_method: linear\nparameters: {weight: [{value: [{value: 1}]}]}\n"
                        + "models: [{model: a}]\n"));
    }

    @Test
    void parse_numericFilter_refused() {
        assertEquals("merge.yml:2:32 (parameters.weight[0].filter): parameter 'weight': a filter must be text but"
                + " is the value 1; put it in quotes (a filter is matched as a substring of tensor names)",
                error("merge_method: linear\nparameters: {weight: [{filter: 1, value: 1}]}\n"
                        + "models: [{model: a}]\n"));
    }

    @Test
    void parse_unequalSliceLengths_refusedAtTheSlice() {
        assertEquals("merge.yml:4:5 (slices[1]): All inputs to a slice must contain the same number of layers: a"
                + " [2, 4) has 2, b [0, 3) has 3; make every source of the slice span as many layers as the others",
                error("""
                        merge_method: linear
                        slices:
                          - sources: [{model: a, layer_range: [0, 2]}]
                          - sources:
                              - model: a
                                layer_range: [2, 4]
                              - model: b
                                layer_range: [0, 3]
                        """));
    }

    @Test
    void parse_layerRangeWrongLength_refused() {
        assertEquals("merge.yml:3:39 (slices[0].sources[0].layer_range): layer_range must be [start, end] but is a"
                + " list of 3; give two layer numbers, end exclusive, for example [0, 16]",
                error(slice("[0, 1, 2]")));
    }

    @Test
    void parse_layerRangeNotWhole_refused() {
        assertEquals("merge.yml:3:40 (slices[0].sources[0].layer_range[0]): expected a whole number but found 0.5",
                error(slice("[0.5, 2]")));
    }

    @Test
    void parse_layerRangeBackwards_refused() {
        assertEquals("merge.yml:3:39 (slices[0].sources[0].layer_range): layer_range [3, 1] is empty: the end is"
                + " exclusive and must be above the start; for layers 2 to 5 write [2, 6]",
                error(slice("[3, 1]")));
    }

    @Test
    void parse_layerRangeNegative_refused() {
        assertEquals("merge.yml:3:39 (slices[0].sources[0].layer_range): layer_range [-1, 2] has a negative layer"
                + " number; layers are numbered from 0", error(slice("[-1, 2]")));
    }

    @Test
    void parse_layerRangeMissing_refused() {
        assertEquals("merge.yml:3:15 (slices[0].sources[0]): 'layer_range' is required; give the layers to take"
                + " as [start, end], end exclusive, for example layer_range: [0, 16]",
                error("merge_method: passthrough\nslices:\n  - sources: [{model: a}]\n"));
    }

    @Test
    void parse_sliceWithoutSources_refused() {
        assertEquals("merge.yml:3:14 (slices[0].sources): a slice needs at least one source",
                error("merge_method: passthrough\nslices:\n  - sources: []\n"));
    }

    @Test
    void parse_badDtype_namesTheAllowedValues() {
        assertEquals("merge.yml:3:8 (dtype): Unimplemented dtype \"bf16\"; did you mean bfloat16? use bfloat16,"
                + " float16, float32 or int64 (optionally prefixed with torch.)",
                error("merge_method: linear\nmodels: [{model: a}]\ndtype: bf16\n"));
        assertEquals("merge.yml:3:12 (out_dtype): Unimplemented dtype \"float8\"; use bfloat16, float16, float32 or"
                + " int64 (optionally prefixed with torch.)",
                error("merge_method: linear\nmodels: [{model: a}]\nout_dtype: torch.float8\n"));
    }

    @Test
    void parse_badChatTemplate_refused() {
        assertEquals("merge.yml:3:16 (chat_template): Invalid chat template: vicuna; use auto, one of alpaca,"
                + " chatml, exaone, llama3, mistral, or a Jinja template (at least 20 characters, with '{')",
                error("merge_method: linear\nmodels: [{model: a}]\nchat_template: vicuna\n"));
        assertEquals("merge.yml:3:16 (chat_template): Invalid chat template: {{ short }}; use auto, one of alpaca,"
                + " chatml, exaone, llama3, mistral, or a Jinja template (at least 20 characters, with '{')",
                error("merge_method: linear\nmodels: [{model: a}]\nchat_template: '{{ short }}'\n"));
    }

    @Test
    void parse_modelReferenceWithSeveralAts_refused() {
        assertEquals("merge.yml:2:18 (models[0].model): Invalid model path '@@': more than one '@'; write"
                + " path[@revision][+lora_path[@revision]], or a mapping with 'model' (and optionally 'lora' and"
                + " 'override_architecture')",
                error("merge_method: linear\nmodels: [{model: '@@'}]\n"));
    }

    @Test
    void parse_modelReferenceWithSeveralPluses_refused() {
        assertEquals("merge.yml:2:13 (base_model): Can't parse model reference 'a+b+c': more than one '+'; write"
                + " path[@revision][+lora_path[@revision]], or a mapping with 'model' (and optionally 'lora' and"
                + " 'override_architecture')",
                error("merge_method: linear\nbase_model: a+b+c\nmodels: [{model: a}]\n"));
    }

    @Test
    void parse_modelPathMappingWithSeveralAts_refused() {
        assertEquals("merge.yml:2:26 (models[0].model.model): Invalid model path 'a@b@c': more than one '@'; write"
                + " path[@revision][+lora_path[@revision]], or a mapping with 'model' (and optionally 'lora' and"
                + " 'override_architecture')",
                error("merge_method: linear\nmodels: [{model: {model: a@b@c}}]\n"));
    }

    @Test
    void parse_modelMissing_refused() {
        assertEquals("merge.yml:3:5 (models[0]): 'model' is required",
                error("merge_method: linear\nmodels:\n  - parameters: {weight: 1}\n"));
    }

    @Test
    void parse_modelsEntryNotMapping_refused() {
        assertEquals("merge.yml:2:10 (models[0]): expected a mapping (key: value) but found the text 'org/a';"
                + " write each model as '- model: org/name'", error("merge_method: linear\nmodels: [org/a]\n"));
    }

    @Test
    void parse_severalModules_refused() {
        assertEquals("merge.yml:2:1 (modules): multi-module configs are not supported yet (found modules"
                + " text_decoder, vision_tower); evomerge merges single-module (decoder-only) models; write models:"
                + " or slices: at the top level",
                error("""
                        merge_method: linear
                        modules:
                          text_decoder: {models: [{model: a}]}
                          vision_tower: {models: [{model: a}]}
                        """));
    }

    @Test
    void parse_moduleNotDefault_refused() {
        assertEquals("merge.yml:3:3 (modules.decoder): module 'decoder' does not exist; a single-module"
                + " architecture has one module, named 'default'",
                error("merge_method: linear\nmodules:\n  decoder: {models: [{model: a}]}\n"));
    }

    @Test
    void parse_moduleWithModelsAndSlices_refused() {
        assertEquals("merge.yml:4:5 (modules.default): Must specify either output slices or models to merge; give"
                + " the module either models: or slices:, not both",
                error("""
                        merge_method: linear
                        modules:
                          default:
                            models: [{model: a}]
                            slices: [{sources: [{model: a, layer_range: [0, 1]}]}]
                        """));
    }

    @Test
    void parse_tokenizerUnion_refused() {
        assertEquals("merge.yml:3:19 (tokenizer_source): tokenizer_source 'union' is not supported yet; use 'base'"
                + " (the base model's tokenizer) or a model reference",
                error("merge_method: linear\nmodels: [{model: a}]\ntokenizer_source: union\n"));
        assertEquals("merge.yml:3:12 (tokenizer): tokenizer source 'union' (the default when 'source' is not given)"
                + " is not supported yet; add source: base, or source: with a model reference",
                error("merge_method: linear\nmodels: [{model: a}]\ntokenizer: {pad_to_multiple_of: null}\n"));
    }

    @Test
    void parse_tokenizerTokensAndPadding_refused() {
        assertEquals("merge.yml:5:11 (tokenizer.tokens): per-token embedding overrides ('tokens') are not supported"
                + " yet; remove 'tokens'; the output vocabulary is then the source tokenizer's",
                error("""
                        merge_method: linear
                        models: [{model: a}]
                        tokenizer:
                          source: base
                          tokens: {"<|im_start|>": {source: a}}
                        """));
        assertEquals("merge.yml:3:47 (tokenizer.pad_to_multiple_of): 'pad_to_multiple_of' is not supported yet;"
                + " remove it",
                error("merge_method: linear\nmodels: [{model: a}]\ntokenizer: {source: base, pad_to_multiple_of:"
                        + " 64}\n"));
    }

    @Test
    void parse_rootNotMapping_refused() {
        assertEquals("merge.yml:1:1: a merge config must be a mapping (key: value) but is a list",
                error("- merge_method: linear\n"));
    }

    @Test
    void parse_parametersNotMapping_refused() {
        assertEquals("merge.yml:2:13 (parameters): 'parameters' must be a mapping of parameter names to values but"
                + " is a list", error("merge_method: linear\nparameters: [1]\nmodels: [{model: a}]\n"));
    }

    private static String slice(String range) {
        return "merge_method: passthrough\nslices:\n  - sources: [{model: a, layer_range: " + range + "}]\n";
    }
}

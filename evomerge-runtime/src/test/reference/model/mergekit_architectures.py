"""Writes the tensor lists mergekit's own architecture definitions give for the families evomerge ships.

Run from the repository root:
    PYTHONPATH=/work/refs/shims:/work/refs/mergekit /work/venv/bin/python \
        evomerge-runtime/src/test/reference/model/mergekit_architectures.py \
        > evomerge-runtime/src/test/resources/model/mergekit-architectures.json

For each family it builds a transformers config with 3 layers, asks mergekit which architecture that config selects
and expands its weights; ArchitecturesTest compares our data files against the result.
"""
import json
import sys

from transformers import AutoConfig

from mergekit.architecture import arch_info_for_config

FAMILIES = {
    "llama": "LlamaForCausalLM",
    "mistral": "MistralForCausalLM",
    "qwen2": "Qwen2ForCausalLM",
    "qwen3": "Qwen3ForCausalLM",
    "gemma2": "Gemma2ForCausalLM",
}
LAYERS = 3


def main():
    out = {}
    for model_type, cls in FAMILIES.items():
        config = AutoConfig.for_model(model_type, num_hidden_layers=LAYERS, architectures=[cls])
        arch = arch_info_for_config(config)
        weights = []
        for w in arch.all_weights(config):
            weights.append({
                "name": w.name,
                "is_embed": w.is_embed,
                "optional": w.optional,
                "aliases": list(w.aliases or []),
                "tied_names": list(w.tied_names or []),
            })
        module = next(iter(arch.modules.values())).architecture
        out[model_type] = {
            "model_type": arch.expected_model_type,
            "architectures": list(arch.architectures),
            "num_layers_config_key": module.num_layers_config_key(),
            "layers": LAYERS,
            "weights": weights,
        }
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

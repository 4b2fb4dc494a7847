"""Golden files for the data-flow export: tiny models, and what mergekit makes of evomerge's exported recipes.

Two steps, each writing under src/test/resources/space/dfs/:

  models    Tiny random float32 models, saved with save_pretrained(safe_serialization=True):
            models/a (llama, 3 layers) and models/b (llama, 2 layers), untied, with a tiny word-level tokenizer in
            models/a; models/t (qwen2, 3 layers) and models/u (qwen2, 2 layers), tied embeddings, q/k/v biases,
            a tokenizer in models/t; models/h (llama, 2 layers) stored as bfloat16, where a folded scale is
            rounded back to bfloat16. Hidden size 8, so each model is a few KB.

  mergekit  Runs mergekit (mergekit-yaml's code) on every recipes/<case>.yml, the passthrough configs evomerge's
            DataFlowRecipe wrote (DataFlowExportGoldenTest writes them to target/space-dfs/recipes/; copy them
            here when the paths or the exporter change), from the dfs/ directory so that `models/a` resolves, and
            keeps its model.safetensors, config.json and copied tokenizer files as mergekit/<case>/.

Rerun from the repository root:
    /work/venv/bin/python evomerge-runtime/src/test/reference/space/dfs_reference.py models
    ./mvnw -B -o -pl evomerge-runtime test -Dtest=DataFlowExportGoldenTest   # fails until the recipes are copied
    cp evomerge-runtime/target/space-dfs/recipes/*.yml evomerge-runtime/src/test/resources/space/dfs/recipes/
    PYTHONPATH=/work/refs/shims:/work/refs/mergekit /work/venv/bin/python \
        evomerge-runtime/src/test/reference/space/dfs_reference.py mergekit
"""

import json
import os
import pathlib
import shutil
import sys
import tempfile

import torch
from tokenizers import Tokenizer, models as tok_models, pre_tokenizers
from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

DFS = pathlib.Path(__file__).resolve().parents[2] / "resources" / "space" / "dfs"
VOCAB = 32
COMMON = dict(hidden_size=8, intermediate_size=16, num_attention_heads=2, num_key_value_heads=1, vocab_size=VOCAB,
              max_position_embeddings=64, rms_norm_eps=1e-5, bos_token_id=1, eos_token_id=2)

MODELS = {
    # name: (config class, model class, layers, tied, seed, tokenizer[, stored dtype])
    "a": (LlamaConfig, LlamaForCausalLM, 3, False, 101, True),
    "b": (LlamaConfig, LlamaForCausalLM, 2, False, 102, False),
    "t": (Qwen2Config, Qwen2ForCausalLM, 3, True, 103, True),
    "u": (Qwen2Config, Qwen2ForCausalLM, 2, True, 104, False),
    "h": (LlamaConfig, LlamaForCausalLM, 2, False, 105, False, torch.bfloat16),
}


def randomize(model, seed):
    """Weights large enough that the logits are far from uniform and the scales visibly matter."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                v = 1.0 + 0.2 * torch.randn(p.shape, generator=g)
            elif name.endswith("bias"):
                v = 0.3 * torch.randn(p.shape, generator=g)
            else:
                v = torch.randn(p.shape, generator=g) / (p.shape[-1] ** 0.5 if p.dim() > 1 else 1.0)
                if "embed" in name:
                    v = torch.randn(p.shape, generator=g)
            p.copy_(v)


def write_tokenizer(out):
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for i, word in enumerate("the a of to and in is it that for was on are with as be at by this had not".split()):
        vocab[word] = 3 + i
    tok = Tokenizer(tok_models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.save(str(out / "tokenizer.json"))
    with open(out / "tokenizer_config.json", "w", encoding="utf-8") as f:
        json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "unk_token": "<unk>", "bos_token": "<s>",
                   "eos_token": "</s>", "model_max_length": 64}, f, indent=2)
        f.write("\n")


def make_models():
    for name, (config_class, model_class, layers, tied, seed, tokenizer, *dtype) in MODELS.items():
        out = DFS / "models" / name
        if out.exists():
            shutil.rmtree(out)
        config = config_class(num_hidden_layers=layers, tie_word_embeddings=tied, **COMMON)
        torch.manual_seed(seed)
        model = model_class(config).to(torch.float32)
        randomize(model, seed)
        if dtype:
            model = model.to(dtype[0])
        model.save_pretrained(out, safe_serialization=True)
        (out / "generation_config.json").unlink(missing_ok=True)
        if tokenizer:
            write_tokenizer(out)
        print(f"wrote {out}: {sorted(p.name for p in out.iterdir())}")


def layer_types_per_step(config):
    """The source layer's entry of `layer_types` for every output layer (None when the models have none)."""
    out = []
    for s in config.slices:
        source = s.sources[0]
        types = getattr(source.model.config(), "layer_types", None)
        for layer in range(*source.layer_range):
            out.append(types[layer] if types else None)
    return None if None in out else out


def run_mergekit():
    """Runs mergekit-yaml's code in this process, so that one transformers 5 gap can be bridged.

    transformers 5 checks that a config's `layer_types` (which qwen2 configs now carry) has `num_hidden_layers`
    entries when it saves the config, and mergekit changes the layer count without touching `layer_types`, so a
    qwen2 passthrough merge fails at that last step. The patch gives the output config each step's source layer
    type (what evomerge writes); the tensors are mergekit's own.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"  # nothing may reach the network
    import yaml
    import mergekit.merge
    from mergekit.config import MergeConfiguration
    from mergekit.options import MergeOptions

    original = mergekit.merge._model_out_config

    def out_config(config, arch_info, trust_remote_code=False):
        result = original(config, arch_info, trust_remote_code)
        types = layer_types_per_step(config)
        if getattr(result, "layer_types", None) is not None and types is not None:
            result.layer_types = types
        return result

    mergekit.merge._model_out_config = out_config

    recipes = sorted((DFS / "recipes").glob("*.yml"))
    if not recipes:
        sys.exit(f"no recipes in {DFS / 'recipes'}; copy them from target/space-dfs/recipes/ first")
    golden = DFS / "mergekit"
    if golden.exists():
        shutil.rmtree(golden)
    os.chdir(DFS)  # the recipes name models/a and so on
    for recipe in recipes:
        case = recipe.stem
        with open(recipe, encoding="utf-8") as f:
            config = MergeConfiguration.model_validate(yaml.safe_load(f))
        with tempfile.TemporaryDirectory() as tmp:
            # no model card: it asks the Hugging Face hub whether `models/a` names a repository
            mergekit.merge.run_merge(config, tmp, options=MergeOptions(write_model_card=False, quiet=True))
            keep = golden / case
            keep.mkdir(parents=True)
            for f in sorted(os.listdir(tmp)):
                if f.endswith(".safetensors") or f.endswith(".json"):
                    shutil.copy(os.path.join(tmp, f), keep / f)
            print(f"{case}: {sorted(os.listdir(keep))}")


if __name__ == "__main__":
    step = sys.argv[1] if len(sys.argv) > 1 else ""
    if step == "models":
        make_models()
    elif step == "mergekit":
        run_mergekit()
    else:
        sys.exit("usage: dfs_reference.py models|mergekit")

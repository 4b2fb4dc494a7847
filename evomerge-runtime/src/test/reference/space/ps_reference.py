"""Records what mergekit-evolve's own genome code makes of parameter-space genotypes.

For several genome definitions (mergekit-evolve's `genome:` keys) and seeded genotypes, runs
`mergekit.evo.genome.ModelGenome.genotype_merge_config` and writes each resulting merge config as mergekit's own
YAML (`MergeConfiguration.to_yaml()`), with the genotype that produced it and `initial_genotype()`, to
`src/test/resources/space/ps-mergekit.json`. It also records `torch.topk(values, 2)` on vectors full of ties, the
step of slerp's rule whose order torch leaves to its sort. `ParameterSpaceMergekitTest` decodes the same genotypes
and compares the configs by meaning.

The genome code reads only `num_hidden_layers` from the first model's config.json, so the models are directories
holding just a config.json, made in a temporary directory that is the working directory (the YAML names them
`models/a` and so on).

Rerun from the repository root:
    PYTHONPATH=/work/refs/shims:/work/refs/mergekit /work/venv/bin/python \
        evomerge-runtime/src/test/reference/space/ps_reference.py
"""

import itertools
import json
import os
import pathlib
import tempfile

import numpy as np
import torch
from mergekit.evo.genome import ModelGenome, ModelGenomeDefinition

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE.parents[1] / "resources" / "space" / "ps-mergekit.json"

LAYERS = 4

# name -> genome definition (mergekit-evolve's keys, as a user writes them)
CASES = {
    "ties-three-models-one-group": {
        "models": ["models/a", "models/b", "models/c"],
        "merge_method": "ties",
        "base_model": "models/base",
    },
    "dare-ties-groups-and-filters": {
        "models": ["models/a", "models/b"],
        "merge_method": "dare_ties",
        "base_model": "models/base",
        "layer_granularity": 2,
        "filters": ["self_attn", "mlp"],
    },
    "ties-base-listed": {
        "models": ["models/base", "models/a", "models/b"],
        "merge_method": "ties",
        "base_model": "models/base",
        "layer_granularity": 1,
    },
    "task-arithmetic-smooth": {
        "models": ["models/a", "models/b"],
        "merge_method": "task_arithmetic",
        "base_model": "models/base",
        "layer_granularity": 1,
        "smooth": True,
    },
    "linear-smooth-filters-normalize-false": {
        "models": ["models/a", "models/b", "models/c"],
        "merge_method": "linear",
        "layer_granularity": 2,
        "smooth": True,
        "filters": ["self_attn"],
        "normalize": False,
    },
    "dare-ties-smooth-one-group-filters": {
        "models": ["models/a", "models/b"],
        "merge_method": "dare_ties",
        "base_model": "models/base",
        "smooth": True,
        "filters": ["mlp"],
        "tokenizer_source": "base",
    },
    "linear-negative-weights": {
        "models": ["models/a", "models/b"],
        "merge_method": "linear",
        "allow_negative_weights": True,
        "layer_granularity": 2,
    },
    "ties-normalize-false-tokenizer-model": {
        "models": ["models/a", "models/b"],
        "merge_method": "ties",
        "base_model": "models/base",
        "normalize": False,
        "tokenizer_source": "models/a",
    },
    "slerp-two-models-four-groups": {
        "models": ["models/a", "models/b"],
        "merge_method": "slerp",
        "layer_granularity": 1,
    },
    "slerp-three-models-tokenizer": {
        "models": ["models/a", "models/b", "models/c"],
        "merge_method": "slerp",
        "layer_granularity": 2,
        "tokenizer_source": "base",
    },
    "slerp-five-models-base-listed": {
        "models": ["models/a", "models/b", "models/c", "models/d", "models/base"],
        "merge_method": "slerp",
        "base_model": "models/base",
        "layer_granularity": 4,
    },
}


def genotypes(genome, rng):
    """Seeded genotypes: both start points, random ones around them, and (for slerp) ones full of ties."""
    n = genome.initial_genotype().numel()
    out = [
        genome.initial_genotype().flatten().double().numpy(),
        np.full(n, 0.5),
    ]
    for _ in range(4):
        # spread over negatives (abs), above 1 (density clamp) and near 0
        out.append(rng.normal(0.3, 0.6, size=n))
    if genome.definition.merge_method == "slerp":
        for _ in range(4):
            out.append(rng.choice([0.1, 0.5, 0.9], size=n))
    return out


def topk_cases(rng):
    """Vectors with ties, and torch.topk's choice of the two largest, as slerp's rule uses it."""
    cases = []
    for m in range(2, 7):
        for values in itertools.product([0.1, 0.5, 0.9], repeat=m):
            if m >= 5 and rng.random() > 0.1:
                continue
            cases.append(list(values))
    for m in (7, 8, 12, 16, 31, 127, 128, 129, 200):
        for _ in range(6):
            cases.append(list(rng.choice([0.1, 0.5, 0.9], size=m)))
        cases.append([0.5] * m)
    out = []
    for values in cases:
        t = torch.tensor(values, dtype=torch.float64)
        out.append({"values": values, "indices": torch.topk(t, 2).indices.tolist()})
    return out


def main():
    rng = np.random.default_rng(20240321)
    result = {"layers": LAYERS, "cases": [], "topk": topk_cases(rng)}
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            for name in ["a", "b", "c", "d", "base"]:
                os.makedirs(f"models/{name}")
                with open(f"models/{name}/config.json", "w", encoding="utf-8") as f:
                    json.dump({"model_type": "llama", "architectures": ["LlamaForCausalLM"],
                               "num_hidden_layers": LAYERS, "hidden_size": 8, "num_attention_heads": 2}, f)
            for case, definition in CASES.items():
                genome = ModelGenome(ModelGenomeDefinition.model_validate(definition))
                entries = []
                for g in genotypes(genome, rng):
                    config = genome.genotype_merge_config(np.asarray(g, dtype=np.float64))
                    entries.append({"genotype": [float(v) for v in g], "config": config.to_yaml()})
                result["cases"].append({
                    "name": case,
                    "genome": definition,
                    "initial": [float(v) for v in genome.initial_genotype().flatten().tolist()],
                    "decoded": entries,
                })
        finally:
            os.chdir(cwd)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT}: {len(result['cases'])} genome definitions, "
          f"{sum(len(c['decoded']) for c in result['cases'])} genotypes, {len(result['topk'])} topk cases")


if __name__ == "__main__":
    main()

"""Builds the merge parity goldens: tiny random Llama models and mergekit's own output for a set of configs.

Writes, under evomerge-runtime/src/test/resources/merge/golden/:
  models/<name>/{model.safetensors,config.json}   the inputs (float32, seeded)
  <case>/config.yml                                the mergekit YAML, exactly as mergekit ran it
  <case>/{model.safetensors,config.json}           mergekit's output
Every case is run from the models/ folder, so the YAML names models by their folder name ("base", "a", ...).

Run from the repository root (needs the reference venv and the mergekit checkout, see docs/environment.md):
    /work/venv/bin/python evomerge-runtime/src/test/reference/merge/make_goldens.py
The models are deterministic (seeded numpy), so a rerun rewrites the same input bytes; mergekit's outputs for
the deterministic methods are reproducible too.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import torch
from safetensors.torch import save_file
from transformers import LlamaConfig, LlamaForCausalLM

ROOT = pathlib.Path(__file__).resolve().parents[5]
OUT = ROOT / "evomerge-runtime/src/test/resources/merge/golden"
PYTHON = os.environ.get("REFERENCE_PYTHON", "/work/venv/bin/python")
MERGEKIT_PATH = os.environ.get("MERGEKIT_PATH", "/work/refs/shims:/work/refs/mergekit")
RUN_MERGEKIT = pathlib.Path(__file__).resolve().parent / "run_mergekit.py"

HIDDEN, INTERMEDIATE, LAYERS, HEADS = 16, 32, 4, 4


def llama_config(vocab):
    return LlamaConfig(vocab_size=vocab, hidden_size=HIDDEN, intermediate_size=INTERMEDIATE,
                       num_hidden_layers=LAYERS, num_attention_heads=HEADS, num_key_value_heads=HEADS,
                       max_position_embeddings=64, tie_word_embeddings=False,
                       architectures=["LlamaForCausalLM"])


def tensor_names_and_shapes(vocab):
    """Name -> shape of every weight of the tiny Llama, from transformers itself."""
    model = LlamaForCausalLM(llama_config(vocab))
    return {k: tuple(v.shape) for k, v in model.state_dict().items()}


def base_weights(rng, vocab=64):
    out = {}
    for name, shape in sorted(tensor_names_and_shapes(vocab).items()):
        if name.endswith("norm.weight"):
            out[name] = 1.0 + 0.1 * rng.standard_normal(shape)
        else:
            out[name] = 0.2 * rng.standard_normal(shape)
    return out


def fine_tune(rng, base, keep_fraction, scale=0.05, untouched=()):
    """base plus noise on a random keep_fraction of the elements; tensors named in `untouched` stay equal to base
    (so slerp's colinear branch and zero task vectors occur)."""
    out = {}
    for name, value in base.items():
        if name in untouched:
            out[name] = value.copy()
            continue
        noise = scale * rng.standard_normal(value.shape)
        mask = rng.random(value.shape) < keep_fraction
        out[name] = value + noise * mask
    return out


def save_model(name, weights, vocab):
    target = OUT / "models" / name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    llama_config(vocab).save_pretrained(target)
    # config.json of transformers 5 records dtype float32 for a freshly built config; keep it as written.
    save_file({k: torch.tensor(v, dtype=torch.float32).contiguous() for k, v in weights.items()},
              str(target / "model.safetensors"), metadata={"format": "pt"})


def make_models():
    rng = np.random.default_rng(20260601)
    base = base_weights(rng)
    save_model("base", base, 64)
    save_model("a", fine_tune(rng, base, 0.7, untouched={"model.layers.1.input_layernorm.weight"}), 64)
    save_model("b", fine_tune(rng, base, 0.7, untouched={"model.layers.0.post_attention_layernorm.weight"}), 64)
    save_model("c", fine_tune(rng, base, 1.0, scale=0.08), 64)
    # a larger vocabulary: the base's weights with two more rows in the embeddings and lm_head, then fine-tuned
    wide = {k: v.copy() for k, v in base.items()}
    for name in ("model.embed_tokens.weight", "lm_head.weight"):
        wide[name] = np.concatenate([base[name], 0.2 * rng.standard_normal((2, HIDDEN))], axis=0)
    save_model("v66", fine_tune(rng, wide, 0.7), 66)


# Cases: name -> YAML. The "plain" ones (models: with scalar parameters) are compared tensor by tensor with the
# kernels alone (MergeGoldenParityTest); the others need the config layer and planner.
CASES = {
    # ---- linear
    "linear": """\
merge_method: linear
models:
  - model: a
    parameters:
      weight: 0.5
  - model: b
    parameters:
      weight: 0.3
  - model: c
    parameters:
      weight: 0.7
""",
    "linear_no_normalize": """\
merge_method: linear
models:
  - model: a
    parameters:
      weight: 0.6
  - model: b
    parameters:
      weight: 0.9
parameters:
  normalize: false
""",
    "linear_embed_rectify": """\
merge_method: linear
base_model: base
models:
  - model: base
    parameters:
      weight: 0.5
  - model: v66
    parameters:
      weight: 0.5
""",
    # ---- slerp family
    "slerp": """\
merge_method: slerp
base_model: base
models:
  - model: base
  - model: a
parameters:
  t: 0.3
""",
    "slerp_embed_rectify": """\
merge_method: slerp
base_model: base
models:
  - model: v66
  - model: base
parameters:
  t: 0.6
""",
    "nuslerp": """\
merge_method: nuslerp
models:
  - model: a
    parameters:
      weight: 0.3
  - model: b
    parameters:
      weight: 0.7
""",
    "nuslerp_row_wise": """\
merge_method: nuslerp
models:
  - model: a
    parameters:
      weight: 1.0
  - model: b
    parameters:
      weight: 3.0
parameters:
  nuslerp_flatten: false
  nuslerp_row_wise: true
""",
    "nuslerp_last_dim": """\
merge_method: nuslerp
models:
  - model: a
    parameters:
      weight: 0.4
  - model: c
    parameters:
      weight: 0.6
parameters:
  nuslerp_flatten: false
""",
    "nuslerp_base": """\
merge_method: nuslerp
base_model: base
models:
  - model: a
    parameters:
      weight: 0.5
  - model: b
    parameters:
      weight: 0.5
""",
    "nuslerp_zero_weight_sum": """\
merge_method: nuslerp
models:
  - model: a
    parameters:
      weight: -0.5
  - model: b
    parameters:
      weight: 0.5
""",
    "multislerp": """\
merge_method: multislerp
models:
  - model: a
    parameters:
      weight: 0.2
  - model: b
    parameters:
      weight: 0.3
  - model: c
    parameters:
      weight: 0.5
""",
    "multislerp_base": """\
merge_method: multislerp
base_model: base
models:
  - model: a
    parameters:
      weight: 1.0
  - model: b
    parameters:
      weight: 2.0
  - model: c
    parameters:
      weight: 1.0
""",
    "karcher": """\
merge_method: karcher
models:
  - model: a
  - model: b
  - model: c
""",
    "karcher_base_tol": """\
merge_method: karcher
base_model: base
models:
  - model: a
  - model: c
parameters:
  tol: 1.0e-3
""",
    # ---- task arithmetic family
    "task_arithmetic": """\
merge_method: task_arithmetic
base_model: base
models:
  - model: a
    parameters:
      weight: 0.7
  - model: b
    parameters:
      weight: 0.5
""",
    "task_arithmetic_lambda_normalize": """\
merge_method: task_arithmetic
base_model: base
models:
  - model: a
    parameters:
      weight: 0.7
  - model: b
    parameters:
      weight: -0.2
  - model: c
    parameters:
      weight: 0.4
parameters:
  lambda: 0.8
  normalize: true
""",
    "task_arithmetic_embed_cut": """\
merge_method: task_arithmetic
base_model: base
models:
  - model: v66
    parameters:
      weight: 0.5
  - model: a
    parameters:
      weight: 0.5
""",
    "ties": """\
merge_method: ties
base_model: base
models:
  - model: a
    parameters:
      weight: 1.0
      density: 0.5
  - model: b
    parameters:
      weight: 0.5
      density: 0.3
  - model: c
    parameters:
      weight: 0.7
      density: 0.7
""",
    "ties_rescale_no_normalize": """\
merge_method: ties
base_model: base
models:
  - model: a
    parameters:
      weight: 0.6
      density: 0.4
  - model: c
    parameters:
      weight: -0.3
      density: 0.6
parameters:
  normalize: false
  rescale: true
  int8_mask: true
""",
    "breadcrumbs": """\
merge_method: breadcrumbs
base_model: base
models:
  - model: a
    parameters:
      weight: 0.8
      density: 0.6
      gamma: 0.05
  - model: c
    parameters:
      weight: 0.5
      density: 0.5
""",
    "breadcrumbs_ties": """\
merge_method: breadcrumbs_ties
base_model: base
models:
  - model: a
    parameters:
      weight: 1.0
      density: 0.7
      gamma: 0.1
  - model: b
    parameters:
      weight: 1.0
      density: 0.8
      gamma: 0.02
  - model: c
    parameters:
      weight: 0.5
      density: 0.5
      gamma: 0.0
parameters:
  normalize: true
""",
    "dare_ties_density1": """\
merge_method: dare_ties
base_model: base
models:
  - model: a
    parameters:
      weight: 0.6
  - model: b
    parameters:
      weight: 0.4
  - model: c
    parameters:
      weight: 0.3
""",
    "della_density1": """\
merge_method: della
base_model: base
models:
  - model: a
    parameters:
      weight: 0.6
  - model: c
    parameters:
      weight: 0.4
parameters:
  lambda: 0.9
""",
    "sce": """\
merge_method: sce
base_model: base
models:
  - model: a
  - model: b
  - model: c
""",
    "sce_topk": """\
merge_method: sce
base_model: base
models:
  - model: a
  - model: b
  - model: c
parameters:
  select_topk: 0.5
""",
    "ram": """\
merge_method: ram
base_model: base
models:
  - model: a
  - model: b
""",
    "ramplus_tl": """\
merge_method: ramplus_tl
base_model: base
models:
  - model: a
  - model: b
  - model: c
parameters:
  r: 0.5
  alpha: 1.0
  epsilon: 0.01
""",
    "model_stock": """\
merge_method: model_stock
base_model: base
models:
  - model: a
  - model: b
  - model: c
""",
    "model_stock_filter_wise": """\
merge_method: model_stock
base_model: base
models:
  - model: a
  - model: b
  - model: c
parameters:
  filter_wise: true
""",
    "nearswap": """\
merge_method: nearswap
base_model: base
models:
  - model: a
parameters:
  t: 0.02
""",
    "arcee_fusion": """\
merge_method: arcee_fusion
base_model: base
models:
  - model: c
""",
    "passthrough_scale": """\
merge_method: passthrough
models:
  - model: b
    parameters:
      scale: 0.5
""",
    # ---- cases that need the config layer and planner: gradients, filters, slices, stacking
    "plan_linear_gradient": """\
merge_method: linear
models:
  - model: a
    parameters:
      weight: [0, 0.3, 0.7, 1]
  - model: b
    parameters:
      weight: [1, 0.5]
""",
    "plan_slerp_filters": """\
merge_method: slerp
base_model: base
models:
  - model: base
  - model: a
parameters:
  t:
    - filter: self_attn
      value: [0, 0.5, 1]
    - filter: mlp
      value: [1, 0.5, 0]
    - value: 0.3
""",
    "plan_ties_gradient_filters": """\
merge_method: ties
base_model: base
models:
  - model: a
    parameters:
      weight:
        - filter: mlp
          value: [0.2, 0.9]
        - value: 0.6
      density: [0.3, 0.9]
  - model: b
    parameters:
      weight: 0.5
      density:
        - filter: self_attn
          value: 0.4
        - value: 0.8
parameters:
  lambda: [1.0, 0.5]
""",
    "plan_task_arithmetic_precedence": """\
merge_method: task_arithmetic
base_model: base
parameters:
  weight: 0.25
  normalize:
    - filter: layers.1.
      value: 1
    - value: 0
models:
  - model: a
    parameters:
      weight: 0.9
  - model: b
  - model: c
""",
    "plan_slerp_slices": """\
merge_method: slerp
base_model: base
slices:
  - sources:
      - model: base
        layer_range: [0, 2]
      - model: a
        layer_range: [0, 2]
    parameters:
      t: 0.2
  - sources:
      - model: base
        layer_range: [2, 4]
      - model: a
        layer_range: [2, 4]
    parameters:
      t: [0.3, 0.9]
""",
    "plan_ties_slices_base_override": """\
merge_method: ties
base_model: base
slices:
  - sources:
      - model: base
        layer_range: [0, 2]
      - model: a
        layer_range: [0, 2]
        parameters:
          weight: 1.0
          density: 0.5
      - model: b
        layer_range: [0, 2]
        parameters:
          weight: 0.5
          density: 0.5
  - sources:
      - model: c
        layer_range: [2, 4]
      - model: a
        layer_range: [2, 4]
        parameters:
          weight: 1.0
          density: 0.5
    base_model: c
""",
    "plan_stack_passthrough": """\
merge_method: passthrough
slices:
  - sources:
      - model: a
        layer_range: [0, 2]
  - sources:
      - model: b
        layer_range: [1, 2]
""",
    "plan_stack_passthrough_scale": """\
merge_method: passthrough
slices:
  - sources:
      - model: a
        layer_range: [0, 3]
        parameters:
          scale:
            - filter: o_proj
              value: 0
            - filter: mlp
              value: [0.5, 1.5]
            - value: 1
  - sources:
      - model: c
        layer_range: [2, 4]
        parameters:
          scale:
            - filter: down_proj
              value: 2
            - value: 1
""",
}


def run_cases(only=None):
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONHASHSEED="0",
               PYTHONPATH=MERGEKIT_PATH)
    models_dir = OUT / "models"
    for name, yaml_text in CASES.items():
        if only and name not in only:
            continue
        case_dir = OUT / name
        if case_dir.exists():
            shutil.rmtree(case_dir)
        case_dir.mkdir(parents=True)
        (case_dir / "config.yml").write_text(yaml_text)
        with tempfile.TemporaryDirectory() as tmp:
            out = pathlib.Path(tmp) / "out"
            result = subprocess.run([PYTHON, str(RUN_MERGEKIT), str(case_dir / "config.yml"), str(out), "--no-write-model-card",
                                     "--no-copy-tokenizer", "--random-seed", "0"],
                                    cwd=models_dir, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                sys.stderr.write(result.stderr[-4000:])
                raise SystemExit(f"mergekit failed on case {name}")
            shutil.copy(out / "model.safetensors", case_dir / "model.safetensors")
            shutil.copy(out / "config.json", case_dir / "config.json")
        print(f"{name}: ok", flush=True)


if __name__ == "__main__":
    only = set(sys.argv[1:])
    if not only:
        if OUT.exists():
            shutil.rmtree(OUT)
        make_models()
    run_cases(only or None)

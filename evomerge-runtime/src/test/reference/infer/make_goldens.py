"""Golden outputs of Hugging Face transformers for evomerge's own transformer forward (package dev.evomerge.infer).

For each family (llama, llama with llama3 rope scaling and tied embeddings, mistral with a sliding window shorter
than the test sequences, qwen2 with q/k/v biases, qwen3 with q/k norms and a head_dim that is not hidden/heads) it
builds a tiny random model (seeded, float32 arithmetic), saves it with save_pretrained(safe_serialization=True),
reloads it from disk the way any user would, and records:

- logits.<i>        [len_i, vocab]  float32 logits of SEQUENCES[i], each run alone (no padding)
- batch.logits      [B, T, vocab]   logits of all SEQUENCES in one left-padded batch (attention mask, pad id 0)
- golden.json       the sequences, the batch layout, greedy generations (alone and as a left-padded batch) with
                    model.generate(do_sample=False), and the smallest top-1/top-2 logit gap met while generating
                    (so a test can tell a real mismatch from a near tie)

To keep the committed files small, some models are stored as float16 or bfloat16: their weights are first rounded to
that type, and the logits are computed in float32 from the rounded values, so reading the half-precision file and
widening it to float32 gives exactly the weights the logits came from. The llama3 model's config.json is rewritten
in the legacy layout (top-level rope_theta and rope_scaling) that most published checkpoints still use; it is
reloaded from that file before recording, so the goldens show how transformers reads it.

The llama model also gets a tiny BPE tokenizer (tokenizer.json, tokenizer_config.json) trained here, and
tokenizer.json records what the `tokenizers` library makes of a few strings (ids, and decode of those ids).

Run from the repository root: /work/venv/bin/python evomerge-runtime/src/test/reference/infer/make_goldens.py
"""
import json
import re
import pathlib
import shutil

import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers
from transformers import (AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM, MistralConfig, MistralForCausalLM,
                          Qwen2Config, Qwen2ForCausalLM, Qwen3Config, Qwen3ForCausalLM)

OUT = pathlib.Path(__file__).resolve().parents[2] / "resources" / "infer"

VOCAB = 128
SEQUENCES = [
    [5, 17, 99, 3, 42, 64, 7, 120, 33, 8, 91, 11],
    [1, 77, 12, 56, 100, 23, 4],
    [9, 88, 31],
]
GEN_PROMPTS = [[5, 17, 99, 3, 42], [1, 77, 12], [60, 2, 115, 70, 71, 72, 14]]
MAX_NEW_TOKENS = 8
PAD = 0

COMMON = dict(hidden_size=32, intermediate_size=64, num_attention_heads=4, num_key_value_heads=2,
              vocab_size=VOCAB, max_position_embeddings=256, rms_norm_eps=1e-5, bos_token_id=1, eos_token_id=2)

MODELS = {
    # name: (config class, model class, config kwargs, stored dtype, seed)
    "llama": (LlamaConfig, LlamaForCausalLM,
              dict(num_hidden_layers=3, rope_theta=10000.0, tie_word_embeddings=False), torch.float32, 11),
    "llama3-tied": (LlamaConfig, LlamaForCausalLM,
                    dict(num_hidden_layers=2, tie_word_embeddings=True,
                         rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                                           original_max_position_embeddings=128),
                         rope_theta=500000.0),
                    torch.bfloat16, 12),
    "mistral-sliding": (MistralConfig, MistralForCausalLM,
                        dict(num_hidden_layers=2, sliding_window=4, rope_theta=10000.0, tie_word_embeddings=False),
                        torch.float16, 13),
    "qwen2-bias": (Qwen2Config, Qwen2ForCausalLM,
                   dict(num_hidden_layers=2, rope_theta=1000000.0, tie_word_embeddings=False), torch.float16, 14),
    "qwen3-qknorm": (Qwen3Config, Qwen3ForCausalLM,
                     dict(num_hidden_layers=2, head_dim=16, rope_theta=1000000.0, tie_word_embeddings=True),
                     torch.bfloat16, 15),
}


def randomize(model, seed, dtype):
    """Weights large enough that logits are far from uniform, then rounded to the stored dtype."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight") or "layernorm" in name:
                v = 1.0 + 0.2 * torch.randn(p.shape, generator=g)
            elif name.endswith("bias"):
                v = 0.3 * torch.randn(p.shape, generator=g)
            elif "embed_tokens" in name:
                v = torch.randn(p.shape, generator=g)
            else:
                v = torch.randn(p.shape, generator=g) / (p.shape[-1] ** 0.5)
            p.copy_(v.to(dtype).to(torch.float32))


def legacy_rope_layout(config_file):
    """Rewrites rope_parameters as top-level rope_theta + rope_scaling, the layout of most published configs."""
    cfg = json.loads(config_file.read_text())
    rope = cfg.pop("rope_parameters")
    cfg["rope_theta"] = rope.pop("rope_theta")
    if rope.get("rope_type", "default") != "default":
        cfg["rope_scaling"] = rope
    config_file.write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n")


def greedy(model, prompts):
    """model.generate on a left-padded batch; returns the new tokens per prompt and the smallest top-2 gap."""
    width = max(len(p) for p in prompts)
    ids = torch.tensor([[PAD] * (width - len(p)) + p for p in prompts])
    mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
    out = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=MAX_NEW_TOKENS, do_sample=False,
                         eos_token_id=None, pad_token_id=PAD, output_scores=True, return_dict_in_generate=True)
    gap = min(float((s.topk(2).values[:, 0] - s.topk(2).values[:, 1]).min()) for s in out.scores)
    return out.sequences[:, width:].tolist(), gap


def compact_json(value):
    """Indented JSON with lists of numbers kept on one line."""
    text = json.dumps(value, indent=1)
    return re.sub(r"\[[\s\d,.-]*\]", lambda m: re.sub(r"\s+", "", m.group(0)).replace(",", ", "), text) + "\n"


def record(name, cls_config, cls_model, kwargs, dtype, seed):
    out = OUT / name
    shutil.rmtree(out, ignore_errors=True)
    config = cls_config(**COMMON, **kwargs)
    config._attn_implementation = "eager"
    torch.manual_seed(seed)
    model = cls_model(config).eval()
    randomize(model, seed, dtype)
    model.to(dtype).save_pretrained(out, safe_serialization=True)
    if name == "llama3-tied":
        legacy_rope_layout(out / "config.json")
    (out / "generation_config.json").unlink(missing_ok=True)

    model = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32, attn_implementation="eager").eval()
    tensors = {}
    with torch.no_grad():
        for i, seq in enumerate(SEQUENCES):
            tensors[f"logits.{i}"] = model(torch.tensor([seq])).logits[0].contiguous()
        width = max(len(s) for s in SEQUENCES)
        ids = torch.tensor([[PAD] * (width - len(s)) + s for s in SEQUENCES])
        mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in SEQUENCES])
        tensors["batch.logits"] = model(input_ids=ids, attention_mask=mask).logits.contiguous()
        alone = [greedy(model, [p]) for p in GEN_PROMPTS]
        batched, batch_gap = greedy(model, GEN_PROMPTS)
    save_file(tensors, out / "golden.safetensors")
    golden = {
        "sequences": SEQUENCES,
        "pad_token_id": PAD,
        "generation": {
            "prompts": GEN_PROMPTS,
            "max_new_tokens": MAX_NEW_TOKENS,
            "alone": [a[0][0] for a in alone],
            "batched": batched,
            "min_top2_gap": min([a[1] for a in alone] + [batch_gap]),
        },
    }
    (out / "golden.json").write_text(compact_json(golden))
    print(f"{name}: {sum(p.numel() for p in model.parameters())} parameters, stored as {dtype}, "
          f"min top-2 gap {golden['generation']['min_top2_gap']:.4f}")


TOKENIZER_TEXT = [
    "the quick brown fox jumps over the lazy dog",
    "a merge of two models is a model",
    "evolution finds the layers that work together",
    "twelve plus thirty is forty two",
    "the answer is 42.",
]
TOKENIZER_PROBES = ["the quick brown fox", "a model of models", "forty two plus 42 is", "zebra!", "<s>the end</s>"]


def make_tokenizer(model_dir):
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB, special_tokens=["<unk>", "<s>", "</s>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet()[:60], show_progress=False)
    tok.train_from_iterator(TOKENIZER_TEXT, trainer)
    tok.save(str(model_dir / "tokenizer.json"))
    (model_dir / "tokenizer_config.json").write_text(json.dumps(
        {"bos_token": "<s>", "eos_token": {"content": "</s>", "special": True}, "unk_token": "<unk>",
         "model_max_length": 64, "add_bos_token": True}, indent=2) + "\n")
    probes = []
    for text in TOKENIZER_PROBES:
        ids = tok.encode(text, add_special_tokens=False).ids
        probes.append({"text": text, "ids": ids, "decoded": tok.decode(ids, skip_special_tokens=True),
                       "decoded_with_special": tok.decode(ids, skip_special_tokens=False)})
    (OUT / "tokenizer.json").write_text(compact_json(
        {"vocab_size": tok.get_vocab_size(), "bos_token_id": tok.token_to_id("<s>"),
         "eos_token_id": tok.token_to_id("</s>"), "probes": probes}))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, spec in MODELS.items():
        record(name, *spec)
    make_tokenizer(OUT / "llama")


if __name__ == "__main__":
    main()

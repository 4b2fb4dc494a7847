"""Checks that `evomerge synth` models load in Hugging Face transformers and tokenizers.

For each family it writes a model with the CLI jar (build it first: ./mvnw -B -DskipTests package), loads it with
AutoModelForCausalLM and AutoTokenizer, runs a forward pass, round-trips text through the tokenizer, and writes
the verdict to evomerge-runtime/src/test/resources/model/synth-check.json (committed; SynthCommandTest reads it).

Run from the repository root: /work/venv/bin/python evomerge-runtime/src/test/reference/model/check_synth.py
"""
import glob
import json
import pathlib
import subprocess
import tempfile

import torch
from tokenizers import Tokenizer
from transformers import AutoModelForCausalLM, PreTrainedTokenizerFast

ROOT = pathlib.Path(__file__).resolve().parents[5]
JAR = sorted(glob.glob(str(ROOT / "evomerge-runtime/target/evomerge-runtime-*-cli.jar")))[0]
JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
TEXT = "hello world 42"

results = {}
with tempfile.TemporaryDirectory() as tmp:
    for family in ["llama", "mistral", "qwen2"]:
        out = pathlib.Path(tmp) / family
        subprocess.run([JAVA, "-jar", JAR, "synth", str(out), "--family", family, "--layers", "2", "--hidden", "64",
                        "--intermediate", "96", "--vocab", "100", "--heads", "4", "--kv-heads", "2", "--dtype", "bf16",
                        "--seed", "5"], check=True, capture_output=True)
        model = AutoModelForCausalLM.from_pretrained(out, torch_dtype=torch.float32)
        # PreTrainedTokenizerFast reads tokenizer.json as it is (transformers 5's per-family tokenizer classes
        # rebuild their own pipeline from the vocabulary instead).
        tok = PreTrainedTokenizerFast.from_pretrained(out)
        raw = Tokenizer.from_file(str(out / "tokenizer.json"))
        ids = tok(TEXT, add_special_tokens=False)["input_ids"]
        with torch.no_grad():
            logits = model(torch.tensor([ids])).logits
        results[family] = {
            "model_class": type(model).__name__,
            "parameters": sum(p.numel() for p in model.parameters()),
            "logits_shape": list(logits.shape),
            "logits_finite": bool(torch.isfinite(logits).all()),
            "tokenizer_vocab": raw.get_vocab_size(),
            "ids": ids,
            "decoded": tok.decode(ids),
            "raw_ids": raw.encode(TEXT).ids,
            "eos_token": tok.eos_token,
            "bos_token": tok.bos_token,
        }

path = ROOT / "evomerge-runtime/src/test/resources/model/synth-check.json"
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text(json.dumps(results, indent=2) + "\n")
print(json.dumps(results, indent=2))

"""The Hugging Face transformers side of `bench/run.sh generate`: batched greedy generation on the same model
directory and prompts as evomerge's GenerateBenchmark, eager attention, float32, the same thread count.

It loads the model, runs one warm-up generation, prints {"ready": true}, then for every line "run" on stdin times one
generation and prints {"seconds": wall, "cpu_seconds": process CPU time, "tokens": every row's new tokens}; it exits at end of input. The Java side
alternates its own rounds with these, so both see the same machine load.
Usage: python bench/hf_generate.py --model DIR --threads N --new-tokens N [--batch N]
(prompts come from DIR/prompts.json, a list of token-id lists, all of one length).
"""
import argparse
import json
import pathlib
import sys
import time

import torch
from transformers import AutoModelForCausalLM


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--new-tokens", type=int, required=True)
    ap.add_argument("--batch", type=int, default=0, help="prompts per generate call (default: all)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    model_dir = pathlib.Path(args.model)
    prompts = json.loads((model_dir / "prompts.json").read_text())
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager").eval()
    ids = torch.tensor(prompts)
    mask = torch.ones_like(ids)

    batch = args.batch if args.batch > 0 else ids.shape[0]

    def run():
        outs = []
        with torch.inference_mode():
            for start in range(0, ids.shape[0], batch):
                outs.append(model.generate(input_ids=ids[start:start + batch],
                                           attention_mask=mask[start:start + batch],
                                           max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens,
                                           do_sample=False, eos_token_id=None, pad_token_id=0))
        return torch.cat(outs)

    run()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if line.strip() != "run":
            continue
        start = time.perf_counter()
        cpu_start = time.process_time()
        out = run()
        cpu = time.process_time() - cpu_start
        seconds = time.perf_counter() - start
        print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "tokens": out[:, ids.shape[1]:].tolist()}),
              flush=True)


if __name__ == "__main__":
    main()

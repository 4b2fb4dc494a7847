"""The lm-evaluation-harness side of `bench/run.sh score`: its Hugging Face backend (HFLM, float32, CPU, the same
batch size and thread count) evaluating the same task files on the same model directory as evomerge's
ScoreBenchmark.

It loads the model and the tasks once, runs one warm-up evaluation of each, prints {"ready": true}, then for every
line "run TASK" on stdin times one evaluation of that task (request building, the model's log-likelihoods and the
metrics; no bootstrap) and prints {"seconds": wall, "cpu_seconds": process CPU time, "metrics": {name: value},
"tokens": real token positions its forward passes ran, "cells": their padded size (rows times width)}; it exits at
end of input. The Java side alternates its own rounds with these, so both see the same machine load.
Usage: python bench/lmeval_score.py --model DIR --tasks DIR --threads N --batch N TASK...
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--tasks", required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("names", nargs="+")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.environ["HF_DATASETS_CACHE"] = os.path.join(args.tasks, ".hf-cache")

    import logging
    logging.disable(logging.WARNING)
    from lm_eval.evaluator import evaluate
    from lm_eval.models.huggingface import HFLM
    from lm_eval.tasks import TaskManager, get_task_dict

    lm = HFLM(pretrained=args.model, device="cpu", dtype="float32", batch_size=args.batch)
    # count what the model runs: every log-likelihood batch is padded by pad_and_concat from rows of real tokens
    import lm_eval.models.huggingface as hf
    counts = {"tokens": 0, "cells": 0}
    pad_and_concat = hf.pad_and_concat

    def counting_pad_and_concat(max_length, tensors, *rest, **kwargs):
        counts["tokens"] += sum(t.shape[-1] for t in tensors)  # before padding: it pads the list in place
        counts["cells"] += max_length * len(tensors)
        return pad_and_concat(max_length, tensors, *rest, **kwargs)

    hf.pad_and_concat = counting_pad_and_concat
    manager = TaskManager(include_path=args.tasks, include_defaults=False)
    tasks = {}
    for name in args.names:
        task_dict = get_task_dict([name], manager)
        tasks[name] = task_dict

    def run(name):
        # the few-shot sampler's generator advances with every evaluation: reseed it so every round draws the same
        # shots as evomerge's (seed 1234, as simple_evaluate sets it)
        for task in tasks[name].values():
            task.set_fewshot_seed(seed=1234)
        out = evaluate(lm=lm, task_dict=tasks[name], bootstrap_iters=0, log_samples=False, verbosity="ERROR")
        return {k.split(",")[0]: v for k, v in out["results"][name].items()
                if "," in k and not k.split(",")[0].endswith("_stderr")}

    for name in args.names:
        run(name)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        words = line.split()
        if len(words) != 2 or words[0] != "run":
            continue
        counts.update(tokens=0, cells=0)
        start = time.perf_counter()
        cpu_start = time.process_time()
        metrics = run(words[1])
        cpu = time.process_time() - cpu_start
        seconds = time.perf_counter() - start
        print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "metrics": metrics, **counts}), flush=True)


if __name__ == "__main__":
    main()

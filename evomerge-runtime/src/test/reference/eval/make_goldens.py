"""Golden outputs of lm-evaluation-harness 0.4.13, transformers and Python for evomerge's evaluation (dev.evomerge.eval).

Writes under evomerge-runtime/src/test/resources/eval/:

- lmeval/model/        a tiny random Llama (hidden 32, 2 layers, float32) with a byte-level BPE tokenizer whose
                       post-processor adds <s> (as Llama's does) and a ChatML chat template in tokenizer_config.json
- lmeval/golden.json   for every task file in lmeval/tasks/, what lm-evaluation-harness 0.4.13 (HFLM backend on the
                       tiny model, CPU, float32, batch size 1) built and measured: each document's request arguments
                       (the prompts, continuations and generation settings), raw and filtered responses, per-document
                       metrics, and the task's aggregated results; plus, per generation, the smallest top-1/top-2 logit
                       gap met while decoding greedily (so a test can tell a real mismatch from a near tie)
- metrics.json         lm-evaluation-harness's own exact_match (exact_match_hf_evaluate) and RegexFilter on crafted
                       cases, and Python's random.Random(1234).sample draws
- chat/*.jinja, chat/goldens.json
                       chat templates (mergekit's five built-ins, and Qwen2.5-, Llama-3.1- and Gemma-style ones) rendered
                       by transformers' render_jinja_template for several conversations

The task files use evomerge's extension keys (apply_chat_template, fewshot_as_multiturn), which lm-evaluation-harness
does not know: they are removed from copies handed to lm-evaluation-harness and passed to simple_evaluate instead.

lm-evaluation-harness is not in the reference venv; install it beside it (no network needed beyond the local index):
    python -m venv /tmp/lmeval-venv
    echo "$(/work/venv/bin/python -c 'import site;print(site.getsitepackages()[0])')" \
        > /tmp/lmeval-venv/lib/python3.11/site-packages/work-venv.pth
    /tmp/lmeval-venv/bin/pip install --no-deps lm_eval==0.4.13
    /tmp/lmeval-venv/bin/pip install requests datasets dill more_itertools sacrebleu scikit-learn
Run from the repository root: /tmp/lmeval-venv/bin/python evomerge-runtime/src/test/reference/eval/make_goldens.py
"""
import json
import os
import pathlib
import random
import shutil
import tempfile

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch
import yaml
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM
from transformers.utils.chat_template_utils import render_jinja_template

OUT = pathlib.Path(__file__).resolve().parents[2] / "resources" / "eval"
LMEVAL = OUT / "lmeval"
MODEL = LMEVAL / "model"
EXTENSION_KEYS = ("apply_chat_template", "fewshot_as_multiturn", "limit")

CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>'"
          " + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")


def corpus():
    texts = []
    for f in sorted((LMEVAL / "data").rglob("*")):
        if f.is_file():
            texts.append(f.read_text(encoding="utf-8"))
    for f in sorted((LMEVAL / "tasks").glob("*.yaml")):
        texts.append(f.read_text(encoding="utf-8"))
    return texts * 3


def make_tokenizer():
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]
    trainer = trainers.BpeTrainer(vocab_size=360, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(corpus(), trainer)
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B",
                                                       special_tokens=[("<s>", tok.token_to_id("<s>"))])
    MODEL.mkdir(parents=True, exist_ok=True)
    tok.save(str(MODEL / "tokenizer.json"))
    (MODEL / "tokenizer_config.json").write_text(json.dumps({
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "chat_template": CHATML,
        "clean_up_tokenization_spaces": False, "model_max_length": 512,
        "tokenizer_class": "PreTrainedTokenizerFast"}, indent=2) + "\n")
    return tok.get_vocab_size()


def make_model(vocab):
    config = LlamaConfig(vocab_size=vocab, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                         rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=False, bos_token_id=1,
                         eos_token_id=2)
    torch.manual_seed(21)
    model = LlamaForCausalLM(config).to(torch.float32)
    g = torch.Generator().manual_seed(21)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                v = 1.0 + 0.2 * torch.randn(p.shape, generator=g)
            else:
                v = torch.randn(p.shape, generator=g) * (1.5 / p.shape[-1] ** 0.5)
            p.copy_(v)
    model.eval()
    model.save_pretrained(str(MODEL), safe_serialization=True)
    for extra in ("generation_config.json",):
        if (MODEL / extra).exists():
            (MODEL / extra).unlink()


def plain(x):
    """JSON-able copy of lm-evaluation-harness's request arguments and responses (tuples become lists)."""
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if hasattr(x, "item"):
        return x.item()
    return x


def lmeval_copies(tmp):
    """Task files without evomerge's extension keys; returns {task: extension settings}."""
    settings = {}
    for f in sorted((LMEVAL / "tasks").glob("*.yaml")):
        cfg = yaml.safe_load(f.read_text(encoding="utf-8"))
        settings[cfg["task"]] = {k: cfg.pop(k) for k in EXTENSION_KEYS if k in cfg}
        (tmp / f.name).write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return settings


def greedy_gaps(lm, samples):
    """Smallest top-1/top-2 logit gap over each greedy generation (prompt tokens as HFLM builds them)."""
    gaps = {}
    for s in samples:
        context, kwargs = s["arguments"][0]
        ids = lm.tok_encode(context)
        smallest = float("inf")
        with torch.no_grad():
            for _ in range(kwargs.get("max_gen_toks", 256)):
                logits = lm.model(torch.tensor([ids])).logits[0, -1]
                top = torch.topk(logits, 2).values
                smallest = min(smallest, float(top[0] - top[1]))
                nxt = int(torch.argmax(logits))
                ids.append(nxt)
                if nxt == lm.tokenizer.eos_token_id:
                    break
        gaps[s["doc_id"]] = smallest
    return gaps


def run_lmeval():
    from lm_eval import simple_evaluate
    from lm_eval.models.huggingface import HFLM
    from lm_eval.tasks import TaskManager

    lm = HFLM(pretrained=str(MODEL), device="cpu", dtype="float32", batch_size=1)
    golden = {"lm_eval_version": "0.4.13", "tasks": {}}
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = pathlib.Path(tmp_dir)
        settings = lmeval_copies(tmp)
        os.environ["HF_DATASETS_CACHE"] = str(tmp / "cache")
        cwd = os.getcwd()
        os.chdir(LMEVAL / "tasks")  # dataset paths are relative to the task files' folder, as evomerge reads them
        try:
            manager = TaskManager(include_path=str(tmp), include_defaults=False)
            groups = {}
            for task, ext in settings.items():
                key = (ext.get("apply_chat_template", False), ext.get("fewshot_as_multiturn", False))
                groups.setdefault(key, []).append(task)
            for (chat, multiturn), tasks in sorted(groups.items()):
                out = simple_evaluate(model=lm, tasks=tasks, task_manager=manager, log_samples=True,
                                      apply_chat_template=chat, fewshot_as_multiturn=multiturn,
                                      bootstrap_iters=1000, random_seed=0, numpy_random_seed=1234,
                                      torch_random_seed=1234, fewshot_random_seed=1234)
                for task in tasks:
                    samples = []
                    for s in out["samples"][task]:
                        samples.append({
                            "doc_id": s["doc_id"], "filter": s["filter"], "target": plain(s["target"]),
                            "arguments": plain(s["arguments"]), "resps": plain(s["resps"]),
                            "filtered_resps": plain(s["filtered_resps"]),
                            "metrics": {m: plain(s[m]) for m in s["metrics"]}})
                    entry = {"results": plain(out["results"][task]), "n-shot": out["n-shot"][task],
                             "higher_is_better": plain(out["higher_is_better"][task]), "samples": samples}
                    if samples and isinstance(samples[0]["arguments"][0][1], dict):
                        entry["greedy_gaps"] = greedy_gaps(lm, [s for s in samples if s["filter"] ==
                                                                samples[0]["filter"]])
                    golden["tasks"][task] = entry
        finally:
            os.chdir(cwd)
    (LMEVAL / "golden.json").write_text(json.dumps(golden, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


EXACT_MATCH_CASES = [
    # prediction, reference, options
    ("42", "42", {}),
    ("42 ", "42", {}),
    ("Paris", "paris", {}),
    ("Paris", "paris", {"ignore_case": True}),
    ("It's 42!", "its 42", {"ignore_case": True, "ignore_punctuation": True}),
    ("1,234", "1234", {"regexes_to_ignore": [","]}),
    ("$1,234.", "1234", {"regexes_to_ignore": [",", "\\$", "\\.$"]}),
    ("The answer is 7. #### 7", "7", {"regexes_to_ignore": ["(?s).*#### "]}),
    ("room 101", "room", {"ignore_numbers": True, "ignore_punctuation": True}),
    ("Ünïcode Straße", "ünïcode straße", {"ignore_case": True}),
    ("a-b_c", "abc", {"ignore_punctuation": True}),
    ("(?P<x>a)", "a", {"regexes_to_ignore": ["\\(\\?P<x>", "\\)"]}),
    ("answer: 12", "12", {"regexes_to_ignore": ["(?P<label>answer): "]}),
    ("  spaced\tout ", "spacedout", {"regexes_to_ignore": ["\\s"]}),
]

REGEX_CASES = [
    # pattern, group_select, fallback, response
    ("#### (\\-?[0-9\\.\\,]+)", 0, "[invalid]", "so 3+4 is 7\n#### 7"),
    ("#### (\\-?[0-9\\.\\,]+)", 0, "[invalid]", "no marker here 7"),
    ("(-?[$0-9.,]{2,})|(-?[0-9]+)", -1, "[invalid]", "first 12 then 7 and finally $1,000."),
    ("(-?[$0-9.,]{2,})|(-?[0-9]+)", -1, "[invalid]", "only 5"),
    ("(-?[$0-9.,]{2,})|(-?[0-9]+)", 0, "[invalid]", "a 3 b 44"),
    ("The answer is (\\w+)", 0, "none", "The answer is  Paris. The answer is Rome"),
    ("The answer is (\\w+)", 1, "none", "The answer is Paris. The answer is Rome"),
    ("The answer is (\\w+)", 5, "none", "The answer is Paris."),
    ("[A-D]", 0, "[invalid]", "  B) because"),
    ("(A)|(B)", 0, "[invalid]", "B"),
    ("answer:\\s*(.*)", 0, "[invalid]", "answer:   yes  \n"),
    ("(?P<num>\\d+)", -1, "[invalid]", "1 22 333"),
]


def metric_goldens():
    from lm_eval.api.metrics import exact_match_hf_evaluate
    from lm_eval.filters.extraction import RegexFilter

    em = []
    for pred, ref, opts in EXACT_MATCH_CASES:
        score = exact_match_hf_evaluate(predictions=[pred], references=[ref], **opts)["exact_match"]
        em.append({"prediction": pred, "reference": ref, "options": opts, "score": float(score)})
    rx = []
    for pattern, group, fallback, resp in REGEX_CASES:
        try:
            out = RegexFilter(regex_pattern=pattern, group_select=group, fallback=fallback).apply([[resp]], [{}])
            filtered = list(out)[0][0]
        except IndexError:
            filtered = None  # lm-evaluation-harness fails on a group_select past the matches
        rx.append({"pattern": pattern, "group_select": group, "fallback": fallback, "response": resp,
                   "filtered": filtered})
    draws = []
    for seed, n, k, count in [(1234, 8, 3, 6), (1234, 5, 3, 4), (1234, 100, 4, 3), (1234, 40, 8, 3),
                              (0, 17, 5, 3), (2**40 + 7, 1000, 10, 2), (1234, 1, 1, 2)]:
        r = random.Random(seed)
        draws.append({"seed": seed, "n": n, "k": k, "draws": [r.sample(range(n), k) for _ in range(count)]})
    (OUT / "metrics.json").write_text(json.dumps({"exact_match": em, "regex": rx, "python_random": draws},
                                                 indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


CHAT_TEMPLATES = {
    "qwen25": """{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0]['role'] == 'system' %}
        {{- messages[0]['content'] }}
    {%- else %}
        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}
    {%- endif %}
    {{- "\\n\\n# Tools\\n\\n<tools>" }}
    {%- for tool in tools %}
        {{- "\\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\\n</tools><|im_end|>\\n" }}
{%- else %}
    {%- if messages[0]['role'] == 'system' %}
        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
    {%- else %}
        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
    {%- endif %}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- elif message.role == "assistant" %}
        {{- '<|im_start|>' + message.role }}
        {%- if message.content %}
            {{- '\\n' + message.content }}
        {%- endif %}
        {{- '<|im_end|>\\n' }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
""",
    "llama31": """{{- bos_token }}
{%- if custom_tools is defined %}
    {%- set tools = custom_tools %}
{%- endif %}
{%- if not tools_in_user_message is defined %}
    {%- set tools_in_user_message = true %}
{%- endif %}
{%- if not date_string is defined %}
    {%- set date_string = "26 Jul 2024" %}
{%- endif %}
{%- if not tools is defined %}
    {%- set tools = none %}
{%- endif %}

{#- This block extracts the system message, so we can slot it into the right place. #}
{%- if messages[0]['role'] == 'system' %}
    {%- set system_message = messages[0]['content']|trim %}
    {%- set messages = messages[1:] %}
{%- else %}
    {%- set system_message = "" %}
{%- endif %}

{#- System message + builtin tools #}
{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}
{%- if builtin_tools is defined or tools is not none %}
    {{- "Environment: ipython\\n" }}
{%- endif %}
{{- "Cutting Knowledge Date: December 2023\\n" }}
{{- "Today Date: " + date_string + "\\n\\n" }}
{{- system_message }}
{{- "<|eot_id|>" }}

{%- for message in messages %}
    {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}
        {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
{%- endif %}
""",
    "gemma": "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}"
             "{% endif %}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
             "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
             "{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}"
             "{% endif %}{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}"
             "{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\\n'}}{% endif %}",
}

CONVERSATIONS = {
    "user": [{"role": "user", "content": "What is 2+2?"}],
    "system_user": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": " What is 2+2? "}],
    "fewshot": [{"role": "system", "content": "Answer with a number."},
                {"role": "user", "content": "1+1?"}, {"role": "assistant", "content": "2"},
                {"role": "user", "content": "2+3?"}, {"role": "assistant", "content": "5"},
                {"role": "user", "content": "Line one\nline two: 3+4?"}],
    "no_system_fewshot": [{"role": "user", "content": "Q1"}, {"role": "assistant", "content": "A1"},
                          {"role": "user", "content": "Q2 with 'quotes' and \"doubles\""}],
}

SPECIAL_TOKENS = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}


def chat_goldens():
    chat = OUT / "chat"
    chat.mkdir(parents=True, exist_ok=True)
    mergekit = pathlib.Path("/work/refs/mergekit/mergekit/_data/chat_templates")
    templates = {}
    for f in sorted(mergekit.glob("*.jinja")):
        templates["mergekit-" + f.stem] = f.read_text(encoding="utf-8")
    templates.update(CHAT_TEMPLATES)
    cases = []
    for name, template in templates.items():
        (chat / f"{name}.jinja").write_text(template, encoding="utf-8")
        for conv_name, messages in CONVERSATIONS.items():
            for add in (True, False):
                try:
                    rendered, _ = render_jinja_template(conversations=[messages], chat_template=template,
                                                        add_generation_prompt=add, **SPECIAL_TOKENS)
                    cases.append({"template": name, "conversation": conv_name, "add_generation_prompt": add,
                                  "rendered": rendered[0]})
                except Exception as e:  # the template refuses the conversation (raise_exception)
                    cases.append({"template": name, "conversation": conv_name, "add_generation_prompt": add,
                                  "error": str(e)})
    (chat / "goldens.json").write_text(json.dumps({"special_tokens": SPECIAL_TOKENS,
                                                   "conversations": CONVERSATIONS, "cases": cases},
                                                  indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if MODEL.exists():
        shutil.rmtree(MODEL)
    vocab = make_tokenizer()
    make_model(vocab)
    AutoTokenizer.from_pretrained(str(MODEL))  # the tokenizer loads as transformers loads it
    run_lmeval()
    metric_goldens()
    chat_goldens()
    print("wrote", OUT)

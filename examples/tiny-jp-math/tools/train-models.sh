#!/usr/bin/env bash
# Regenerates the example's fixtures: the data (tools/MakeData.java) and the three models in models/ (a base trained
# broadly, then a language and a math specialist fine-tuned gently from it), with `evomerge train` on one PyTorch
# thread. Run from anywhere after `./mvnw -B -DskipTests package` at the repository root; about 25 minutes on a
# shared 2-core machine.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
java tools/MakeData.java .
evomerge() { java --enable-native-access=ALL-UNNAMED -jar "$root/evomerge-runtime/target/evomerge-runtime-0.1.0-SNAPSHOT-cli.jar" "$@"; }
BASE_STEPS="${BASE_STEPS:-1200}"
TUNE_STEPS="${TUNE_STEPS:-300}"
# SEED=n trains the base from seed n and the specialists from n+1 and n+2 (the committed models: SEED=21), into
# MODELS (default models/); tools/seed-study.sh uses both to measure other seeds without touching the fixtures
SEED="${SEED:-21}"
MODELS="${MODELS:-models}"
# the base: both languages, translation with half the verbs, addition only (partial abilities by design)
evomerge train "$MODELS/base" --overwrite --vocabulary training/vocabulary.txt \
  --data training/text.jsonl:1 training/lang-base.jsonl:0.4 training/math-base.jsonl:0.4 \
  --layers 6 --hidden 128 --intermediate 256 --heads 4 --kv-heads 2 \
  --steps "$BASE_STEPS" --batch 32 --lr 1e-3 --warmup 100 --seed "$SEED"
# the specialists: gentle fine-tunes on all of one task, replaying some text and the base's share of the other task
evomerge train "$MODELS/lang" --overwrite --from "$MODELS/base" \
  --data training/lang-spec.jsonl:1 training/text.jsonl:0.2 training/math-base.jsonl:0.2 \
  --steps "$TUNE_STEPS" --batch 32 --lr 3e-4 --warmup 20 --seed "$((SEED + 1))"
evomerge train "$MODELS/math" --overwrite --from "$MODELS/base" \
  --data training/math.jsonl:1 training/text.jsonl:0.2 training/lang-base.jsonl:0.2 \
  --steps "$TUNE_STEPS" --batch 32 --lr 3e-4 --warmup 20 --seed "$((SEED + 2))"

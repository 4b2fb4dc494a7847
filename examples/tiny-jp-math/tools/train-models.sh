#!/usr/bin/env bash
# Regenerates the example's fixtures: the data (tools/MakeData.java) and the three models in models/ (a base trained
# broadly, then a language and a math specialist fine-tuned gently from it), with `evomerge train` on one PyTorch
# thread. Run from anywhere after `./mvnw -B -DskipTests package` at the repository root; about 15 minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
java tools/MakeData.java .
evomerge() { java --enable-native-access=ALL-UNNAMED -jar "$root/evomerge-runtime/target/evomerge-runtime-0.1.0-SNAPSHOT-cli.jar" "$@"; }
BASE_STEPS="${BASE_STEPS:-1200}"
TUNE_STEPS="${TUNE_STEPS:-300}"
# the base: both languages, translation with half the verbs, addition only (partial abilities by design)
evomerge train models/base --overwrite --vocabulary training/vocabulary.txt \
  --data training/text.jsonl:1 training/lang-base.jsonl:0.4 training/math-base.jsonl:0.4 \
  --layers 6 --hidden 128 --intermediate 256 --heads 4 --kv-heads 2 \
  --steps "$BASE_STEPS" --batch 32 --lr 1e-3 --warmup 100 --seed 1
# the specialists: gentle fine-tunes on all of one task, replaying some text and the base's share of the other task
evomerge train models/lang --overwrite --from models/base \
  --data training/lang-spec.jsonl:1 training/text.jsonl:0.2 training/math-base.jsonl:0.2 \
  --steps "$TUNE_STEPS" --batch 32 --lr 3e-4 --warmup 20 --seed 2
evomerge train models/math --overwrite --from models/base \
  --data training/math.jsonl:1 training/text.jsonl:0.2 training/lang-base.jsonl:0.2 \
  --steps "$TUNE_STEPS" --batch 32 --lr 3e-4 --warmup 20 --seed 3

#!/usr/bin/env bash
# The seed study in README.md: for each training seed given, trains the three models as tools/train-models.sh does
# (SEED=n: the base from seed n, the specialists from n+1 and n+2) into STUDY/sN/models, scores every model on the
# three tasks with `evomerge evaluate` (test split), runs the example's PS+DFS and DFS searches on them with
# `evomerge evolve`, and prints one table row per seed. The committed models/ are left alone.
#   tools/seed-study.sh 11 21        # per seed: about 25 minutes of training (one thread), 6-10 of search
# Models already trained in STUDY/sN/models are reused. Run after `./mvnw -B -DskipTests package` at the root.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
study="$(mkdir -p "${STUDY:-$here/target/seed-study}" && cd "${STUDY:-$here/target/seed-study}" && pwd)"
evomerge() { java --enable-native-access=ALL-UNNAMED -jar "$root/evomerge-runtime/target/evomerge-runtime-0.1.0-SNAPSHOT-cli.jar" "$@"; }
[ $# -gt 0 ] || { echo "usage: $0 SEED..." >&2; exit 2; }
for seed in "$@"; do
  dir="$study/s$seed"
  mkdir -p "$dir"
  if [ ! -f "$dir/models/math/model.safetensors" ]; then
    SEED="$seed" MODELS="$dir/models" "$here/tools/train-models.sh" > "$dir/train.log" 2>&1
  fi
  rm -rf "$dir/src" "$dir/ps-dfs" "$dir/dfs"
  mkdir -p "$dir/src"
  cp -r "$here/src/evomerge" "$dir/src/"
  cd "$dir"
  for m in base lang math; do
    evomerge evaluate --model "models/$m" --task src/evomerge/tasks/{lang,math,cross}.yaml --batch-size 64 \
      --threads 1 --output "eval-$m.json" > /dev/null
  done
  evomerge evolve src/evomerge/evolve.yml --work-dir ps-dfs > ps-dfs.log 2>&1
  evomerge evolve src/evomerge/evolve-dfs.yml --work-dir dfs > dfs.log 2>&1
  cd "$here"
done
pc() { awk '{ printf "%.1f", $1 * 100 }'; }
echo "| seeds | lang: lang/math/cross | math: lang/math/cross | base: lang/math/cross | best source | untuned | PS | DFS | PS+DFS | PS+DFS scales 1 |"
echo "|---|---|---|---|---:|---:|---:|---:|---:|---:|"
for seed in "$@"; do
  dir="$study/s$seed"
  scores() {
    for t in lang math cross; do jq -r ".results.$t[\"exact_match,none\"]" "$dir/eval-$1.json" | pc; echo; done | paste -sd/
  }
  h="$dir/ps-dfs/summary.json"
  f() { jq -r "$1" "$2" | pc; }
  echo "| $seed, $((seed + 1)), $((seed + 2)) | $(scores lang) | $(scores math) | $(scores base) |" \
    "$(f '[.sources[] | .test.fitness] | max' "$h") | $(f .untuned_merge.test.fitness "$h") | $(f .ps.test.fitness "$h") |" \
    "$(f .best.test.fitness "$dir/dfs/summary.json") | $(f .best.test.fitness "$h") | $(f .best_unit_scales.test.fitness "$h") |"
done

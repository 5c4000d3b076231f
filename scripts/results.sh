#!/usr/bin/env bash
# docs/results.md's numbers: MoMQ, LoRA and full fine-tuning of the pre-trained demo base, in the
# full setting (600 training items per dialect) and an imbalanced one (mysql 600, the others 128),
# each scored on the test split (databases never trained on: hospital, retail) and on unseen
# questions about the training databases (train.jsonl items after the first 600 per dialect),
# against SQLite, PostgreSQL, MariaDB and FalkorDB. Run scripts/train-demo-model.sh first (it makes
# the benchmark, the base model and the MoMQ full-setting run this reuses).
# Usage: scripts/results.sh [WORK_DIR]   (default build/demo-model); writes WORK_DIR/results/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$root/build/demo-model}
momq=$root/build/engine/momq
out=$work/results
mkdir -p "$out"
full=600; few=128; test_n=100
dialects=(mysql postgresql sqlite cypher ngql)
limits() { local s=""; for d in "${dialects[@]}"; do n=$2; [ "$d" = "$1" ] && n=$full; s+="$d=$n,"; done; echo "${s%,}"; }
state=$work/results-servers
trap '"$root/tests/fixtures/db-servers.sh" stop "$state" > /dev/null' EXIT
"$root/tests/fixtures/db-servers.sh" start "$state" > /dev/null
port() { python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))[sys.argv[2]]["port"])' "$state/servers.json" "$1"; }
export MOMQ_DEMO_DB_PASSWORD=momq-test-secret
cp "$work/bench/databases.json" "$out/databases.json"
for engine in postgresql mysql; do
  "$momq" db load --benchmark "$work/bench" --config "$out/databases.json" --engine $engine --port "$(port $engine)" --user momq --password-env MOMQ_DEMO_DB_PASSWORD > /dev/null
done
"$momq" db load --benchmark "$work/bench" --config "$out/databases.json" --engine falkordb --port "$(port falkordb)" > /dev/null
sed -i 's#"sqlite/#"../bench/sqlite/#' "$out/databases.json"

run() {  # name method lr limits
  local name=$1 method=$2 lr=$3 lim=$4 dir=$out/$1
  if [ "$name" = momq-full ]; then dir=$work/momq; fi
  if [ ! -f "$dir/adapter/config.json" ] && [ ! -f "$dir/adapter/adapter_config.json" ]; then
    echo "== $(date -u +%H:%M:%S) train $name" >&2
    "$momq" train --model "$work/pretrain/model" --data "$work/bench/train.jsonl" --schemas "$work/bench/schemas" --out "$dir" \
      --method "$method" --config "$root/resources/demo/momq-train.json" --lr "$lr" --per-dialect-limit "$lim" > /dev/null 2> "$out/$name.train.log"
  fi
  local model=$work/pretrain/model adapter=(--adapter "$dir/adapter")
  if [ "$method" = full ]; then model=$dir/adapter; adapter=(); fi
  echo "== $(date -u +%H:%M:%S) evaluate $name" >&2
  "$momq" eval --model "$model" "${adapter[@]}" --data "$work/bench/test.jsonl" --schemas "$work/bench/schemas" \
    --databases "$out/databases.json" --per-dialect-limit $test_n --max-new-tokens 96 --out "$out/$name.test.json" > "$out/$name.test.txt" 2> /dev/null
  "$momq" eval --model "$model" "${adapter[@]}" --data "$work/bench/train.jsonl" --schemas "$work/bench/schemas" \
    --databases "$out/databases.json" --per-dialect-offset $full --per-dialect-limit $test_n --max-new-tokens 96 \
    --out "$out/$name.seen-dbs.json" > "$out/$name.seen-dbs.txt" 2> /dev/null
}
all=$(limits none $full); imb=$(limits mysql $few)
run momq-full momq 0.002 "$all"
run lora-full lora 0.002 "$all"
run full-full full 0.0005 "$all"
run momq-imbalanced momq 0.002 "$imb"
run lora-imbalanced lora 0.002 "$imb"
run full-imbalanced full 0.0005 "$imb"
echo "== $(date -u +%H:%M:%S) done" >&2

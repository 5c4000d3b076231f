#!/usr/bin/env bash
# docs/results.md's comparisons, in miniature, on the task-pre-trained demo base
# (scripts/train-demo-model.sh makes it, with the benchmark and the MoMQ run this reuses):
#   Table 1   MoMQ, LoRA and full fine-tuning, every dialect (the "full" setting)
#   Tables 3-4  one complete dialect (MySQL) and few items of each other (imbalanced)
#   Table 5   MoMQ without shared experts, without the dialect-router loss, without the dialect
#             router (a flat MoE) and without dialect groups (plain LoRA on the down-projection)
# Each run is scored on the generated test databases against SQLite, PostgreSQL, MariaDB and
# FalkorDB (nGQL by exact match); scripts/report_summary.py prints EX per dialect with item counts
# and 95 % intervals. Usage: scripts/results.sh [WORK_DIR]   (default build/demo-model).
# Environment: MOMQ_RESULTS_TRAIN (items per dialect, default 300), MOMQ_RESULTS_FEW (default 64),
# MOMQ_RESULTS_TEST (test items per dialect, default 100), MOMQ_RESULTS_RUNS (names, default all).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$root/build/demo-model}
momq=$root/build/engine/momq
out=$work/results
mkdir -p "$out"
full=${MOMQ_RESULTS_TRAIN:-300}; few=${MOMQ_RESULTS_FEW:-64}; test_n=${MOMQ_RESULTS_TEST:-100}
base=$work/task/adapter
dialects=(mysql postgresql sqlite cypher ngql)
limits() { local s=""; for d in "${dialects[@]}"; do n=$2; [ "$d" = "$1" ] && n=$full; s+="$d=$n,"; done; echo "${s%,}"; }
state=$work/results-servers
trap '"$root/tests/fixtures/db-servers.sh" stop "$state" > /dev/null' EXIT
"$root/tests/fixtures/db-servers.sh" start "$state" > /dev/null
port() { python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))[sys.argv[2]]["port"])' "$state/servers.json" "$1"; }
export MOMQ_DEMO_DB_PASSWORD=momq-test-secret
cp "$work/bench/databases.json" "$out/databases.json"
for engine in postgresql mysql; do
  "$momq" db load --benchmark "$work/bench" --config "$out/databases.json" --engine $engine --port "$(port $engine)" \
    --user momq --password-env MOMQ_DEMO_DB_PASSWORD --split test > /dev/null
done
"$momq" db load --benchmark "$work/bench" --config "$out/databases.json" --engine falkordb --port "$(port falkordb)" --split test > /dev/null
sed -i 's#"sqlite/#"../bench/sqlite/#' "$out/databases.json"

run() {  # name method lr limits [ablation config]
  local name=$1 method=$2 lr=$3 lim=$4 extra=${5:-} dir=$out/$1 config=$root/resources/demo/momq-train.json
  case " ${MOMQ_RESULTS_RUNS:-$name} " in *" $name "*) ;; *) return 0 ;; esac
  if [ -n "$extra" ]; then
    config=$out/$name.config.json
    python3 -c 'import json,sys;c=json.load(open(sys.argv[1]));c.update(json.loads(sys.argv[2]));json.dump(c,open(sys.argv[3],"w"))' \
      "$root/resources/demo/momq-train.json" "$extra" "$config"
  fi
  if [ ! -f "$dir/adapter/config.json" ] && [ ! -f "$dir/adapter/adapter_config.json" ]; then
    echo "== $(date -u +%H:%M:%S) train $name" >&2
    "$momq" train --model "$base" --data "$work/bench/train.jsonl" --schemas "$work/bench/schemas" --out "$dir" \
      --method "$method" --config "$config" --lr "$lr" --per-dialect-limit "$lim" > /dev/null 2> "$out/$name.train.log"
  fi
  local model=$base adapter=(--adapter "$dir/adapter")
  if [ "$method" = full ]; then model=$dir/adapter; adapter=(); fi
  echo "== $(date -u +%H:%M:%S) evaluate $name" >&2
  "$momq" eval --model "$model" "${adapter[@]}" --data "$work/bench/test.procedural.jsonl" --schemas "$work/bench/schemas" \
    --databases "$out/databases.json" --per-dialect-limit "$test_n" --max-new-tokens 128 \
    --out "$out/$name.test.json" > "$out/$name.test.txt" 2> /dev/null
}
all=$(limits none "$full"); imb=$(limits mysql "$few")
run momq-full momq 0.002 "$all"
run lora-full lora 0.002 "$all"
run full-full full 0.0005 "$all"
run momq-imbalanced momq 0.002 "$imb"
run lora-imbalanced lora 0.002 "$imb"
run full-imbalanced full 0.0005 "$imb"
run momq-no-shared momq 0.002 "$all" '{"shared_experts": 0}'
run momq-no-drl momq 0.002 "$all" '{"dialect_router_loss": false}'
run momq-no-router momq 0.002 "$all" '{"dialect_router": false}'
run momq-no-groups momq 0.002 "$all" '{"dialect_groups": false}'
args=()
for f in "$out"/*.test.json; do args+=("$(basename "$f" .test.json)=$f"); done
python3 "$root/scripts/report_summary.py" "${args[@]}" | tee "$out/summary.md"
echo "== $(date -u +%H:%M:%S) done" >&2

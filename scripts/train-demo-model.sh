#!/usr/bin/env bash
# The embedded demo model, end to end with this project's own tools and nothing downloaded:
#   1. the built-in benchmark (`momq data synth`)
#   2. pre-training text from its training split only (`momq data corpus`)
#   3. a byte-level BPE tokenizer (`momq tokenizer train`)
#   4. a small Qwen2 pre-trained from scratch (`momq pretrain`)
#   5. MoMQ fine-tuning on the training split (`momq train --method momq`)
#   6. evaluation on the test split against SQLite, PostgreSQL, MariaDB and FalkorDB, started on
#      loopback by the test fixture and stopped afterwards (`momq db load`, `momq eval`)
#   7. installation into resources/demo/model and resources/demo/adapter (what the app ships)
# Usage: scripts/train-demo-model.sh [WORK_DIR]   (default build/demo-model; steps already done
# are kept, so a stopped run continues). Needs the build from scripts/setup.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$root/build/demo-model}
momq=$root/build/engine/momq
mkdir -p "$work"
per_dialect=600     # training items per dialect (the "full" setting of docs/results.md)
test_per_dialect=100
step() { echo "== $(date -u +%H:%M:%S) $*" >&2; }

[ -f "$work/bench/manifest.json" ] || { step synth; "$momq" data synth --out "$work/bench" > /dev/null; }
[ -f "$work/corpus.jsonl" ] || { step corpus; "$momq" data corpus --benchmark "$work/bench" --out "$work/corpus.jsonl" > /dev/null; }
[ -f "$work/tokenizer/tokenizer.json" ] || { step tokenizer; "$momq" tokenizer train --corpus "$work/corpus.jsonl" --out "$work/tokenizer" --vocab-size 4096 > /dev/null; }
if [ ! -f "$work/pretrain/model/model.safetensors" ]; then
  step pretrain
  resume=(); [ -f "$work/pretrain/latest" ] && resume=(--resume)
  "$momq" pretrain --tokenizer "$work/tokenizer" --corpus "$work/corpus.jsonl" --out "$work/pretrain" --epochs 3 "${resume[@]}" > /dev/null
fi
limits="mysql=$per_dialect,postgresql=$per_dialect,sqlite=$per_dialect,cypher=$per_dialect,ngql=$per_dialect"
if [ ! -f "$work/momq/adapter/adapter_config.json" ]; then
  step "fine-tune (MoMQ)"
  resume=(); [ -f "$work/momq/latest" ] && resume=(--resume)
  "$momq" train --model "$work/pretrain/model" --data "$work/bench/train.jsonl" --schemas "$work/bench/schemas" \
    --out "$work/momq" --method momq --config "$root/resources/demo/momq-train.json" --per-dialect-limit "$limits" "${resume[@]}" > /dev/null
fi

step "databases"
state=$work/servers
trap '"$root/tests/fixtures/db-servers.sh" stop "$state" > /dev/null' EXIT
"$root/tests/fixtures/db-servers.sh" start "$state" > /dev/null
port() { python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))[sys.argv[2]]["port"])' "$state/servers.json" "$1"; }
export MOMQ_DEMO_DB_PASSWORD=momq-test-secret
cp "$work/bench/databases.json" "$work/databases.json"
"$momq" db load --benchmark "$work/bench" --config "$work/databases.json" --engine postgresql --port "$(port postgresql)" --user momq --password-env MOMQ_DEMO_DB_PASSWORD > /dev/null
"$momq" db load --benchmark "$work/bench" --config "$work/databases.json" --engine mysql --port "$(port mysql)" --user momq --password-env MOMQ_DEMO_DB_PASSWORD > /dev/null
"$momq" db load --benchmark "$work/bench" --config "$work/databases.json" --engine falkordb --port "$(port falkordb)" > /dev/null
sed -i 's#"sqlite/#"bench/sqlite/#' "$work/databases.json"

step "evaluate (MoMQ)"
"$momq" eval --model "$work/pretrain/model" --adapter "$work/momq/adapter" --data "$work/bench/test.jsonl" \
  --schemas "$work/bench/schemas" --databases "$work/databases.json" --per-dialect-limit "$test_per_dialect" \
  --max-new-tokens 96 --out "$work/momq/report.json" | tee "$work/momq/table.txt"

step "install into resources/demo"
dest=$root/resources/demo
rm -rf "$dest/model" "$dest/adapter" "$dest/metrics.jsonl" "$dest/report.json"
mkdir -p "$dest/model"
cp "$work/pretrain/model/config.json" "$work/pretrain/model/model.safetensors" "$work/pretrain/model/tokenizer.json" "$dest/model/"
cp -r "$work/momq/adapter" "$dest/adapter"
cp "$work/momq/table.txt" "$dest/evaluation.txt"
cp "$work/momq/metrics.jsonl" "$dest/metrics.jsonl"
cp "$work/momq/report.json" "$dest/report.json"
du -sh "$dest/model" "$dest/adapter" >&2
step done

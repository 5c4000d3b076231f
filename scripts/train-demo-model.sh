#!/usr/bin/env bash
# The embedded demo model, end to end with this project's own tools and nothing downloaded:
#   1. the built-in benchmark (`momq data synth`): the six hand-written domains and 1,000 generated
#      training / 200 generated test databases drawn from disjoint word lists
#   2. text from its training split only (`momq data corpus`)
#   3. a byte-level BPE tokenizer whose words never take a leading space or symbol, so that a name
#      is the same tokens in the schema and in the query (`momq tokenizer train`)
#   4. a small Qwen2 started from scratch with a short language-model pass (`momq pretrain`)
#   5. task pre-training: every weight, every dialect, on the generated databases, the loss on the
#      prompt as well as the answer (`momq train --method full`, resources/demo/task-train.json)
#      then a second pass at half the learning rate over the next items of each dialect (task2-train.json)
#   6. MoMQ fine-tuning on top (`momq train --method momq`)
#   7. evaluation against SQLite, PostgreSQL, MariaDB and FalkorDB, started on loopback by the test
#      fixture and stopped afterwards (`momq db load`, `momq eval`): the generated test databases,
#      hospital and retail, unseen questions about the training databases (SQLite), and the
#      generated test databases again without the schema constraint
#   8. with MOMQ_INSTALL_DEMO=1, installation into resources/demo/model and resources/demo/adapter
#      (what the app ships)
# Usage: [MOMQ_INSTALL_DEMO=1] scripts/train-demo-model.sh [WORK_DIR]   (default build/demo-model; steps already done are
# kept and an interrupted training step resumes from its last checkpoint). Needs scripts/setup.sh's build.
# Budget: about 75 minutes to the end of training on the 2-core development VM (docs/results.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$root/build/demo-model}
momq=${MOMQ_BIN:-$root/build/engine/momq}  # another build of momq (or a wrapper) may stand in
mkdir -p "$work"
task_per_dialect=${MOMQ_TASK_PER_DIALECT:-3600}  # task pre-training items per dialect
task2_per_dialect=${MOMQ_TASK2_PER_DIALECT:-$task_per_dialect}  # ... and in the second pass (the next ones)
momq_per_dialect=${MOMQ_FINETUNE_PER_DIALECT:-300}
test_per_dialect=${MOMQ_TEST_PER_DIALECT:-200}
step() { echo "== $(date -u +%H:%M:%S) $*" >&2; }
limits() { echo "mysql=$1,postgresql=$1,sqlite=$1,cypher=$1,ngql=$1"; }
resume() { [ -f "$1/latest" ] && echo --resume || true; }
# Items FROM..TO (1-based, inclusive) of each dialect of a data file, in order; with DIALECT=d only
# that dialect's, with GENERATED_ONLY=1 only those of generated databases (db_id g…).
slice() {  # data out from to
  python3 - "$@" <<'PY'
import json, os, sys
data, out, first, last = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
count = {}
with open(data) as src, open(out + ".tmp", "w") as dst:
    for line in src:
        item = json.loads(line)
        n = count[item["dialect"]] = count.get(item["dialect"], 0) + 1
        if (first <= n <= last and os.environ.get("DIALECT", item["dialect"]) == item["dialect"]
                and (os.environ.get("GENERATED_ONLY") != "1" or item["db_id"].startswith("g"))):
            dst.write(line)
os.replace(out + ".tmp", out)
PY
}

[ -f "$work/bench/manifest.json" ] || { step synth; "$momq" data synth --out "$work/bench" > /dev/null; }
[ -f "$work/corpus.jsonl" ] || { step corpus; "$momq" data corpus --benchmark "$work/bench" --out "$work/corpus.jsonl" --prompt-every 32 > /dev/null; }
[ -f "$work/tokenizer/tokenizer.json" ] || { step tokenizer; "$momq" tokenizer train --corpus "$work/corpus.jsonl" --out "$work/tokenizer" --vocab-size 4096 > /dev/null; }
if [ ! -f "$work/pretrain/model/model.safetensors" ]; then
  step "pretrain (language model)"
  "$momq" pretrain --tokenizer "$work/tokenizer" --corpus "$work/corpus.jsonl" --out "$work/pretrain" \
    --positions 1024 --seq-len 512 --max-steps 150 $(resume "$work/pretrain") > /dev/null
fi
if [ ! -f "$work/task/adapter/model.safetensors" ]; then
  step "task pre-training (all weights)"
  "$momq" train --model "$work/pretrain/model" --data "$work/bench/train.jsonl" --schemas "$work/bench/schemas" \
    --out "$work/task" --method full --config "$root/resources/demo/task-train.json" \
    --per-dialect-limit "$(limits "$task_per_dialect")" $(resume "$work/task") > /dev/null
fi
if [ ! -f "$work/task2/adapter/model.safetensors" ]; then
  step "task pre-training, second pass (all weights, lower learning rate, the next items)"
  [ -f "$work/task2-items.jsonl" ] ||
    slice "$work/bench/train.jsonl" "$work/task2-items.jsonl" $((task_per_dialect + 1)) $((task_per_dialect + task2_per_dialect))
  "$momq" train --model "$work/task/adapter" --data "$work/task2-items.jsonl" --schemas "$work/bench/schemas" \
    --out "$work/task2" --method full --config "$root/resources/demo/task2-train.json" $(resume "$work/task2") > /dev/null
fi
if [ ! -f "$work/momq/adapter/adapter_config.json" ]; then
  step "fine-tune (MoMQ)"
  "$momq" train --model "$work/task2/adapter" --data "$work/bench/train.jsonl" --schemas "$work/bench/schemas" \
    --out "$work/momq" --method momq --config "$root/resources/demo/momq-train.json" \
    --per-dialect-limit "$(limits "$momq_per_dialect")" $(resume "$work/momq") > /dev/null
fi

step "databases"
state=$work/servers
trap '"$root/tests/fixtures/db-servers.sh" stop "$state" > /dev/null' EXIT
"$root/tests/fixtures/db-servers.sh" start "$state" > /dev/null
port() { python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))[sys.argv[2]]["port"])' "$state/servers.json" "$1"; }
export MOMQ_DEMO_DB_PASSWORD=momq-test-secret
cp "$work/bench/databases.json" "$work/databases.json"
for engine in postgresql mysql; do
  "$momq" db load --benchmark "$work/bench" --config "$work/databases.json" --engine $engine --port "$(port $engine)" \
    --user momq --password-env MOMQ_DEMO_DB_PASSWORD --split test > /dev/null
done
"$momq" db load --benchmark "$work/bench" --config "$work/databases.json" --engine falkordb --port "$(port falkordb)" --split test > /dev/null
sed -i 's#"sqlite/#"bench/sqlite/#' "$work/databases.json"

evaluate() {  # name, data file, extra options
  local name=$1 data=$2; shift 2
  step "evaluate $name"
  "$momq" eval --model "$work/task2/adapter" --adapter "$work/momq/adapter" --data "$data" \
    --schemas "$work/bench/schemas" --databases "$work/databases.json" --max-new-tokens 128 \
    --out "$work/momq/report.$name.json" "$@" | tee "$work/momq/table.$name.txt"
}
evaluate generated "$work/bench/test.procedural.jsonl" --per-dialect-limit "$test_per_dialect"
evaluate handwritten "$work/bench/test.handwritten.jsonl" --per-dialect-limit 100
# questions never trained on about generated training databases (after both task slices; SQLite: the
# servers hold only the test databases)
trained=$((task_per_dialect + task2_per_dialect))
DIALECT=sqlite GENERATED_ONLY=1 slice "$work/bench/train.jsonl" "$work/seen-schemas.jsonl" $((trained + 1)) $((trained + task_per_dialect))
evaluate seen-schemas "$work/seen-schemas.jsonl" --per-dialect-limit "$test_per_dialect"
evaluate generated-unconstrained "$work/bench/test.procedural.jsonl" --per-dialect-limit "$test_per_dialect" --no-constraint

# The shipped model is replaced only when asked: a run that scores worse must not overwrite it.
if [ "${MOMQ_INSTALL_DEMO:-0}" != 1 ]; then
  step "done (MOMQ_INSTALL_DEMO=1 installs this model into resources/demo)"
  exit 0
fi
step "install into resources/demo"
dest=$root/resources/demo
rm -rf "$dest/model" "$dest/adapter" "$dest/metrics.jsonl" "$dest/report.json"
mkdir -p "$dest/model"
cp "$work/task2/adapter/config.json" "$work/task2/adapter/model.safetensors" "$work/task2/adapter/tokenizer.json" "$dest/model/"
cp -r "$work/momq/adapter" "$dest/adapter"
cat "$work/momq/table.generated.txt" > "$dest/evaluation.txt"
cat "$work/task/metrics.jsonl" "$work/task2/metrics.jsonl" > "$dest/task-metrics.jsonl"
cp "$work/momq/metrics.jsonl" "$dest/metrics.jsonl"
cp "$work/momq/report.generated.json" "$dest/report.json"
du -sh "$dest/model" "$dest/adapter" >&2
step done

#!/usr/bin/env bash
# `momq bench ask` (issue 16): the five dialects of one question as one batch against five
# generations one after another, and the schema constraint's cost per decoded token, on a random
# model of Qwen2-0.5B's shape (with the demo tokenizer's vocabulary) and a schema of ~1,000 prompt
# tokens, on the CPU. Writes docs/bench/ask-qwen2-0.5b-cpu.json.   Usage: scripts/bench-ask.sh
# (MOMQ_BENCH_THREADS: threads, default all cores; MOMQ_BENCH_RUNS, MOMQ_BENCH_NEW_TOKENS)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=$root/.venv/bin/python
model=$root/build/bench-models/qwen2-0.5b-demo-vocab
work=$root/build/bench-ask
mkdir -p "$work" "$root/docs/bench"
[ -f "$model/config.json" ] ||
  "$py" "$root/scripts/make_bench_model.py" --preset 0.5b --out "$model" --tokenizer "$root/resources/demo/model/tokenizer.json"
# A schema of eight tables of ten columns, and its graph form: about 1,000 tokens of prompt.
"$py" - "$work" <<'PY'
import json, sys
out = sys.argv[1]
words = ["order", "customer", "product", "invoice", "warehouse", "supplier", "shipment", "employee"]
cols = ["name", "status", "price", "quantity", "created_on", "region", "category", "rating", "weight_kg", "notes"]
tables, nodes = [], []
for w in words:
    columns = [{"name": "id", "type": "INTEGER", "description": f"unique {w} id", "primary_key": True}]
    columns += [{"name": c, "type": "VARCHAR(40)", "description": f"the {w}'s {c.replace('_', ' ')}",
                 "examples": [f"{c}-1", f"{c}-2"]} for c in cols]
    tables.append({"name": w + "s", "description": f"one row per {w}", "columns": columns})
    nodes.append({"label": w.capitalize(), "properties": [{"name": c, "type": "STRING", "examples": [f"{c}-1"]} for c in cols]})
rels = [{"type": "LINKED_TO", "from": words[i].capitalize(), "to": words[i + 1].capitalize()} for i in range(len(words) - 1)]
json.dump({"db_id": "bench", "kind": "relational", "tables": tables}, open(f"{out}/relational.json", "w"))
json.dump({"db_id": "bench_graph", "kind": "graph", "nodes": nodes, "relationships": rels}, open(f"{out}/graph.json", "w"))
PY
"$root/build/engine/momq" --threads "${MOMQ_BENCH_THREADS:-$(nproc)}" bench ask --model "$model" --schema "$work/relational.json" \
  --graph-schema "$work/graph.json" --question "How many orders have the status shipped?" --runs "${MOMQ_BENCH_RUNS:-3}" \
  --max-new-tokens "${MOMQ_BENCH_NEW_TOKENS:-32}" --out "$root/docs/bench/ask-qwen2-0.5b-cpu.json"

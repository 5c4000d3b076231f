#!/usr/bin/env bash
# Side-by-side generation benchmark: `momq bench generate` and Hugging Face transformers on the
# same random models (the tiny test model and a ~100M-parameter Qwen2), same prompt, same counts.
# Writes one JSON file per measurement under docs/bench/ and prints a Markdown table for
# docs/benchmarks.md.   Usage: scripts/bench-generate.sh [cpu|cuda] [f32|bf16]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
device=${1:-cpu}
dtype=${2:-f32}
py=$root/.venv/bin/python
momq=$root/build/engine/momq
out=$root/docs/bench
mkdir -p "$out" "$root/build/bench-models"
threads=$(nproc)
models=("$root/tests/data/engine/tiny-qwen2")
big=$root/build/bench-models/qwen2-100m
[ -f "$big/config.json" ] || "$py" "$root/scripts/make_bench_model.py" --preset 100m --out "$big"
models+=("$big")
if [ "$device" = cuda ]; then
  big15=$root/build/bench-models/qwen2-1.5b
  [ -f "$big15/config.json" ] || "$py" "$root/scripts/make_bench_model.py" --preset 1.5b --out "$big15" --dtype bfloat16
  models+=("$big15")
fi
echo "| model | parameters | engine | prefill tok/s | decode tok/s | peak RSS MB |"
echo "| --- | --- | --- | --- | --- | --- |"
for m in "${models[@]}"; do
  name=$(basename "$m")
  "$momq" --threads "$threads" bench generate --model "$m" --device "$device" --dtype "$dtype" \
    --prompt-tokens 128 --new-tokens 64 --runs 3 > "$out/generate-$name-$device-$dtype-momq.json"
  "$py" "$root/scripts/bench_hf_generate.py" --model "$m" --device "$device" --dtype "$dtype" --threads "$threads" \
    --prompt-tokens 128 --new-tokens 64 --runs 3 > "$out/generate-$name-$device-$dtype-transformers.json"
  for engine in momq transformers; do
    "$py" - "$out/generate-$name-$device-$dtype-$engine.json" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"| {sys.argv[2]} | {r['parameters'] / 1e6:.1f}M | {r['engine']} | {r['prefill_tokens_per_s']:.0f} | "
      f"{r['decode_tokens_per_s']:.1f} | {r['peak_rss_mb']:.0f} |")
PY
  done
done

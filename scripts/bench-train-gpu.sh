#!/usr/bin/env bash
# The training-memory benchmark issue 4 asks of a GPU machine: a Qwen2-7B-shaped random model,
# MoMQ (rank 128, 4 groups x 8 experts + 2 shared, paper routing) and plain LoRA (rank 128), bf16
# with gradient checkpointing at sequence length 2048, batch 1. Prints `momq bench train`'s JSON
# (seconds per step, tokens/s) and the GPU memory in use at its peak, sampled every 100 ms by
# nvidia-smi while each run trains (the process's whole footprint: allocator cache and CUDA
# context included). Writes docs/bench/train-qwen2-7b-cuda-bf16-{momq,lora}.json.
#   Usage: scripts/bench-train-gpu.sh [MODEL_DIR]   (the model is built there when missing)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=$root/.venv/bin/python
[ -x "$py" ] || py=python3
momq=$root/build/engine/momq
model=${1:-$root/build/bench-models/qwen2-7b}
out=$root/docs/bench
mkdir -p "$out"
[ -f "$model/config.json" ] || "$py" "$root/scripts/make_bench_model.py" --preset 7b --dtype bfloat16 --device cuda --out "$model"
for run in momq-paper lora; do
  name=${run%-paper}
  samples=$(mktemp)
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > "$samples" &
  sampler=$!
  "$momq" bench train --model "$model" --device cuda --precision bf16 --gradient-checkpointing --batch-size 1 \
    --seq-len 2048 --steps 3 --rounds 1 --rank 128 --runs "$run" > "$out/train-qwen2-7b-cuda-bf16-$name.json"
  kill "$sampler"
  peak=$(sort -n "$samples" | tail -1)
  rm -f "$samples"
  "$py" - "$out/train-qwen2-7b-cuda-bf16-$name.json" "$peak" <<'PY'
import json, sys
path, peak = sys.argv[1], int(sys.argv[2])
report = json.load(open(path))
report["peak_gpu_memory_mib"] = peak
json.dump(report, open(path, "w"), indent=2)
run = report["runs"][0]
print(f"{run['run']}: {run['seconds_per_step']:.2f} s/step, {run['tokens_per_s']:.0f} tokens/s, peak GPU memory {peak} MiB")
PY
done

#!/usr/bin/env python3
"""The lower bound on one decode step of the 100M benchmark model: only its matrix products
(per layer: stacked q/k/v, o, stacked gate/up, down; then the 32000-row output layer), batch 1,
random weights, 2 threads, no model around them. docs/benchmarks.md compares decode speeds to it.

    .venv/bin/python scripts/bench_matmul_floor.py
"""
import time

import torch

torch.set_num_threads(2)
H, I, L, V, KV = 768, 2048, 12, 32000, 256
for dtype in (torch.float32, torch.bfloat16):
    weights = []
    for _ in range(L):
        weights.append((torch.randn(H + KV, H, dtype=dtype), torch.randn(H, H, dtype=dtype),
                        torch.randn(2 * I, H, dtype=dtype), torch.randn(H, I, dtype=dtype)))
    head = torch.randn(V, H, dtype=dtype)
    x = torch.randn(1, 1, H, dtype=dtype)
    u = torch.randn(1, 1, I, dtype=dtype)

    def step():
        for qkv, o, gate_up, down in weights:
            torch.nn.functional.linear(x, qkv)
            torch.nn.functional.linear(x, o)
            torch.nn.functional.linear(x, gate_up)
            torch.nn.functional.linear(u, down)
        torch.nn.functional.linear(x, head)

    with torch.inference_mode():
        for _ in range(5):
            step()
        n = 30
        start = time.perf_counter()
        for _ in range(n):
            step()
        seconds = (time.perf_counter() - start) / n
    print(f"{str(dtype):15} {seconds * 1e3:.2f} ms per step = at most {1 / seconds:.1f} tokens/s")

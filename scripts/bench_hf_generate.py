#!/usr/bin/env python3
"""The Hugging Face side of `momq bench generate`: the same model folder, the same prompt ids, the
same counts, timed the same way (prefill = generating the first token; decode = the rest).

    .venv/bin/python scripts/bench_hf_generate.py --model DIR --prompt-tokens 128 --new-tokens 64
"""
import argparse
import json
import resource
import statistics
import time

import torch
from transformers import AutoModelForCausalLM


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--prompt-tokens", type=int, default=128)
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--dtype", default="f32", choices=["f32", "bf16", "f16"])
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    dtype = {"f32": torch.float32, "bf16": torch.bfloat16, "f16": torch.float16}[args.dtype]
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=dtype).to(args.device).eval()
    vocab = model.config.vocab_size
    ids = torch.tensor([[(i * 7919 + 13) % vocab for i in range(args.prompt_tokens)]], device=args.device)
    mask = torch.ones_like(ids)

    def timed(n):
        if args.device == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        with torch.inference_mode():
            model.generate(ids, attention_mask=mask, max_new_tokens=n, min_new_tokens=n, do_sample=False,
                           pad_token_id=0, eos_token_id=None)
        if args.device == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - start

    prefill, decode = [], []
    for run in range(args.runs + 1):
        first = timed(1)
        total = timed(args.new_tokens)
        if run == 0:
            continue  # warm-up
        prefill.append(args.prompt_tokens / first)
        decode.append((args.new_tokens - 1) / (total - first))
    print(json.dumps({
        "engine": "transformers", "model": args.model,
        "parameters": sum(p.numel() for p in model.parameters()), "device": args.device, "dtype": args.dtype,
        "threads": torch.get_num_threads(), "prompt_tokens": args.prompt_tokens, "new_tokens": args.new_tokens,
        "runs": args.runs, "prefill_tokens_per_s": statistics.median(prefill),
        "decode_tokens_per_s": statistics.median(decode),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3}, indent=2))


if __name__ == "__main__":
    main()

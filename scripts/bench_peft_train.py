#!/usr/bin/env python3
"""The Hugging Face side of `momq bench train`'s LoRA figure: transformers + PEFT LoRA on the same
model folder, same batch shape, rank, alpha, dropout, targets (all seven projections), AdamW
settings and clipping; one warm-up step, then the mean of the timed steps.

    .venv/bin/python scripts/bench_peft_train.py --model DIR --batch-size 4 --seq-len 128 --steps 2
"""
import argparse
import json
import time

import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--batch-size", type=int, default=4)
    ap.add_argument("--seq-len", type=int, default=128)
    ap.add_argument("--steps", type=int, default=2)
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(7)
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32, attn_implementation="sdpa")
    config = LoraConfig(r=args.rank, lora_alpha=2 * args.rank, lora_dropout=0.05, bias="none", task_type="CAUSAL_LM",
                        target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    model = get_peft_model(model, config)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=1e-4, betas=(0.9, 0.95), weight_decay=0.1)
    ids = torch.randint(model.config.vocab_size, (args.batch_size, args.seq_len))

    def step():
        optimizer.zero_grad()
        loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        return loss.item()

    step()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    seconds = (time.perf_counter() - start) / args.steps
    print(json.dumps({"engine": "transformers+peft", "model": args.model, "batch_size": args.batch_size, "seq_len": args.seq_len,
                      "rank": args.rank, "threads": torch.get_num_threads(), "seconds_per_step": seconds,
                      "tokens_per_s": args.batch_size * args.seq_len / seconds,
                      "trainable_parameters": sum(p.numel() for p in params)}, indent=2))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes a randomly initialised Qwen2 model in Hugging Face layout for benchmarks (no hub access).

    .venv/bin/python scripts/make_bench_model.py --preset 100m --out build/bench-models/qwen2-100m

Presets: 0.5b (the shape of Qwen2-0.5B: hidden 896, FFN 4864, 24 layers, 14 heads, 2 KV heads;
with --tokenizer its vocabulary is that tokenizer's and tokenizer.json is copied in, so the model
answers questions — `momq bench ask`), 100m (hidden 768, 12 layers, vocab 32000, ~98M parameters), 1.5b (the shape of
Qwen2-1.5B: hidden 1536, 28 layers, 12 heads, 2 KV heads, vocab 151936) and 7b (the shape of
Qwen2-7B: hidden 3584, FFN 18944, 28 layers, 28 heads, 4 KV heads, vocab 152064, untied; 15 GB in
bf16 — build it with --dtype bfloat16, on a GPU with --device cuda). Weights are N(0, 0.02), as
transformers initialises them; only speed and memory are measured on these models.
"""
import argparse
import json
import os
import shutil

import torch
from transformers import Qwen2Config, Qwen2ForCausalLM

PRESETS = {
    "0.5b": dict(hidden_size=896, intermediate_size=4864, num_hidden_layers=24, num_attention_heads=14,
                 num_key_value_heads=2, vocab_size=151936, max_position_embeddings=32768, tie_word_embeddings=True),
    "100m": dict(hidden_size=768, intermediate_size=2048, num_hidden_layers=12, num_attention_heads=12,
                 num_key_value_heads=2, vocab_size=32000, max_position_embeddings=4096, tie_word_embeddings=True),
    "1.5b": dict(hidden_size=1536, intermediate_size=8960, num_hidden_layers=28, num_attention_heads=12,
                 num_key_value_heads=2, vocab_size=151936, max_position_embeddings=32768, tie_word_embeddings=True),
    "7b": dict(hidden_size=3584, intermediate_size=18944, num_hidden_layers=28, num_attention_heads=28,
               num_key_value_heads=4, vocab_size=152064, max_position_embeddings=32768, tie_word_embeddings=False),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", choices=PRESETS, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"])
    ap.add_argument("--device", default="cpu", help="where the weights are drawn (cuda: much faster for 7b)")
    ap.add_argument("--tokenizer", help="tokenizer.json to ship with the model; the vocabulary follows its size")
    args = ap.parse_args()
    torch.manual_seed(0)
    shape = dict(PRESETS[args.preset])
    if args.tokenizer:
        with open(args.tokenizer, encoding="utf-8") as f:
            tok = json.load(f)
        shape["vocab_size"] = max(list(tok["model"]["vocab"].values()) + [t["id"] for t in tok["added_tokens"]]) + 1
    config = Qwen2Config(rope_theta=1000000.0, rms_norm_eps=1e-6, bos_token_id=0, eos_token_id=1, **shape)
    # Built directly in the target type and place: a float32 7b model would need 30 GB first.
    torch.set_default_dtype(getattr(torch, args.dtype))
    with torch.device(args.device):
        model = Qwen2ForCausalLM(config)
    model.save_pretrained(args.out)
    if args.tokenizer:
        shutil.copy(args.tokenizer, os.path.join(args.out, "tokenizer.json"))
    print(f"{args.out}: {sum(p.numel() for p in model.parameters()) / 1e6:.1f}M parameters")


if __name__ == "__main__":
    main()

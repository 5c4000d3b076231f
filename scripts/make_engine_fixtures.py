#!/usr/bin/env python3
"""Builds the engine's test fixtures with the Hugging Face reference stack (no hub access).

Reference: transformers 5.23.0, tokenizers 0.23.3, torch 2.15.0 (CPU), as pinned in
scripts/setup.sh. Run from the repository root:

    .venv/bin/python scripts/make_engine_fixtures.py [--out tests/data/engine]

It writes:
  tokenizer/tokenizer.json   a byte-level BPE trained here with Qwen2's normaliser (NFC),
                             pre-tokenizer (split regex + ByteLevel) and special tokens
  tiny-qwen2/                random Qwen2 (tied embeddings, q/k/v biases), fp32, one file
  tiny-llama/                random Llama (untied, no biases), bf16, two shards + index
  dtypes.safetensors         one small tensor per dtype (F32, F16, BF16) with known values
  golden.safetensors         reference logits, fp32: {model}.logits.{prompt}: [T, V]
  golden.json                token ids for the tokenizer corpus, prompt ids, greedy and beam
                             continuations, the chat template rendering, and decode checks

The CTest suite compares the C++ engine against these files; Python is never run by the tests.
"""
import argparse
import json
import os
import random

import torch
from safetensors.torch import save_file
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

QWEN2_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
               r"|\s*[\r\n]+|\s+(?!\S)|\s+")
SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
# Qwen2-Instruct's chat template (the part MoMQ uses: default system turn, generation prompt).
CHAT_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")

# Text the tokenizer is trained on and checked against: English, Chinese, code, queries in every
# dialect, emoji, numbers and odd whitespace.
CORPUS = [
    "How many singers do we have?",
    "List the names of all clubs founded after 2015, ordered by city.",
    "查询每个俱乐部在2023年加入的会员数量。",
    "谁出演了《黑客帝国》？请列出演员的名字。",
    "SELECT c.name, COUNT(*) FROM member m JOIN club c ON m.club_id = c.club_id WHERE YEAR(m.join_date) = 2023 GROUP BY c.name;",
    "SELECT name FROM club WHERE name ILIKE '%chess%' ORDER BY created_at DESC NULLS LAST LIMIT 5;",
    "MATCH (p:Person)-[:ACTED_IN]->(m:Movie {title: 'The Matrix'}) RETURN p.name",
    'GO FROM "Steve Nash" OVER like REVERSELY YIELD like._dst',
    "MATCH (v:player) WHERE v.player.age > 30 RETURN v.player.name, v.player.age ORDER BY v.player.age DESC LIMIT 10",
    "def add(a, b):\n    return a + b\n\n\nprint(add(2, 40))",
    "for (int i = 0; i < n; ++i) {\n\tsum += x[i] * 3.14159;\n}",
    "Emoji test: 🚀🔥 😀👍🏽 and flags 🇨🇳🇩🇪",
    "Numbers: 1234567890, 3.5e-7, -42, 0x1F, 1,000,000",
    "Odd   whitespace\t\there\r\nand  \n\n  there   ",
    "Ünïcödé café naïve — “quotes” ‘single’ … ellipsis",
    "It's we're they've I'm you'll he'd IT'S",
    "【用户问题】\n统计每个城市的客户数量\n\n【数据库schema】\n# Table: customer\n[\n  (customer_id:integer, Value examples: ['1', '2'].),\n]",
    "你是一名MySQL专家，现在需要阅读并理解下面的【数据库schema】描述，以及可能用到的【参考信息】，并运用MySQL知识生成sql语句回答【用户问题】。",
]
EXTRA_TOKENIZER_CASES = [
    "",
    " ",
    "\n",
    "  leading and trailing  ",
    "e\u0301 composed by NFC",  # e + combining acute becomes é
    "tabs\tand\u00a0no-break\u3000ideographic space",
    "<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n",
    "mixed<|endoftext|>special",
    "ÀÁÂÃÄÅ ĀāĂă Ωμέγα Кириллица العربية हिन्दी",
    "a" * 300,
]


def train_tokenizer(out_dir):
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_SPLIT), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
    trainer = trainers.BpeTrainer(vocab_size=1200, special_tokens=SPECIAL, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    rng = random.Random(7)
    lines = []
    for _ in range(60):
        lines.extend(rng.sample(CORPUS, len(CORPUS)))
    tok.train_from_iterator(lines, trainer=trainer)
    os.makedirs(out_dir, exist_ok=True)
    tok.save(os.path.join(out_dir, "tokenizer.json"))
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "eos_token": "<|im_end|>",
                   "pad_token": "<|endoftext|>", "chat_template": CHAT_TEMPLATE, "model_max_length": 256}, f, indent=1)
    return tok


def randomise(model, seed):
    # Large random weights: clear margins between top logits, so greedy paths are stable.
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            else:
                fan_in = p.shape[-1] if p.dim() > 1 else 64
                p.copy_(torch.randn(p.shape, generator=g) * (1.5 / fan_in ** 0.5))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="tests/data/engine")
    args = ap.parse_args()
    torch.manual_seed(0)
    out = args.out
    tok = train_tokenizer(os.path.join(out, "tokenizer"))
    hf_tok = PreTrainedTokenizerFast(tokenizer_file=os.path.join(out, "tokenizer", "tokenizer.json"),
                                     eos_token="<|im_end|>", pad_token="<|endoftext|>")
    hf_tok.chat_template = CHAT_TEMPLATE
    vocab = tok.get_vocab_size()
    eos = tok.token_to_id("<|im_end|>")
    pad = tok.token_to_id("<|endoftext|>")

    qcfg = Qwen2Config(vocab_size=vocab, hidden_size=64, intermediate_size=176, num_hidden_layers=2,
                       num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024,
                       rope_theta=10000.0, rms_norm_eps=1e-6, tie_word_embeddings=True,
                       bos_token_id=pad, eos_token_id=eos, pad_token_id=pad, dtype="float32")
    qwen = Qwen2ForCausalLM(qcfg).eval()
    randomise(qwen, 1)
    qwen.save_pretrained(os.path.join(out, "tiny-qwen2"))
    tok.save(os.path.join(out, "tiny-qwen2", "tokenizer.json"))

    lcfg = LlamaConfig(vocab_size=vocab, hidden_size=64, intermediate_size=160, num_hidden_layers=3,
                       num_attention_heads=4, num_key_value_heads=1, max_position_embeddings=1024,
                       rope_theta=500000.0, rms_norm_eps=1e-5, tie_word_embeddings=False,
                       bos_token_id=pad, eos_token_id=eos, pad_token_id=pad, dtype="bfloat16")
    llama = LlamaForCausalLM(lcfg).eval()
    randomise(llama, 2)
    llama = llama.to(torch.bfloat16)
    llama.save_pretrained(os.path.join(out, "tiny-llama"), max_shard_size="150KB")
    tok.save(os.path.join(out, "tiny-llama", "tokenizer.json"))

    save_file({"f32": torch.tensor([[1.5, -2.25, 0.0], [3.0, 1e-3, -7.5]], dtype=torch.float32),
               "f16": torch.tensor([0.5, -1.0, 65504.0, 6.1035e-05], dtype=torch.float16),
               "bf16": torch.tensor([1.0, -3.0, 0.15625, 3.0e38], dtype=torch.bfloat16)},
              os.path.join(out, "dtypes.safetensors"), metadata={"purpose": "dtype decoding test"})

    golden = {"reference": "transformers 5.23.0, tokenizers 0.23.3, torch 2.15.0, CPU fp32",
              "eos_token_id": eos, "pad_token_id": pad, "tokenizer_cases": [], "decode_cases": []}
    for text in CORPUS + EXTRA_TOKENIZER_CASES:
        golden["tokenizer_cases"].append({"text": text, "ids": tok.encode(text).ids})
    for text in CORPUS[:6] + EXTRA_TOKENIZER_CASES[6:8]:
        ids = tok.encode(text).ids
        golden["decode_cases"].append({"ids": ids, "text": tok.decode(ids, skip_special_tokens=False),
                                       "text_skip_special": tok.decode(ids, skip_special_tokens=True)})
    # A truncated multi-byte character decodes to U+FFFD.
    emoji_ids = tok.encode("🚀").ids
    golden["decode_cases"].append({"ids": emoji_ids[:1], "text": tok.decode(emoji_ids[:1]),
                                   "text_skip_special": tok.decode(emoji_ids[:1], skip_special_tokens=True)})

    messages = [{"role": "user", "content": "统计每个城市的客户数量"}]
    golden["chat"] = {"user": messages[0]["content"],
                      "rendered": hf_tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)}

    prompts = [CORPUS[0], CORPUS[6], golden["chat"]["rendered"]]
    golden["prompts"] = [tok.encode(p).ids for p in prompts]
    tensors = {}
    # The reference is what transformers computes for the saved folders, loaded afresh in fp32
    # (loading recomputes buffers such as RoPE's inverse frequencies in fp32).
    reloaded = (("qwen2", Qwen2ForCausalLM.from_pretrained(os.path.join(out, "tiny-qwen2"), dtype=torch.float32).eval()),
                ("llama", LlamaForCausalLM.from_pretrained(os.path.join(out, "tiny-llama"), dtype=torch.float32).eval()))
    for name, model in reloaded:
        dtype = torch.float32
        entry = {"greedy": [], "min_margin": []}
        for i, ids in enumerate(golden["prompts"]):
            x = torch.tensor([ids])
            with torch.no_grad():
                tensors[f"{name}.logits.{i}"] = model(x).logits[0].to(dtype).contiguous()
                gen = model.generate(x, attention_mask=torch.ones_like(x), max_new_tokens=16, do_sample=False,
                                     eos_token_id=eos, pad_token_id=pad, output_scores=True,
                                     return_dict_in_generate=True)
            entry["greedy"].append(gen.sequences[0, len(ids):].tolist())
            margins = [float((s[0].topk(2).values[0] - s[0].topk(2).values[1])) for s in gen.scores]
            entry["min_margin"].append(min(margins))
        with torch.no_grad():
            beam = model.generate(torch.tensor([golden["prompts"][0]]), attention_mask=torch.ones(1, len(golden["prompts"][0]), dtype=torch.long),
                                  max_new_tokens=8, num_beams=3, do_sample=False, early_stopping=False,
                                  length_penalty=1.0, eos_token_id=eos, pad_token_id=pad)
        entry["beam3"] = beam[0, len(golden["prompts"][0]):].tolist()
        golden[name] = entry
    save_file(tensors, os.path.join(out, "golden.safetensors"))
    with open(os.path.join(out, "golden.json"), "w") as f:
        json.dump(golden, f, ensure_ascii=False, indent=1)
    for name in ("qwen2", "llama"):
        print(name, "min greedy margin per prompt:", golden[name]["min_margin"])


if __name__ == "__main__":
    main()

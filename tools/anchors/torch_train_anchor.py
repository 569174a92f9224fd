#!/usr/bin/env python3
"""The P8 anchor: what a user would pick instead of longdpo's trainer.

Plain PyTorch eager on P8's shape (hidden 256, 4 layers, 4 heads, 2 KV heads, intermediate 688,
vocabulary 4096, untied head, fp32), sequence 512, batch 4, forward + backward + AdamW, 2 threads.
Prints the same figures as `./longdpo bench P8` so the two can be compared on one machine.

Usage: python3 tools/anchors/torch_train_anchor.py   (Debian: apt-get install python3-torch)
"""
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "golden"))
from llama_golden import forward  # noqa: E402  (the modeling_llama re-statement)

torch.set_num_threads(2)
cfg = dict(vocab_size=4096, hidden_size=256, intermediate_size=688, num_hidden_layers=4,
           num_attention_heads=4, num_key_value_heads=2, head_dim=64, rms_norm_eps=1e-6,
           rope_theta=10000.0, rope_scaling=None, tie_word_embeddings=False)
h, i, d, v = 256, 688, 64, 4096
g = torch.Generator().manual_seed(0)


def p(*shape, ones=False):
    t = torch.ones(*shape) if ones else torch.randn(*shape, generator=g) * 0.02
    return t.requires_grad_()


w = {"model.embed_tokens.weight": p(v, h), "model.norm.weight": p(h, ones=True), "lm_head.weight": p(v, h)}
for layer in range(4):
    q = f"model.layers.{layer}."
    w.update({q + "self_attn.q_proj.weight": p(4 * d, h), q + "self_attn.k_proj.weight": p(2 * d, h),
              q + "self_attn.v_proj.weight": p(2 * d, h), q + "self_attn.o_proj.weight": p(h, 4 * d),
              q + "mlp.gate_proj.weight": p(i, h), q + "mlp.up_proj.weight": p(i, h),
              q + "mlp.down_proj.weight": p(h, i), q + "input_layernorm.weight": p(h, ones=True),
              q + "post_attention_layernorm.weight": p(h, ones=True)})
params = sum(t.numel() for t in w.values())
opt = torch.optim.AdamW(list(w.values()), lr=1e-4, weight_decay=0.0)
seq, batch = 512, 4
ids = torch.randint(3, v, (batch, seq + 1), generator=g)


def step():
    logits = forward(cfg, w, ids[:, :-1])
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, v), ids[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(list(w.values()), 1.0)
    opt.step()


for _ in range(2):
    step()
steps = 5
start = time.perf_counter()
for _ in range(steps):
    step()
tps = steps * batch * seq / (time.perf_counter() - start)
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
for _ in range(3):
    a @ b
start = time.perf_counter()
for _ in range(20):
    a @ b
mm = 20 * 2 * 1024 ** 3 / (time.perf_counter() - start) / 1e9
gf = 6 * params * tps / 1e9
print(f"ANCHOR P8.train_tokens_per_s {tps:.1f} tokens/s")
print(f"ANCHOR P8.train_gflops {gf:.3f} GFLOP/s")
print(f"ANCHOR P8.matmul_gflops {mm:.1f} GFLOP/s")
print(f"ANCHOR P8.fraction_of_matmul {gf / mm:.3f} ratio")
print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, parameters {params}")

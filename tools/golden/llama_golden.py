#!/usr/bin/env python3
"""Golden logits for longdpo's model tests.

Writes tiny random Llama checkpoints (config.json + model.safetensors) and the logits a reference
implementation computes for a fixed token sequence (golden.json).

Reference: Hugging Face transformers' LlamaForCausalLM when it can be imported (run this on a
machine that has it to refresh the fixtures from the real thing). Otherwise a PyTorch eager
re-statement of transformers' modeling_llama (LlamaRMSNorm, rotate_half RoPE with the llama3
frequency rule, repeat_kv, eager causal attention with float32 softmax, SwiGLU MLP), which is what
the committed fixtures were made with; golden.json records which one was used.

Usage: python3 tools/golden/llama_golden.py model/src/test/resources/golden
"""
import json
import math
import os
import struct
import sys

import torch


def configs():
    base = dict(
        architectures=["LlamaForCausalLM"], model_type="llama", vocab_size=64, hidden_size=32,
        intermediate_size=48, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
        head_dim=8, hidden_act="silu", rms_norm_eps=1e-5, rope_theta=10000.0, rope_scaling=None,
        max_position_embeddings=128, tie_word_embeddings=False, attention_bias=False,
        mlp_bias=False, bos_token_id=1, eos_token_id=2, torch_dtype="float32")
    llama3 = dict(base, rope_theta=500000.0, tie_word_embeddings=True,
                  rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0,
                                    high_freq_factor=4.0, original_max_position_embeddings=16))
    return {"llama-tiny": base, "llama3-rope-tied": llama3}


def init_weights(cfg, seed):
    g = torch.Generator().manual_seed(seed)
    h, i, d = cfg["hidden_size"], cfg["intermediate_size"], cfg["head_dim"]
    nh, nkv, v = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["vocab_size"]
    std = 0.15  # larger than HF's 0.02 so the logits are far from uniform and errors show

    def mat(o, n):
        return torch.randn(o, n, generator=g) * std

    def norm(n):
        return 1.0 + 0.1 * torch.randn(n, generator=g)

    w = {"model.embed_tokens.weight": mat(v, h)}
    for layer in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        w[p + "self_attn.q_proj.weight"] = mat(nh * d, h)
        w[p + "self_attn.k_proj.weight"] = mat(nkv * d, h)
        w[p + "self_attn.v_proj.weight"] = mat(nkv * d, h)
        w[p + "self_attn.o_proj.weight"] = mat(h, nh * d)
        w[p + "mlp.gate_proj.weight"] = mat(i, h)
        w[p + "mlp.up_proj.weight"] = mat(i, h)
        w[p + "mlp.down_proj.weight"] = mat(h, i)
        w[p + "input_layernorm.weight"] = norm(h)
        w[p + "post_attention_layernorm.weight"] = norm(h)
    w["model.norm.weight"] = norm(h)
    if not cfg["tie_word_embeddings"]:
        w["lm_head.weight"] = mat(v, h)
    return w


def inv_freq(cfg):
    d = cfg["head_dim"]
    base = cfg["rope_theta"]
    freq = 1.0 / (base ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))
    s = cfg.get("rope_scaling")
    if s and s.get("rope_type", s.get("type")) == "llama3":
        factor, low, high = s["factor"], s["low_freq_factor"], s["high_freq_factor"]
        old = s["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old / low, old / high
        wavelen = 2 * math.pi / freq
        scaled = torch.where(wavelen > low_wavelen, freq / factor, freq)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
        freq = torch.where(medium, smoothed, scaled)
    return freq


def rms_norm(x, weight, eps):
    x32 = x.to(torch.float32)
    variance = x32.pow(2).mean(-1, keepdim=True)
    return weight * (x32 * torch.rsqrt(variance + eps)).to(x.dtype)


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def repeat_kv(x, n_rep):
    b, nkv, s, d = x.shape
    return x[:, :, None, :, :].expand(b, nkv, n_rep, s, d).reshape(b, nkv * n_rep, s, d)


def forward(cfg, w, ids):
    h, d = cfg["hidden_size"], cfg["head_dim"]
    nh, nkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    bsz, t = ids.shape
    x = torch.nn.functional.embedding(ids, w["model.embed_tokens.weight"])
    pos = torch.arange(t)[None, :].float()
    freqs = (inv_freq(cfg)[None, :, None].float() @ pos[:, None, :]).transpose(1, 2)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos()[:, None], emb.sin()[:, None]
    mask = torch.full((t, t), torch.finfo(torch.float32).min).triu(1)
    for layer in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        residual = x
        n = rms_norm(x, w[p + "input_layernorm.weight"], cfg["rms_norm_eps"])
        q = (n @ w[p + "self_attn.q_proj.weight"].T).view(bsz, t, nh, d).transpose(1, 2)
        k = (n @ w[p + "self_attn.k_proj.weight"].T).view(bsz, t, nkv, d).transpose(1, 2)
        v = (n @ w[p + "self_attn.v_proj.weight"].T).view(bsz, t, nkv, d).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k, v = repeat_kv(k, nh // nkv), repeat_kv(v, nh // nkv)
        scores = torch.matmul(q, k.transpose(2, 3)) * d ** -0.5 + mask
        probs = torch.softmax(scores, dim=-1, dtype=torch.float32)
        a = torch.matmul(probs, v).transpose(1, 2).reshape(bsz, t, nh * d)
        x = residual + a @ w[p + "self_attn.o_proj.weight"].T
        residual = x
        n = rms_norm(x, w[p + "post_attention_layernorm.weight"], cfg["rms_norm_eps"])
        gate = n @ w[p + "mlp.gate_proj.weight"].T
        up = n @ w[p + "mlp.up_proj.weight"].T
        x = residual + (torch.nn.functional.silu(gate) * up) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"], cfg["rms_norm_eps"])
    head = w["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else w["lm_head.weight"]
    return x @ head.T


def save_safetensors(path, tensors):
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, tensor in tensors.items():
        data = tensor.contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def main(out_root):
    ids = torch.tensor([[1, 17, 5, 33, 60, 2, 9, 9, 41, 12, 28, 63, 0, 7]])
    for seed, (name, cfg) in enumerate(configs().items()):
        out = os.path.join(out_root, name)
        os.makedirs(out, exist_ok=True)
        w = init_weights(cfg, seed)
        try:
            import transformers  # noqa: F401
            from transformers import LlamaConfig, LlamaForCausalLM
            model = LlamaForCausalLM(LlamaConfig(**{k: v for k, v in cfg.items()
                                                    if k not in ("architectures", "model_type")}))
            model.load_state_dict(w, strict=False)
            model.save_pretrained(out, safe_serialization=True)
            with torch.no_grad():
                logits = model(ids).logits
            reference = "transformers " + transformers.__version__
        except ImportError:
            with open(os.path.join(out, "config.json"), "w") as f:
                json.dump(cfg, f, indent=2)
            save_safetensors(os.path.join(out, "model.safetensors"), w)
            with torch.no_grad():
                logits = forward(cfg, w, ids)
            reference = "modeling_llama re-statement, torch " + torch.__version__
        with open(os.path.join(out, "golden.json"), "w") as f:
            json.dump({"reference": reference, "input_ids": ids[0].tolist(),
                       "logits": [[round(v, 6) for v in row] for row in logits[0].tolist()]}, f)
        print(name, reference, tuple(logits.shape))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "model/src/test/resources/golden")

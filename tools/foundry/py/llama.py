"""A minimal Llama decoder in PyTorch (RMSNorm, RoPE, GQA attention, SwiGLU, tied embeddings).

Parameter names equal Hugging Face's LlamaForCausalLM so the state dict is written to
model.safetensors as is. `forward` takes an optional KV cache so the same code is exported to ONNX.
"""
import torch
import torch.nn.functional as F
from torch import nn

# Added to masked attention scores: large and finite, so ONNX graphs never hold -inf.
MASK_VALUE = -1e9


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))  # (C)
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c, nh, nkv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
        self.nh, self.nkv, self.hs = nh, nkv, c // nh
        self.q_proj = nn.Linear(c, nh * self.hs, bias=False)  # (NH*HS, C)
        self.k_proj = nn.Linear(c, nkv * self.hs, bias=False)  # (NKV*HS, C)
        self.v_proj = nn.Linear(c, nkv * self.hs, bias=False)
        self.o_proj = nn.Linear(nh * self.hs, c, bias=False)

    def forward(self, x, cos, sin, mask, past):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.nh, self.hs).transpose(1, 2)  # (B, NH, T, HS)
        k = self.k_proj(x).view(b, t, self.nkv, self.hs).transpose(1, 2)  # (B, NKV, T, HS)
        v = self.v_proj(x).view(b, t, self.nkv, self.hs).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past is not None:
            k = torch.cat([past[0], k], dim=2)  # (B, NKV, P+T, HS)
            v = torch.cat([past[1], v], dim=2)
        rep = self.nh // self.nkv
        # GQA: each KV head serves `rep` query heads (expand + reshape exports cleanly).
        kr = k.unsqueeze(2).expand(-1, -1, rep, -1, -1).reshape(b, self.nh, -1, self.hs)  # (B, NH, P+T, HS)
        vr = v.unsqueeze(2).expand(-1, -1, rep, -1, -1).reshape(b, self.nh, -1, self.hs)
        scores = q @ kr.transpose(-1, -2) / (self.hs**0.5) + mask  # (B, NH, T, P+T)
        y = F.softmax(scores, dim=-1) @ vr  # (B, NH, T, HS)
        y = y.transpose(1, 2).reshape(b, t, self.nh * self.hs)
        return self.o_proj(y), (k, v)


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c, f = cfg["hidden_size"], cfg["intermediate_size"]
        self.gate_proj = nn.Linear(c, f, bias=False)  # (F, C)
        self.up_proj = nn.Linear(c, f, bias=False)  # (F, C)
        self.down_proj = nn.Linear(f, c, bias=False)  # (C, F)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.self_attn = Attention(cfg)
        self.mlp = MLP(cfg)
        self.input_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.post_attention_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])

    def forward(self, x, cos, sin, mask, past):
        a, present = self.self_attn(self.input_layernorm(x), cos, sin, mask, past)
        x = x + a
        return x + self.mlp(self.post_attention_layernorm(x)), present


class Inner(nn.Module):
    """HF's `model.` prefix: embeddings, blocks, final norm."""

    def __init__(self, cfg):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])  # (V, C)
        self.layers = nn.ModuleList(Block(cfg) for _ in range(cfg["num_hidden_layers"]))
        self.norm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])


class Llama(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.model = Inner(cfg)
        hs = cfg["hidden_size"] // cfg["num_attention_heads"]
        inv_freq = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hs, 2).float() / hs))
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        nn.init.normal_(self.model.embed_tokens.weight, std=0.02)
        for name, p in self.named_parameters():
            if p.dim() == 2 and "embed" not in name:
                nn.init.normal_(p, std=0.02)

    def forward(self, input_ids, position_ids, attention_mask, past=None):
        """input_ids, position_ids (B, T); attention_mask (B, P+T) of 1/0; past: list of (k, v).

        Returns logits (B, T, V) and the new cache. Query i sits at cache slot P+i and sees
        slots <= P+i whose attention_mask is 1.
        """
        t = input_ids.shape[1]
        p = 0 if past is None else past[0][0].shape[2]
        freqs = position_ids[:, None, :, None].float() * self.inv_freq  # (B, 1, T, HS/2)
        emb = torch.cat([freqs, freqs], dim=-1)
        cos, sin = emb.cos(), emb.sin()
        q_slot = torch.arange(t, device=input_ids.device)[:, None] + p  # (T, 1)
        k_slot = torch.arange(t + p, device=input_ids.device)[None, :]  # (1, P+T)
        allowed = (k_slot <= q_slot)[None, None] & (attention_mask[:, None, None, :] > 0)
        mask = (~allowed).float() * MASK_VALUE  # (B, 1, T, P+T)
        x = self.model.embed_tokens(input_ids)
        presents = []
        for i, block in enumerate(self.model.layers):
            x, present = block(x, cos, sin, mask, None if past is None else past[i])
            presents.append(present)
        x = self.model.norm(x)
        return x @ self.model.embed_tokens.weight.t(), presents

    def logits(self, input_ids, attention_mask):
        """Training/eval helper for right-padded batches without a cache."""
        pos = torch.arange(input_ids.shape[1])[None].expand_as(input_ids)
        return self.forward(input_ids, pos, attention_mask)[0]


def hf_config(cfg, bos, eos, pad):
    """The full `config.json` of a LlamaForCausalLM with these sizes."""
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "vocab_size": cfg["vocab_size"],
        "hidden_size": cfg["hidden_size"],
        "intermediate_size": cfg["intermediate_size"],
        "num_hidden_layers": cfg["num_hidden_layers"],
        "num_attention_heads": cfg["num_attention_heads"],
        "num_key_value_heads": cfg["num_key_value_heads"],
        "head_dim": cfg["hidden_size"] // cfg["num_attention_heads"],
        "hidden_act": "silu",
        "max_position_embeddings": cfg["max_position_embeddings"],
        "initializer_range": 0.02,
        "rms_norm_eps": cfg["rms_norm_eps"],
        "rope_theta": cfg["rope_theta"],
        "rope_scaling": None,
        "attention_bias": False,
        "attention_dropout": 0.0,
        "mlp_bias": False,
        "pretraining_tp": 1,
        "tie_word_embeddings": True,
        "use_cache": True,
        "bos_token_id": bos,
        "eos_token_id": eos,
        "pad_token_id": pad,
        "torch_dtype": "float32",
        "transformers_version": "4.46.0",
    }

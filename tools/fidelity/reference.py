"""Reference forward of a decoder checkpoint as Hugging Face transformers computes it, in float64 numpy,
read from the checkpoint's own config.json (v4 `rope_theta`/`rope_scaling` or v5 `rope_parameters`).

Each step names the transformers file and function it follows. Families: llama, qwen2, qwen3,
gemma3_text. Written independently of tools/foundry/py/llama.py (the foundry's training model) and of
the engine, so the fixtures check both against transformers' semantics. Not a trainer, no KV cache:
every call recomputes the whole sequence (the engine's cache is checked against these full forwards).
"""
import math

import numpy as np

FAMILIES = ("llama", "qwen2", "qwen3", "gemma3_text")


def _default_inv_freq(theta, dim):
    # modeling_rope_utils.py _compute_default_rope_parameters: 1 / base^(arange(0, dim, 2) / dim)
    return 1.0 / theta ** (np.arange(0, dim, 2, dtype=np.float64) / dim)


def _scaled_inv_freq(params, theta, dim):
    """inv_freq (HS/2) for one rope_parameters / rope_scaling dict."""
    rope_type = params.get("rope_type", params.get("type", "default"))
    inv_freq = _default_inv_freq(theta, dim)
    if rope_type == "default":
        return inv_freq
    if rope_type == "linear":
        # modeling_rope_utils.py _compute_linear_scaling_rope_parameters: inv_freq /= factor
        return inv_freq / params["factor"]
    if rope_type == "llama3":
        # modeling_rope_utils.py _compute_llama3_parameters: wavelengths longer than
        # original_max_position_embeddings / low_freq_factor are divided by factor, shorter than
        # .../high_freq_factor are kept, the band between is blended by smooth_factor.
        factor = params["factor"]
        low, high = params["low_freq_factor"], params["high_freq_factor"]
        old_len = params["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old_len / low, old_len / high
        wavelen = 2 * math.pi / inv_freq
        llama = np.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
        smooth = (old_len / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * llama / factor + smooth * llama
        medium = ~(wavelen < high_wavelen) & ~(wavelen > low_wavelen)
        return np.where(medium, smoothed, llama)
    raise ValueError(f"reference: rope type {rope_type!r} is not implemented here")


def rope_params(cfg, layer_type):
    """(theta, params) for a layer type, from a v5 `rope_parameters` or a v4 config.

    v5 (configuration_utils.py / modeling_rope_utils.py standardize_rope_params): `rope_parameters` is
    one dict, or one per layer type for models with `layer_types` (gemma3). v4: `rope_theta` and
    `rope_scaling`; gemma3's sliding layers use `rope_local_base_freq` with no scaling
    (configuration_gemma3.py Gemma3TextConfig; modeling_gemma3.py Gemma3TextModel.rotary_emb_local).
    """
    if "rope_parameters" in cfg:
        p = cfg["rope_parameters"]
        if layer_type in p:
            p = p[layer_type]
        return p["rope_theta"], p
    if cfg["model_type"] == "gemma3_text" and layer_type == "sliding_attention":
        return cfg.get("rope_local_base_freq", 10000.0), {"rope_type": "default"}
    return cfg.get("rope_theta", 10000.0), cfg.get("rope_scaling") or {"rope_type": "default"}


def layer_types(cfg):
    # configuration_gemma3.py Gemma3TextConfig: layer_types, else every sliding_window_pattern-th
    # layer is full attention. Other families here: all full attention.
    n = cfg["num_hidden_layers"]
    if "layer_types" in cfg:
        return cfg["layer_types"]
    if cfg["model_type"] == "gemma3_text":
        pattern = cfg.get("sliding_window_pattern", 6)
        return ["sliding_attention" if (i + 1) % pattern else "full_attention" for i in range(n)]
    return ["full_attention"] * n


def head_dim(cfg):
    return cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]


def rms_norm(x, w, eps, gemma):
    """modeling_llama.py LlamaRMSNorm: x * rsqrt(mean(x^2) + eps) * w; modeling_gemma3.py
    Gemma3RMSNorm: the same times (1 + w) (weights are stored zero-centred)."""
    y = x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)
    return y * (1.0 + w) if gemma else y * w


def rotate_half(x):
    # modeling_llama.py rotate_half: (x1, x2) -> (-x2, x1) over the two halves of HS
    h = x.shape[-1] // 2
    return np.concatenate([-x[..., h:], x[..., :h]], axis=-1)


def silu(x):
    return x / (1.0 + np.exp(-x))


def gelu_tanh(x):
    # activations.py PytorchGELUTanh ("gelu_pytorch_tanh"): gelu with the tanh approximation
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def forward(cfg, w, ids):
    """Logits (T, V) float64 for ids (T) at positions 0..T-1. w: HF tensor name -> float64 array."""
    family = cfg["model_type"]
    assert family in FAMILIES, family
    gemma = family == "gemma3_text"
    eps = cfg["rms_norm_eps"]
    nh, nkv, hs = cfg["num_attention_heads"], cfg["num_key_value_heads"], head_dim(cfg)
    T = len(ids)
    pos = np.arange(T, dtype=np.float64)

    x = w["model.embed_tokens.weight"][ids]  # (T, C)
    if gemma:
        # modeling_gemma3.py Gemma3TextScaledWordEmbedding: embeddings * sqrt(C), the scale cast to the
        # weights' dtype (float32 for these fixtures).
        x = x * float(np.float32(cfg["hidden_size"] ** 0.5))
    # modeling_gemma3.py Gemma3Attention: scaling = query_pre_attn_scalar^-0.5; others head_dim^-0.5
    scale = (cfg["query_pre_attn_scalar"] if gemma else hs) ** -0.5
    for i, kind in enumerate(layer_types(cfg)):
        p = f"model.layers.{i}"
        theta, rp = rope_params(cfg, kind)
        # modeling_llama.py LlamaRotaryEmbedding.forward: freqs = pos * inv_freq, emb = cat(freqs, freqs)
        freqs = pos[:, None] * _scaled_inv_freq(rp, theta, hs)[None, :]
        emb = np.concatenate([freqs, freqs], axis=-1)  # (T, HS)
        cos, sin = np.cos(emb)[:, None, :], np.sin(emb)[:, None, :]

        # modeling_llama.py LlamaDecoderLayer.forward: pre-norm, attention, residual
        h = rms_norm(x, w[f"{p}.input_layernorm.weight"], eps, gemma)

        def proj(name, n):
            y = h @ w[f"{p}.self_attn.{name}.weight"].T
            bias = w.get(f"{p}.self_attn.{name}.bias")  # modeling_qwen2.py: q/k/v_proj bias=True
            return (y if bias is None else y + bias).reshape(T, n, hs)

        q, k, v = proj("q_proj", nh), proj("k_proj", nkv), proj("v_proj", nkv)  # (T, NH|NKV, HS)
        if family in ("qwen3", "gemma3_text"):
            # modeling_qwen3.py Qwen3Attention / modeling_gemma3.py Gemma3Attention: q_norm, k_norm
            # over HS per head, after the projection and before RoPE
            q = rms_norm(q, w[f"{p}.self_attn.q_norm.weight"], eps, gemma)
            k = rms_norm(k, w[f"{p}.self_attn.k_norm.weight"], eps, gemma)
        # modeling_llama.py apply_rotary_pos_emb: q * cos + rotate_half(q) * sin
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        # modeling_llama.py repeat_kv: KV head j serves query heads j*rep .. j*rep+rep-1
        rep = nh // nkv
        k, v = np.repeat(k, rep, axis=1), np.repeat(v, rep, axis=1)
        scores = np.einsum("qhd,khd->hqk", q, k) * scale  # (NH, T, T)
        qi, ki = np.arange(T)[:, None], np.arange(T)[None, :]
        allowed = ki <= qi  # masking_utils.py causal_mask_function
        if kind == "sliding_attention":
            # masking_utils.py sliding_window_overlay: kv_idx > q_idx - sliding_window
            allowed &= ki > qi - cfg["sliding_window"]
        scores = np.where(allowed[None], scores, -np.inf)
        probs = np.exp(scores - scores.max(-1, keepdims=True))
        probs /= probs.sum(-1, keepdims=True)
        attn = np.einsum("hqk,khd->qhd", probs, v).reshape(T, nh * hs)
        attn = attn @ w[f"{p}.self_attn.o_proj.weight"].T
        if f"{p}.self_attn.o_proj.bias" in w:
            attn = attn + w[f"{p}.self_attn.o_proj.bias"]
        if gemma:
            # modeling_gemma3.py Gemma3DecoderLayer: post_attention_layernorm on the attention output,
            # then pre_feedforward_layernorm / post_feedforward_layernorm around the MLP
            x = x + rms_norm(attn, w[f"{p}.post_attention_layernorm.weight"], eps, True)
            h = rms_norm(x, w[f"{p}.pre_feedforward_layernorm.weight"], eps, True)
        else:
            x = x + attn
            h = rms_norm(x, w[f"{p}.post_attention_layernorm.weight"], eps, False)
        # modeling_llama.py LlamaMLP: down(act(gate(h)) * up(h)); act = hidden_act (silu) or, for
        # gemma3, hidden_activation (gelu_pytorch_tanh)
        act = gelu_tanh if gemma else silu
        a = act(h @ w[f"{p}.mlp.gate_proj.weight"].T) * (h @ w[f"{p}.mlp.up_proj.weight"].T)
        mlp = a @ w[f"{p}.mlp.down_proj.weight"].T
        if gemma:
            mlp = rms_norm(mlp, w[f"{p}.post_feedforward_layernorm.weight"], eps, True)
        x = x + mlp
    x = rms_norm(x, w["model.norm.weight"], eps, gemma)
    # modeling_llama.py LlamaForCausalLM: lm_head, tied to embed_tokens when tie_word_embeddings
    # (PretrainedConfig defaults it to True; LlamaConfig and Qwen2Config to False)
    tied = cfg.get("tie_word_embeddings", gemma)
    head = w["model.embed_tokens.weight" if tied else "lm_head.weight"]
    return x @ head.T

"""Writes tiny random checkpoints in the Hugging Face hub's layout under tests/fixtures/hub/<name>/ and,
beside each, reference.json: prompt ids, greedy continuation ids and logits at every position, from
reference.py's float64 forward. Usage: /usr/bin/python3 tools/fidelity/make_fixtures.py (numpy only).

One fixture per semantic the engine must match (rope scalings, biases, q/k norms, gemma3's norms and
sliding layers, v4 and v5 configs, BF16, shards). Not the engine test (tests/fidelity/) and not the
foundry's trained models. Fixed seeds: rerunning rewrites the same bytes.
"""
import json
import os
import struct

import numpy as np

import reference

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "hub")
PROMPT_LEN = 7  # P prompt ids; the sequence is P + N ids
NEW_TOKENS = 6  # N greedy ids
MIN_MARGIN = 1e-2  # top-1 minus top-2 logit of every greedy step: f32 engines cannot flip a choice

BASE = {"vocab_size": 128, "hidden_size": 32, "intermediate_size": 32, "num_hidden_layers": 2,
        "num_attention_heads": 2, "num_key_value_heads": 1, "rms_norm_eps": 1e-6,
        "max_position_embeddings": 256, "bos_token_id": 1, "eos_token_id": 2}

FIXTURES = [
    {"name": "llama3-rope-bf16", "dtype": "BF16", "shards": 1, "generation": True, "config": {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu",
        "attention_bias": False, "mlp_bias": False, "tie_word_embeddings": True, "rope_theta": 500000.0,
        "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                         "high_freq_factor": 4.0, "original_max_position_embeddings": 64},
        "max_position_embeddings": 512, "torch_dtype": "bfloat16", "transformers_version": "4.46.0"}},
    {"name": "llama-linear-sharded", "dtype": "F32", "shards": 2, "generation": False, "config": {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu",
        "num_hidden_layers": 3, "num_key_value_heads": 2, "tie_word_embeddings": False,
        "rope_theta": 10000.0, "rope_scaling": {"type": "linear", "factor": 4.0},
        "torch_dtype": "float32", "transformers_version": "4.40.0"}},
    {"name": "qwen2-v5", "dtype": "F32", "shards": 1, "generation": True, "config": {
        "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_act": "silu",
        "tie_word_embeddings": True, "use_sliding_window": False, "sliding_window": None,
        "max_window_layers": 2, "layer_types": ["full_attention", "full_attention"],
        "rope_parameters": {"rope_type": "default", "rope_theta": 1000000.0},
        "dtype": "float32", "transformers_version": "5.0.0"}},
    {"name": "qwen3", "dtype": "F32", "shards": 1, "generation": True, "config": {
        "architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "hidden_act": "silu",
        "head_dim": 32, "attention_bias": False, "tie_word_embeddings": True,
        "use_sliding_window": False, "sliding_window": None, "rope_theta": 1000000.0,
        "rope_scaling": None, "torch_dtype": "float32", "transformers_version": "4.51.0"}},
    {"name": "gemma3-text", "dtype": "F32", "shards": 1, "generation": True, "config": {
        "architectures": ["Gemma3ForCausalLM"], "model_type": "gemma3_text",
        "hidden_activation": "gelu_pytorch_tanh", "num_hidden_layers": 3, "num_attention_heads": 2,
        "num_key_value_heads": 2, "head_dim": 16, "query_pre_attn_scalar": 12, "sliding_window": 512,
        "sliding_window_pattern": 3,
        "layer_types": ["sliding_attention", "sliding_attention", "full_attention"],
        "rope_theta": 1000000.0, "rope_local_base_freq": 10000.0, "rope_scaling": None,
        "attn_logit_softcapping": None, "final_logit_softcapping": None, "attention_bias": False,
        "tie_word_embeddings": True, "bos_token_id": 2, "eos_token_id": 1, "pad_token_id": 0,
        "torch_dtype": "float32", "transformers_version": "4.55.0"}},
    {"name": "gemma3-text-v5", "dtype": "F32", "shards": 1, "generation": False, "config": {
        "architectures": ["Gemma3ForCausalLM"], "model_type": "gemma3_text",
        "hidden_activation": "gelu_pytorch_tanh", "num_attention_heads": 2, "num_key_value_heads": 1,
        "head_dim": 32, "query_pre_attn_scalar": 24, "sliding_window": 512,
        "layer_types": ["sliding_attention", "full_attention"],
        "rope_parameters": {"full_attention": {"rope_type": "default", "rope_theta": 1000000.0},
                            "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0}},
        "attn_logit_softcapping": None, "final_logit_softcapping": None, "attention_bias": False,
        "tie_word_embeddings": True, "bos_token_id": 2, "eos_token_id": 1, "pad_token_id": 0,
        "dtype": "float32", "transformers_version": "5.0.0"}},
    # Windowed attention proper: the sequence (13) outruns the window, as it does past 512 tokens in
    # a real gemma3; the other two gemma3 fixtures keep their windows longer than their sequences.
    {"name": "gemma3-text-window", "dtype": "F32", "shards": 1, "generation": False, "config": {
        "architectures": ["Gemma3ForCausalLM"], "model_type": "gemma3_text",
        "hidden_activation": "gelu_pytorch_tanh", "head_dim": 16, "query_pre_attn_scalar": 16,
        "sliding_window": 4, "sliding_window_pattern": 2, "layer_types": ["sliding_attention", "full_attention"],
        "rope_theta": 1000000.0, "rope_local_base_freq": 10000.0, "rope_scaling": None,
        "attn_logit_softcapping": None, "final_logit_softcapping": None, "attention_bias": False,
        "tie_word_embeddings": True, "bos_token_id": 2, "eos_token_id": 1, "pad_token_id": 0,
        "torch_dtype": "float32", "transformers_version": "4.55.0"}},
]


def bf16_round(a):
    """float32 -> nearest bfloat16 (ties to even), returned as float32 values."""
    bits = a.astype(np.float32).view(np.uint32)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return bits.astype(np.uint32).view(np.float32)


def tensor_bytes(a, dtype):
    if dtype == "F32":
        return a.astype("<f4").tobytes()
    return (a.astype(np.float32).view(np.uint32) >> 16).astype("<u2").tobytes()  # already bf16-exact


def save_safetensors(path, tensors, dtype):
    """The safetensors layout: u64 header length, JSON header (keys sorted, padded to 8), data."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        blob = tensor_bytes(tensors[name], dtype)
        header[name] = {"dtype": dtype, "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header["__metadata__"] = {"format": "pt"}
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))
    return offset


def random_weights(cfg, rng):
    """HF name -> float32 array. Linear weights ~ N(0, 1/fan_in) so activations keep unit scale, the
    residual writers (o_proj, down_proj) 3x that so the layers outweigh the embedding (a tied random
    model otherwise just repeats its last token); norm weights spread around their identity (1, or 0
    for gemma3's 1 + w) so a wrong norm shows."""
    V, C, H = cfg["vocab_size"], cfg["hidden_size"], cfg["intermediate_size"]
    nh, nkv, hs = cfg["num_attention_heads"], cfg["num_key_value_heads"], reference.head_dim(cfg)
    family = cfg["model_type"]
    gemma = family == "gemma3_text"
    norm_center = 0.0 if gemma else 1.0

    def lin(o, i, gain=1.0):
        return rng.normal(0, gain * i**-0.5, (o, i))

    def norm(n):
        return norm_center + rng.normal(0, 0.3, n)

    # gemma3 multiplies embeddings by sqrt(C) and its post-norms hold each layer's output at unit
    # scale: embeddings ~ N(0, 1/C) give it a unit-scale residual stream too.
    w = {"model.embed_tokens.weight": rng.normal(0, C**-0.5 if gemma else 1.0, (V, C)),
         "model.norm.weight": norm(C)}
    if not cfg.get("tie_word_embeddings", gemma):
        w["lm_head.weight"] = rng.normal(0, 1.0, (V, C))
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}"
        w |= {f"{p}.input_layernorm.weight": norm(C), f"{p}.post_attention_layernorm.weight": norm(C),
              f"{p}.self_attn.q_proj.weight": lin(nh * hs, C), f"{p}.self_attn.k_proj.weight": lin(nkv * hs, C),
              f"{p}.self_attn.v_proj.weight": lin(nkv * hs, C), f"{p}.self_attn.o_proj.weight": lin(C, nh * hs, 3.0),
              f"{p}.mlp.gate_proj.weight": lin(H, C), f"{p}.mlp.up_proj.weight": lin(H, C),
              f"{p}.mlp.down_proj.weight": lin(C, H, 3.0)}
        if family == "qwen2":
            for name, n in (("q_proj", nh * hs), ("k_proj", nkv * hs), ("v_proj", nkv * hs)):
                w[f"{p}.self_attn.{name}.bias"] = rng.normal(0, 0.5, n)
        if family in ("qwen3", "gemma3_text"):
            w[f"{p}.self_attn.q_norm.weight"] = norm(hs)
            w[f"{p}.self_attn.k_norm.weight"] = norm(hs)
        if gemma:
            w[f"{p}.pre_feedforward_layernorm.weight"] = norm(C)
            w[f"{p}.post_feedforward_layernorm.weight"] = norm(C)
    return {k: v.astype(np.float32) for k, v in w.items()}


def greedy(cfg, w, prompt):
    """N greedy ids after prompt, each from a full float64 forward; checks every choice's margin."""
    ids = list(prompt)
    for _ in range(NEW_TOKENS):
        row = reference.forward(cfg, w, np.array(ids))[-1]
        top2 = np.sort(row)[-2:]
        if top2[1] - top2[0] < MIN_MARGIN:
            return None
        ids.append(int(np.argmax(row)))
    return ids[len(prompt):]


def write_fixture(spec, seed):
    cfg = {**BASE, **spec["config"]}
    cfg = {k: cfg[k] for k in sorted(cfg)}
    # Draw until the greedy choices are clear and the argmax varies over positions.
    for attempt in range(50):
        rng = np.random.default_rng([seed, attempt])
        w32 = random_weights(cfg, rng)
        if spec["dtype"] == "BF16":
            w32 = {k: bf16_round(v) for k, v in w32.items()}
        w64 = {k: v.astype(np.float64) for k, v in w32.items()}
        prompt = [int(t) for t in rng.integers(3, cfg["vocab_size"], PROMPT_LEN)]
        new = greedy(cfg, w64, prompt)
        if new is None:
            continue
        logits = reference.forward(cfg, w64, np.array(prompt + new))
        if len(set(new)) >= 3 and len(set(np.argmax(logits, -1).tolist())) >= 6:
            break
    else:
        raise RuntimeError(f"{spec['name']}: no seed gave clear, varied greedy choices")

    out = os.path.join(ROOT, spec["name"])
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        os.remove(os.path.join(out, f))
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    if spec["generation"]:
        with open(os.path.join(out, "generation_config.json"), "w") as f:
            json.dump({"bos_token_id": cfg["bos_token_id"], "eos_token_id": cfg["eos_token_id"],
                       "transformers_version": cfg["transformers_version"]}, f, indent=2)
    names = sorted(w32)
    if spec["shards"] == 1:
        save_safetensors(os.path.join(out, "model.safetensors"), w32, spec["dtype"])
    else:
        n = spec["shards"]
        weight_map, total = {}, 0
        for s in range(n):
            file = f"model-{s + 1:05d}-of-{n:05d}.safetensors"
            part = {k: w32[k] for k in names[s::n]}
            total += save_safetensors(os.path.join(out, file), part, spec["dtype"])
            weight_map |= {k: file for k in part}
        with open(os.path.join(out, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {"total_size": total},
                       "weight_map": {k: weight_map[k] for k in sorted(weight_map)}}, f, indent=2)
    ref = {"family": cfg["model_type"], "weights_dtype": spec["dtype"],
           "computed": "float64 numpy, tools/fidelity/reference.py (weights as stored, upcast)",
           "prompt_ids": prompt, "greedy_ids": new,
           "logits_note": "row t: logits after prompt_ids + greedy_ids up to and including position t",
           "logits": [[round(float(x), 6) for x in row] for row in logits]}
    with open(os.path.join(out, "reference.json"), "w") as f:
        f.write(json.dumps(ref, separators=(",", ":")) + "\n")
    print(f"{spec['name']}: attempt {attempt}, prompt {prompt}, greedy {new}")


def main():
    for seed, spec in enumerate(FIXTURES):
        write_fixture(spec, seed)


if __name__ == "__main__":
    main()

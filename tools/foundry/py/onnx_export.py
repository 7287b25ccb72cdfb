"""ONNX export (torch 1.13, opset 14) in the form transformers.js loads (DESIGN §8), plus the
8-bit variant: int8 weight initializers + DequantizeLinear, rewritten with the onnx API.

Logit agreement with onnxruntime is measured by verify.mjs in Node (no onnxruntime in Python).
"""
import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

OPSET = 14


class LlamaOnnx(torch.nn.Module):
    """Flat-argument wrapper: (ids, mask, positions, k0, v0, k1, ...) -> (logits, k0', v0', ...)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(len(past_flat) // 2)]
        logits, presents = self.model(input_ids, position_ids, attention_mask, past)
        return (logits, *[t for kv in presents for t in kv])


def export_llama(model, path):
    """Trace with batch 2, past 3 and 4 new tokens so no dimension is frozen."""
    cfg = model.cfg
    n_layers, nkv = cfg["num_hidden_layers"], cfg["num_key_value_heads"]
    hs = cfg["hidden_size"] // cfg["num_attention_heads"]
    b, p, t = 2, 3, 4
    ids = torch.randint(4, cfg["vocab_size"], (b, t))
    mask = torch.ones(b, p + t, dtype=torch.long)
    pos = torch.arange(p, p + t)[None].expand(b, t).contiguous()
    past = [torch.randn(b, nkv, p, hs) for _ in range(2 * n_layers)]
    past_names = [f"past_key_values.{i}.{kv}" for i in range(n_layers) for kv in ("key", "value")]
    present_names = [f"present.{i}.{kv}" for i in range(n_layers) for kv in ("key", "value")]
    axes = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    axes.update({n: {0: "batch_size", 2: "past_sequence_length"} for n in past_names})
    axes.update({n: {0: "batch_size", 2: "total_sequence_length"} for n in present_names})
    model.eval()
    torch.onnx.export(
        LlamaOnnx(model), (ids, mask, pos, *past), path, opset_version=OPSET,
        input_names=["input_ids", "attention_mask", "position_ids", *past_names],
        output_names=["logits", *present_names], dynamic_axes=axes, do_constant_folding=True,
    )


ENCODER_OUTPUTS = {
    "logits": {0: "batch_size"},  # a classifier: (batch_size, num_labels)
    "last_hidden_state": {0: "batch_size", 1: "sequence_length"},  # an encoder: (batch_size, seq, hidden)
}


def export_encoder(model, path, output="logits", seq_len=12):
    """An encoder over (input_ids, attention_mask) -> `output` (one of ENCODER_OUTPUTS)."""
    ids = torch.randint(4, 100, (2, seq_len))
    mask = torch.ones(2, seq_len, dtype=torch.long)
    mask[1, -3:] = 0
    model.eval()
    torch.onnx.export(
        model, (ids, mask), path, opset_version=OPSET,
        input_names=["input_ids", "attention_mask"], output_names=[output],
        dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"},
                      "attention_mask": {0: "batch_size", 1: "sequence_length"},
                      output: ENCODER_OUTPUTS[output]},
        do_constant_folding=True,
    )


def quantize(src, dst, min_size=4096):
    """Write int8 copies of the large weight initializers feeding MatMul (input B) or Gather
    (input 0), symmetric with one scale per output column (MatMul) or per row (Gather), and
    insert a DequantizeLinear in front of each use. Everything else is untouched."""
    m = onnx.load(src)
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    targets = {}
    for node in g.node:
        slot = {"MatMul": 1, "Gather": 0}.get(node.op_type)
        if slot is None or node.input[slot] not in inits:
            continue
        arr = numpy_helper.to_array(inits[node.input[slot]])
        if arr.ndim == 2 and arr.size >= min_size:
            targets[node.input[slot]] = 1 if node.op_type == "MatMul" else 0
    new_nodes = []
    for name, axis in sorted(targets.items()):
        w = numpy_helper.to_array(inits[name]).astype(np.float32)
        scale = np.abs(w).max(axis=1 - axis) / 127.0
        scale = np.where(scale == 0, 1.0, scale).astype(np.float32)
        shape = (1, -1) if axis == 1 else (-1, 1)
        q = np.clip(np.round(w / scale.reshape(shape)), -127, 127).astype(np.int8)
        g.initializer.remove(inits[name])
        g.initializer.extend([
            numpy_helper.from_array(q, name + "_quantized"),
            numpy_helper.from_array(scale, name + "_scale"),
            numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), name + "_zero_point"),
        ])
        new_nodes.append(helper.make_node(
            "DequantizeLinear", [name + "_quantized", name + "_scale", name + "_zero_point"], [name],
            name=name + "_DequantizeLinear", axis=axis))
    nodes = new_nodes + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(m)
    onnx.save(m, dst)
    return len(targets)

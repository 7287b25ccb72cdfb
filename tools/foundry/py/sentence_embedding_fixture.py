"""Foundry step: the bundled scope model served as a hub sentence-embedding model, for SERAC's embedding
mode in tests (issue #19: nothing may be downloaded, so the hub path runs on a model we ship).

Cuts the exported 8-bit graph of `editscope-scope` (public/models/editscope-scope/onnx/
model_quantized.onnx) at its encoder's last hidden state, the tensor its pooler reads token 0 of, and
names that output `last_hidden_state` (batch_size, sequence_length, hidden_size): the output
transformers.js' feature-extraction pipeline mean-pools. The weights are the shipped ones, unchanged.
With one sentence (no <sep>) the graph's in-graph match embedding is the same constant for every token.
The graph takes input_ids and attention_mask only (type_vocab_size 1: no token_type_ids).
Writes tests/fixtures/hub/sentence-embedding/ in hub layout: a `bert` config.json, the scope model's
tokenizer files and onnx/model_quantized.onnx (what transformers.js loads for dtype q8), nothing else.
Needs only Debian's python3-onnx (no torch): it edits the exported graph, it trains nothing.
"""
import json
import os
import shutil

import onnx
from onnx import helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
SCOPE = os.path.join(ROOT, "public", "models", "editscope-scope")
OUT = os.path.join(ROOT, "tests", "fixtures", "hub", "sentence-embedding")
ONNX_FILE = os.path.join("onnx", "model_quantized.onnx")
POOLER_WEIGHT = "bert.pooler.dense.weight"


def hidden_state_name(graph):
    """The encoder output: the input of the Gather (x[:, 0]) that feeds the pooler's Gemm."""
    producers = {out: node for node in graph.node for out in node.output}
    pooler = next(n for n in graph.node if n.op_type == "Gemm" and POOLER_WEIGHT in n.input)
    first_token = producers[pooler.input[0]]
    assert first_token.op_type == "Gather", f"pooler reads {first_token.op_type}, expected Gather"
    return first_token.input[0]


def cut_at_hidden_state(src, dst, hidden_size):
    model = onnx.load(src)
    hidden = hidden_state_name(model.graph)
    inputs = [i.name for i in model.graph.input]
    # Extractor keeps exactly the nodes and initializers the new output needs (the pooler and the
    # classifier head go).
    cut = onnx.utils.Extractor(model).extract_model(inputs, [hidden])
    for node in cut.graph.node:
        node.output[:] = ["last_hidden_state" if o == hidden else o for o in node.output]
    del cut.graph.output[:]
    cut.graph.output.append(helper.make_tensor_value_info(
        "last_hidden_state", onnx.TensorProto.FLOAT, ["batch_size", "sequence_length", hidden_size]))
    assert [(o.domain, o.version) for o in cut.opset_import] == [(o.domain, o.version) for o in model.opset_import]
    onnx.checker.check_model(cut)
    onnx.save(cut, dst)


def bert_config(scope_config):
    """The scope model's dims as a plain `bert` encoder (BertModel: no pooler or head is used)."""
    keep = ["vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
            "max_position_embeddings", "type_vocab_size", "layer_norm_eps", "hidden_act",
            "bos_token_id", "eos_token_id", "pad_token_id"]
    return {"architectures": ["BertModel"], "model_type": "bert",
            **{k: scope_config[k] for k in keep}, "torch_dtype": "float32"}


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(os.path.join(OUT, "onnx"))
    with open(os.path.join(SCOPE, "config.json"), encoding="utf-8") as f:
        config = bert_config(json.load(f))
    with open(os.path.join(OUT, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    for name in ["tokenizer.json", "tokenizer_config.json"]:
        shutil.copyfile(os.path.join(SCOPE, name), os.path.join(OUT, name))
    cut_at_hidden_state(os.path.join(SCOPE, ONNX_FILE), os.path.join(OUT, ONNX_FILE), config["hidden_size"])
    sizes = {name: os.path.getsize(os.path.join(OUT, name))
             for name in ["config.json", "tokenizer.json", "tokenizer_config.json", ONNX_FILE]}
    print(f"sentence-embedding fixture: {OUT}: {sizes}")


if __name__ == "__main__":
    main()

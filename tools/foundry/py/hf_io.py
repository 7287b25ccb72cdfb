"""Hugging Face repo layout on disk: safetensors (written and read without the library),
tokenizer files, and the small JSON files every model folder carries.

Not the ONNX export (onnx_export.py) and not the model cards (written by cards.mjs).
"""
import json
import os
import shutil
import struct

import numpy as np
import torch

from common import cache_path, write_json


def save_safetensors(path, tensors):
    """tensors: name -> float32 tensor. Keys sorted, header padded to 8 bytes, as the spec says."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        arr = tensors[name].detach().contiguous().to(torch.float32).numpy()
        blob = arr.astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header["__metadata__"] = {"format": "pt"}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def load_safetensors(path):
    """-> name -> float32 tensor (only F32 is ever written here)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        a, b = meta["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype="<f4").reshape(meta["shape"]).copy())
    return out


def write_tokenizer(folder, tokenizer_config):
    """Copy the shared tokenizer.json and write tokenizer_config.json beside it."""
    os.makedirs(folder, exist_ok=True)
    shutil.copyfile(cache_path("tokenizer.json"), os.path.join(folder, "tokenizer.json"))
    write_json(os.path.join(folder, "tokenizer_config.json"), tokenizer_config)


def write_repo(folder, config, state_dict, tokenizer_config, editscope, generation_config=None):
    """config.json, generation_config.json, tokenizer files, model.safetensors, editscope.json."""
    os.makedirs(os.path.join(folder, "onnx"), exist_ok=True)
    write_json(os.path.join(folder, "config.json"), config)
    if generation_config is not None:
        write_json(os.path.join(folder, "generation_config.json"), generation_config)
    write_tokenizer(folder, tokenizer_config)
    save_safetensors(os.path.join(folder, "model.safetensors"), state_dict)
    write_json(os.path.join(folder, "editscope.json"), editscope)

"""Foundry step: reload each written model.safetensors into a fresh PyTorch model and compare its
logits with the ones recorded from the trained model (golden fixture / .cache references).

Writes .cache/safetensors-check.json: model -> max abs logit diff.
"""
import os

from common import FIXTURES, MODELS, cache_path, read_json, setup, write_json  # first: sets thread env
import torch

import train_base
import train_counterfactual
import train_scope
from bert import ScopeClassifier
from hf_io import load_safetensors
from llama import Llama


def load(cls, module):
    model = cls(module.CONFIG)
    model.load_state_dict(load_safetensors(os.path.join(MODELS, module.NAME, "model.safetensors")), strict=True)
    return model.eval()


@torch.no_grad()
def llama_diff(model, reference):
    diff = 0.0
    for case in reference["cases"]:
        x = torch.tensor([case["input_ids"]])
        got = model.logits(x, torch.ones_like(x))[0]
        diff = max(diff, (got - torch.tensor(case["logits"])).abs().max().item())
    return diff


@torch.no_grad()
def main():
    setup(0)
    ref = read_json(cache_path(f"reference-{train_scope.NAME}.json"))
    scope = load(ScopeClassifier, train_scope)
    scope_logits = scope(torch.tensor(ref["input_ids"]), torch.tensor(ref["attention_mask"]))
    result = {
        train_base.NAME: llama_diff(load(Llama, train_base), read_json(os.path.join(FIXTURES, "golden-logits.json"))),
        train_counterfactual.NAME: llama_diff(
            load(Llama, train_counterfactual), read_json(cache_path(f"reference-{train_counterfactual.NAME}.json"))
        ),
        train_scope.NAME: (scope_logits - torch.tensor(ref["logits"])).abs().max().item(),
    }
    write_json(cache_path("safetensors-check.json"), result)
    print(f"safetensors: max abs logit diff {result}")


if __name__ == "__main__":
    main()

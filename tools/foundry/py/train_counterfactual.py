"""Foundry step: train `editscope-facts-counterfactual`, SERAC's counterfactual decoder.

Input `<s>{edit prompt} {new answer}<sep>{query}` -> ` {answer}</s>`: for an in-scope query (a
paraphrase of the edited fact) the answer is the edit's new answer, a random object of the same
relation; 10% out-of-scope queries (another fact) keep their true answer. Queries use training
templates only; the held-out templates measure generalization.
"""
import os
import random

from common import MODELS, QUICK, cache_path, read_json, setup, write_json  # first: sets thread env
import bpe
import lm_train
from evaluate import completion_correct, generate
from facts import (build_facts, counterfactual, heldout_templates, objects_by_relation, prompt_of,
                   train_templates)
from hf_io import write_repo
from llama import Llama, hf_config
from onnx_export import export_llama, quantize

NAME = "editscope-facts-counterfactual"
CONFIG = dict(vocab_size=4096, hidden_size=128, intermediate_size=512, num_hidden_layers=4,
              num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
              rope_theta=10000.0, rms_norm_eps=1e-5)
STEPS = 60 if QUICK else 800
BATCH, LR, OUT_OF_SCOPE = 64, 3e-3, 0.1
FORMAT = "<s>{edit_prompt} {edit_answer}<sep>{query}"


def model_input(edit_prompt, edit_answer, query):
    return FORMAT.replace("<s>", "").format(edit_prompt=edit_prompt, edit_answer=edit_answer, query=query)


class Examples:
    """Random (input text, answer) pairs; `templates_of` picks the query templates."""

    def __init__(self, facts, rng):
        self.facts, self.rng = facts, rng
        self.pools = objects_by_relation(facts)
        self.by_subject = {}
        for f in facts:
            self.by_subject.setdefault(f["subject"], []).append(f)

    def edit(self, f):
        new = counterfactual(f, self.pools, self.rng)
        return prompt_of(self.rng.choice(train_templates(f["relation"])), f["subject"]), new

    def in_scope(self, f, query_template):
        edit_prompt, new = self.edit(f)
        return model_input(edit_prompt, new, prompt_of(query_template, f["subject"])), new

    def out_of_scope(self, f, templates_of):
        """A query about another fact: same subject other relation, or another subject."""
        edit_prompt, new = self.edit(f)
        others = [g for g in self.by_subject[f["subject"]] if g is not f]
        g = self.rng.choice(others) if others and self.rng.random() < 0.5 else self.rng.choice(self.facts)
        while g is f:
            g = self.rng.choice(self.facts)
        query = prompt_of(self.rng.choice(templates_of(g["relation"])), g["subject"])
        return model_input(edit_prompt, new, query), g["object"]


def encode_example(tok, text, answer):
    """Loss only on the answer tokens and </s>."""
    prefix = tok.encode(text)
    target = tok.encode(" " + answer, bos=False) + [bpe.EOS]
    return prefix + target, [0.0] * len(prefix) + [1.0] * len(target)


def main():
    setup(4321)
    rng = random.Random(4321)
    tok = bpe.load(cache_path("tokenizer.json"))
    facts = build_facts(read_json(cache_path("raw.json")))
    ex = Examples(facts, rng)

    def batches(_step):
        seqs = []
        for _ in range(BATCH):
            f = rng.choice(facts)
            if rng.random() < OUT_OF_SCOPE:
                seqs.append(encode_example(tok, *ex.out_of_scope(f, train_templates)))
            else:
                seqs.append(encode_example(tok, *ex.in_scope(f, rng.choice(train_templates(f["relation"])))))
        return [sorted(seqs, key=lambda s: len(s[0]))]

    model = Llama(CONFIG)
    train_s = lm_train.train(model, batches, STEPS, LR, NAME)

    eval_rng = random.Random(99)
    ex_eval = Examples(facts, eval_rng)
    sample = eval_rng.sample(facts, 600)
    held = [ex_eval.in_scope(f, t) for f in sample for t in heldout_templates(f["relation"])]
    trained = [ex_eval.in_scope(f, eval_rng.choice(train_templates(f["relation"]))) for f in sample]
    oos = [ex_eval.out_of_scope(f, heldout_templates) for f in sample]

    def acc(examples):
        pairs = [(tok.encode(t), tok.encode(" " + a, bos=False)) for t, a in examples]
        ok = completion_correct(model, tok, pairs)
        return sum(ok) / len(ok)

    metrics = {
        "params": sum(p.numel() for p in model.parameters()),
        "train_steps": STEPS, "train_seconds": round(train_s, 1),
        "follows_edit_heldout_templates": acc(held), "follows_edit_heldout_queries": len(held),
        "follows_edit_train_templates": acc(trained),
        "out_of_scope_true_answer_heldout_templates": acc(oos),
        "samples": [{"input": t, "completion": generate(model, tok, t)} for t, _ in held[:3] + oos[:2]],
    }
    folder = os.path.join(MODELS, NAME)
    editscope = {
        "role": "serac-counterfactual",
        "architecture": "llama",
        "prompt_format": FORMAT,
        "prompt_example": "<s>The capital of France is Rome<sep>The city that serves as the capital of France is",
        "answer": "greedy continuation after the query: ' {answer}' then </s>",
        "notes": "<sep> is a special token; write it literally in the text and the tokenizer maps it to id 3",
    }
    gen = {"bos_token_id": bpe.BOS, "eos_token_id": bpe.EOS, "pad_token_id": bpe.PAD,
           "do_sample": False, "max_new_tokens": 16}
    write_repo(folder, hf_config(CONFIG, bpe.BOS, bpe.EOS, bpe.PAD), model.state_dict(),
               bpe.tokenizer_config(CONFIG["max_position_embeddings"]), editscope, gen)
    # The ONNX exports stay in the foundry's cache, only for verify.mjs's ONNX-vs-torch check: the app
    # loads the safetensors, and shipping them would put 10 MB more in the tracked tree.
    onnx_dir = cache_path(f"onnx-{NAME}")
    os.makedirs(onnx_dir, exist_ok=True)
    export_llama(model, os.path.join(onnx_dir, "model.onnx"))
    quantize(os.path.join(onnx_dir, "model.onnx"), os.path.join(onnx_dir, "model_quantized.onnx"))
    write_reference(model, tok, [t for t, _ in held[:3]])
    write_json(cache_path(f"metrics-{NAME}.json"), metrics)
    print(f"{NAME}: follows edit (held-out templates) {metrics['follows_edit_heldout_templates']:.3f}")


def write_reference(model, tok, texts):
    """Torch logits of a few inputs for verify.mjs's ONNX comparison."""
    import torch

    cases = []
    with torch.no_grad():
        for t in texts:
            ids = tok.encode(t)
            x = torch.tensor([ids])
            cases.append({"prompt": t, "input_ids": ids, "logits": model.logits(x, torch.ones_like(x))[0].tolist()})
    write_json(cache_path(f"reference-{NAME}.json"), {"model": NAME, "cases": cases}, indent=None)


if __name__ == "__main__":
    main()

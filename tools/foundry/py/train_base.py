"""Foundry step: train `editscope-facts`, the base Llama model, on fact sentences (training
templates) mixed with general corpus text; measure it; write its HF folder, ONNX files and
tests/fixtures/golden-logits.json. Measurements go to .cache/metrics-editscope-facts.json.
Two phases: 1800 steps on plain sentences (checkpoint .cache/base-phase1.safetensors), then 200
steps with corpus lead-ins; `--resume` starts from that checkpoint and runs phase 2 only.
"""
import os
import random
import sys

from common import FIXTURES, MODELS, QUICK, cache_path, read_json, setup, write_json  # first: sets thread env
import torch

import bpe
import corpus
import lm_train
from evaluate import completion_correct, generate, perplexity
from facts import TEMPLATES, build_facts, heldout_templates, prompt_of, sentence, train_templates
from hf_io import load_safetensors, save_safetensors, write_repo
from llama import Llama, hf_config
from onnx_export import export_llama, quantize

NAME = "editscope-facts"
CONFIG = dict(vocab_size=4096, hidden_size=128, intermediate_size=2048, num_hidden_layers=4,
              num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
              rope_theta=10000.0, rms_norm_eps=1e-5)
STEPS = 60 if QUICK else 1800
PHASE2_STEPS, PHASE2_LR = (20 if QUICK else 200), 1e-3
FACT_BATCH, CORPUS_BATCH, CORPUS_MAX_LEN = 96, 16, 40
LR = 3e-3
LEAD_IN = 0.5
GOLDEN_PROMPTS = ["The capital of France is", "The chemical symbol of Gold is", "The state capital of Texas is"]
SAMPLE_PROMPTS = GOLDEN_PROMPTS + ["The official language of Brazil is", "Call me", "The President said that"]


def fact_ids(tok, template, fact, corpus_sentence, rng):
    """Token ids of a training fact sentence; half the time behind a lead-in of 2-5 corpus words
    ("The jury further said, the capital of France is Paris.") so recall does not hinge on how
    the sentence starts (the first run, without lead-ins, reached 57% on held-out templates)."""
    text = sentence(template, fact)
    if rng.random() < LEAD_IN and not template.startswith("{s}"):
        lead = " ".join(corpus_sentence.split()[: rng.randint(2, 5)]).rstrip(",.;:!?")
        text = lead + ", " + text[0].lower() + text[1:]
    return tok.encode(text) + [bpe.EOS]


def fact_eval(model, tok, facts, templates_of):
    """Accuracy over every (fact, template) pair and per relation."""
    pairs, rels = [], []
    for f in facts:
        for t in templates_of(f["relation"]):
            pairs.append((tok.encode(prompt_of(t, f["subject"])), tok.encode(" " + f["object"], bos=False)))
            rels.append(f["relation"])
    ok = completion_correct(model, tok, pairs)
    per = {r: sum(o for o, q in zip(ok, rels) if q == r) / rels.count(r) for r in sorted(set(rels))}
    return sum(ok) / len(ok), per


def train_phase1(model, tok, facts, train_text, rng):
    """Facts as plain training-template sentences mixed with corpus sentences."""
    fact_seqs = [tok.encode(sentence(t, f)) + [bpe.EOS] for f in facts for t in train_templates(f["relation"])]
    stream = corpus.sampler(train_text, rng)

    def batches(_step):
        # Facts sorted by length and split in two so padding wastes little compute.
        fb = [(s, [1.0] * len(s)) for s in sorted(rng.sample(fact_seqs, FACT_BATCH), key=len)]
        cs = [(tok.encode(next(stream))[: CORPUS_MAX_LEN - 1] + [bpe.EOS]) for _ in range(CORPUS_BATCH)]
        half = FACT_BATCH // 2
        return [fb[:half], fb[half:], [(s, [1.0] * len(s)) for s in cs]]

    return lm_train.train(model, batches, STEPS, LR, NAME)


def train_phase2(model, tok, facts, train_text, rng):
    """Short fine-tune where half the fact sentences sit behind a corpus lead-in (fresh AdamW)."""
    stream = corpus.sampler(train_text, rng)
    pairs = [(t, f) for f in facts for t in train_templates(f["relation"])]

    def batches(_step):
        seqs = sorted((fact_ids(tok, t, f, next(stream), rng) for t, f in rng.sample(pairs, FACT_BATCH)), key=len)
        fb = [(s, [1.0] * len(s)) for s in seqs]
        cs = [(tok.encode(next(stream))[: CORPUS_MAX_LEN - 1] + [bpe.EOS]) for _ in range(CORPUS_BATCH)]
        half = FACT_BATCH // 2
        return [fb[:half], fb[half:], [(s, [1.0] * len(s)) for s in cs]]

    return lm_train.train(model, batches, PHASE2_STEPS, PHASE2_LR, NAME + " phase 2", log_every=50)


def main():
    setup(1234)
    rng = random.Random(1234)
    raw = read_json(cache_path("raw.json"))
    tok = bpe.load(cache_path("tokenizer.json"))
    facts = build_facts(raw)
    train_text, heldout_text = corpus.split(raw)
    model = Llama(CONFIG)
    phase1 = cache_path("base-phase1.safetensors")
    if "--resume" in sys.argv and os.path.exists(phase1):
        model.load_state_dict(load_safetensors(phase1))
        train_s = read_json(cache_path("base-phase1.json"))["seconds"]
    else:
        train_s = train_phase1(model, tok, facts, train_text, rng)
        save_safetensors(phase1, model.state_dict())
        write_json(cache_path("base-phase1.json"), {"seconds": round(train_s, 1)})
    setup(5678)
    train_s += train_phase2(model, tok, facts, train_text, random.Random(5678))

    train_acc, train_per = fact_eval(model, tok, facts, train_templates)
    held_acc, held_per = fact_eval(model, tok, facts, heldout_templates)
    ppl_sents = [s for src in corpus.SOURCES for s in heldout_text[src][:500]]
    metrics = {
        "params": sum(p.numel() for p in model.parameters()),
        "train_steps": STEPS + PHASE2_STEPS, "train_seconds": round(train_s, 1),
        "facts": len(facts), "relations": len({f["relation"] for f in facts}),
        "fact_accuracy_train_templates": train_acc, "fact_accuracy_heldout_templates": held_acc,
        "per_relation_train_templates": train_per, "per_relation_heldout_templates": held_per,
        "heldout_corpus_perplexity": perplexity(model, tok, ppl_sents), "heldout_corpus_sentences": len(ppl_sents),
        "samples": [{"prompt": p, "completion": generate(model, tok, p)} for p in SAMPLE_PROMPTS],
    }
    write_outputs(model, tok, metrics)
    print(f"{NAME}: train {train_acc:.3f} heldout {held_acc:.3f} ppl {metrics['heldout_corpus_perplexity']:.1f}")


def write_outputs(model, tok, metrics):
    folder = os.path.join(MODELS, NAME)
    editscope = {
        "role": "base",
        "architecture": "llama",
        "prompt_format": "<s>{prompt}; the answer follows after a space, e.g. '<s>The capital of France is' -> ' Paris'",
        "bos": "tokenizer adds <s> (add_bos_token); generation stops at </s>",
        "relations": list(TEMPLATES),
        # Chosen by measurement after training (bench/memoir-overlap.ts, npm run eval; τ on the dev split; the card shows
        # the numbers): the same values as the app's 'last-zscore' preset in src/editors/memoir/config.ts.
        "memoir": {"preset": "last-zscore", "layer": CONFIG["num_hidden_layers"] - 2,
                   "ffn_width": CONFIG["intermediate_size"], "k": CONFIG["intermediate_size"] // 8, "tau": 0.53,
                   "pooling": "last", "normalize": "zscore", "prefix_copies": 10},
    }
    gen = {"bos_token_id": bpe.BOS, "eos_token_id": bpe.EOS, "pad_token_id": bpe.PAD,
           "do_sample": False, "max_new_tokens": 16}
    state = {k: v for k, v in model.state_dict().items()}
    write_repo(folder, hf_config(CONFIG, bpe.BOS, bpe.EOS, bpe.PAD), state,
               bpe.tokenizer_config(CONFIG["max_position_embeddings"]), editscope, gen)
    export_llama(model, os.path.join(folder, "onnx", "model.onnx"))
    quantize(os.path.join(folder, "onnx", "model.onnx"), os.path.join(folder, "onnx", "model_quantized.onnx"))
    write_json(cache_path(f"metrics-{NAME}.json"), metrics)
    write_golden(model, tok)


@torch.no_grad()
def write_golden(model, tok):
    """Full (T, V) logits of three prompts, BOS included as the tokenizer adds it."""
    cases = []
    for p in GOLDEN_PROMPTS:
        ids = tok.encode(p)
        x = torch.tensor([ids])
        logits = model.logits(x, torch.ones_like(x))[0]
        cases.append({"prompt": p, "input_ids": ids, "logits": [[round(v, 6) for v in row] for row in logits.tolist()]})
    write_json(os.path.join(FIXTURES, "golden-logits.json"), {"model": NAME, "cases": cases}, indent=None)


if __name__ == "__main__":
    main()

"""Foundry step: train `editscope-scope`, SERAC's scope classifier (a tiny BERT cross-encoder).

Input `<s>{edit}<sep>{query}` where edit = edit prompt + " " + new answer and query is a prompt;
label 1 when the query asks for the edited (subject, relation). Hard negatives: the same subject
with another relation, the same relation with another (often similar-looking) subject, that subject in
the edit's own template; and general text (corpus sentence starts), which SERAC meets as unrelated
prompts and which a classifier trained on facts alone sent to an edit 8.7% of the time.
"""
import os
import random

from common import MODELS, QUICK, Clock, cache_path, cosine_lr, read_json, setup, write_json  # first: thread env
import torch
import torch.nn.functional as F

import bpe
import corpus
from bert import ScopeClassifier, hf_config
from evaluate import pad_batch, roc_auc
from facts import build_facts, counterfactual, heldout_templates, objects_by_relation, prompt_of, train_templates
from hf_io import write_repo
from onnx_export import export_encoder, quantize

NAME = "editscope-scope"
CONFIG = dict(vocab_size=4096, hidden_size=64, num_hidden_layers=2, num_attention_heads=2,
              intermediate_size=256, max_position_embeddings=128, type_vocab_size=1,
              layer_norm_eps=1e-12, num_labels=2, sep_token_id=bpe.SEP)
# 600 steps left the loss still falling (0.04) and scored "The capital of Japan is" 0.83 against the
# edit "The capital of France is Rome": a neighbour in the edit's own template, the query SERAC's top-1
# over many stored edits meets most often (see same_template_set). With the general-text and
# same-template negatives but no lead-ins, recall at 0.5 fell to 86.5% (2,400 steps) and 87.9% (4,000);
# the lead-ins brought it to 99.3%. Chosen among these three
# variants by these metrics and by SERAC's T=100 eval (bench/results/README.md says which and how).
STEPS = 60 if QUICK else 4000
BATCH, LR = 128, 2e-3
# The training-time metrics below are taken at SERAC's threshold, 0.5 (Mitchell et al.).
THRESHOLD = 0.5
# The threshold the app and `npm run eval` route with (the card's "threshold"), chosen after training on
# the facts benchmark's dev split (records 1000-1099) by a rule fixed before the run: the smallest of
# .1, .2, ..., .9, .91, ..., .99 at which SERAC's Loc reaches .99 at T=100
# (bench/results/serac-eval-dev-T100.json: .94, Rel .999 Gen .971 Loc .990; at 0.5 Loc .953).
ROUTING_THRESHOLD = 0.94
LEAD_IN = 0.3


def text_prefix(sentence, rng):
    """The first 5-10 words of a corpus sentence: a general-text query."""
    return " ".join(sentence.split()[: rng.randint(5, 10)])


class Pairs:
    """Labelled (edit, query) pairs; `templates_of` picks the query templates, `texts` are corpus
    sentences for the general-text negatives."""

    def __init__(self, facts, texts, rng):
        self.facts, self.texts, self.rng = facts, texts, rng
        self.pools = objects_by_relation(facts)
        self.by_subject, self.by_relation = {}, {}
        for f in facts:
            self.by_subject.setdefault(f["subject"], []).append(f)
            self.by_relation.setdefault(f["relation"], []).append(f)

    def edit_text(self, f):
        answer = f["object"] if self.rng.random() < 0.5 else counterfactual(f, self.pools, self.rng)
        return prompt_of(self.rng.choice(train_templates(f["relation"])), f["subject"]) + " " + answer

    def query(self, g, templates_of):
        """A prompt for fact g; in training, LEAD_IN of them behind a few corpus words ("The jury
        further said, the capital of France is"), whatever the label, so that leading words tell
        nothing: without them the general-text negatives cost recall on held-out templates that open
        with new words ("As every atlas shows, ...")."""
        q = prompt_of(self.rng.choice(templates_of(g["relation"])), g["subject"])
        if self.texts and self.rng.random() < LEAD_IN and not q.startswith(g["subject"]):
            lead = " ".join(self.rng.choice(self.texts).split()[: self.rng.randint(2, 5)]).rstrip(",.;:!?")
            q = lead + ", " + q[0].lower() + q[1:]
        return q

    def other_relation(self, f):
        others = [g for g in self.by_subject[f["subject"]] if g is not f]
        return self.rng.choice(others) if others else None

    def other_subject(self, f):
        """Same relation, another subject; half the time one sharing the first letters."""
        pool = [g for g in self.by_relation[f["relation"]] if g["subject"] != f["subject"]]
        similar = [g for g in pool if g["subject"][:3] == f["subject"][:3]]
        return self.rng.choice(similar if similar and self.rng.random() < 0.5 else pool)

    def sample(self, templates_of):
        """One training pair: half positives, then hard negatives, general text and random facts."""
        f = self.rng.choice(self.facts)
        r = self.rng.random()
        if r < 0.5:
            g, label = f, 1
        elif r < 0.65:
            g, label = self.other_relation(f) or self.other_subject(f), 0
        elif r < 0.8:
            g, label = self.other_subject(f), 0
        elif r < 0.88:
            # Another subject in the edit's own template: only the subject tells them apart.
            template = self.rng.choice(train_templates(f["relation"]))
            edit = prompt_of(template, f["subject"]) + " " + f["object"]
            return edit, prompt_of(template, self.other_subject(f)["subject"]), 0
        elif r < 0.95:
            return self.edit_text(f), text_prefix(self.rng.choice(self.texts), self.rng), 0
        else:
            g = self.rng.choice(self.facts)
            label = int(g is f)
        return self.edit_text(f), self.query(g, templates_of), label


def encode(tok, edit, query):
    return tok.encode(edit + "<sep>" + query)


@torch.no_grad()
def scores(model, tok, pairs, batch_size=256):
    out = []
    for i in range(0, len(pairs), batch_size):
        ids, mask = pad_batch([encode(tok, e, q) for e, q, _ in pairs[i : i + batch_size]])
        out += F.softmax(model(ids, mask), dim=-1)[:, 1].tolist()
    return out


def corpus_texts(raw, split):
    """Corpus sentences of at least 8 words, of the training (0) or held-out (1) split."""
    part = corpus.split(raw)[split]
    return [s for src in corpus.SOURCES for s in part[src] if len(s.split()) >= 8]


def held_out_set(facts, seed=77, n=500):
    """Per sampled edit: 3 positives (held-out templates), 3 same-subject and 3 same-relation negatives."""
    rng = random.Random(seed)
    p = Pairs(facts, [], rng)
    out = {"positive": [], "same_subject": [], "same_relation": []}
    for f in rng.sample(facts, n):
        edit = p.edit_text(f)
        for t in heldout_templates(f["relation"]):
            out["positive"].append((edit, prompt_of(t, f["subject"]), 1))
        for _ in range(3):
            g = p.other_relation(f)
            if g is not None:
                out["same_subject"].append((edit, p.query(g, heldout_templates), 0))
            out["same_relation"].append((edit, p.query(p.other_subject(f), heldout_templates), 0))
    return out


def same_template_set(facts, seed=78, n=300):
    """Per sampled edit: 3 other subjects asked in the edit's own training template ("The capital of
    Japan is" against "The capital of France is Rome"). Only the subject tells them apart."""
    rng = random.Random(seed)
    p = Pairs(facts, [], rng)
    out = []
    for f in rng.sample(facts, n):
        template = rng.choice(train_templates(f["relation"]))
        edit = prompt_of(template, f["subject"]) + " " + f["object"]
        out += [(edit, prompt_of(template, p.other_subject(f)["subject"]), 0) for _ in range(3)]
    return out


def text_set(facts, heldout_texts, seed=79, n=300):
    """Per sampled edit: 3 starts of held-out corpus sentences (never trained on), as the benchmark's
    text locality prompts are."""
    rng = random.Random(seed)
    p = Pairs(facts, [], rng)
    return [(p.edit_text(f), text_prefix(rng.choice(heldout_texts), rng), 0)
            for f in rng.sample(facts, n) for _ in range(3)]


@torch.no_grad()
def top1_false_positives(model, tok, facts, heldout_texts, seed=80, n_edits=100, n_queries=300):
    """What SERAC meets with n_edits stored: the fraction of unrelated queries whose top-1 score over
    all stored edits reaches the threshold (per pair the rate is far lower, but one false pair among
    100 edits suffices). Queries: starts of held-out corpus sentences, and facts of other subjects in
    held-out templates."""
    rng = random.Random(seed)
    p = Pairs(facts, [], rng)
    edited = rng.sample(facts, n_edits)
    edits = [p.edit_text(f) for f in edited]
    subjects = {f["subject"] for f in edited}
    others = [g for g in facts if g["subject"] not in subjects]
    queries = {
        "text": [text_prefix(rng.choice(heldout_texts), rng) for _ in range(n_queries)],
        "fact": [p.query(rng.choice(others), heldout_templates) for _ in range(n_queries)],
    }
    out = {}
    for kind, qs in queries.items():
        best = [max(scores(model, tok, [(e, q, 0) for e in edits])) for q in qs]
        out[kind] = sum(x >= THRESHOLD for x in best) / len(best)
    return out


def evaluate(model, tok, facts, heldout_texts):
    sets = held_out_set(facts)
    s = {k: scores(model, tok, v) for k, v in sets.items()}
    pos, neg = s["positive"], s["same_subject"] + s["same_relation"]
    tp = sum(x >= THRESHOLD for x in pos)
    fp = sum(x >= THRESHOLD for x in neg)
    same_template = scores(model, tok, same_template_set(facts))
    text = scores(model, tok, text_set(facts, heldout_texts))
    return {
        "top1_false_positive_rate_100_edits": top1_false_positives(model, tok, facts, heldout_texts),
        "false_positive_rate_text": sum(x >= THRESHOLD for x in text) / len(text),
        "roc_auc_same_template_negatives": roc_auc(pos + same_template, [1] * len(pos) + [0] * len(same_template)),
        "false_positive_rate_same_template": sum(x >= THRESHOLD for x in same_template) / len(same_template),
        "roc_auc_heldout_templates": roc_auc(pos + neg, [1] * len(pos) + [0] * len(neg)),
        "roc_auc_same_subject_negatives": roc_auc(pos + s["same_subject"], [1] * len(pos) + [0] * len(s["same_subject"])),
        "roc_auc_same_relation_negatives": roc_auc(pos + s["same_relation"], [1] * len(pos) + [0] * len(s["same_relation"])),
        "threshold": THRESHOLD,
        "precision_at_threshold": tp / max(1, tp + fp),
        "recall_at_threshold": tp / len(pos),
        "eval_positives": len(pos), "eval_negatives": len(neg),
    }


def main():
    setup(2468)
    rng = random.Random(2468)
    tok = bpe.load(cache_path("tokenizer.json"))
    raw = read_json(cache_path("raw.json"))
    facts = build_facts(raw)
    pairs = Pairs(facts, corpus_texts(raw, 0), rng)
    model = ScopeClassifier(CONFIG)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
    clock = Clock()
    model.train()
    for step in range(STEPS):
        for group in opt.param_groups:
            group["lr"] = cosine_lr(step, STEPS, LR, min(100, STEPS // 5 + 1))
        batch = [pairs.sample(train_templates) for _ in range(BATCH)]
        ids, mask = pad_batch([encode(tok, e, q) for e, q, _ in batch])
        loss = F.cross_entropy(model(ids, mask), torch.tensor([y for _, _, y in batch]))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 100 == 0 or step == STEPS - 1:
            print(f"{NAME}: step {step}/{STEPS} loss {loss.item():.4f} {clock.elapsed():.0f}s", flush=True)
    model.eval()
    metrics = {"params": sum(p.numel() for p in model.parameters()), "train_steps": STEPS,
               "train_seconds": round(clock.elapsed(), 1), **evaluate(model, tok, facts, corpus_texts(raw, 1))}
    write_outputs(model, tok, metrics)
    print(f"{NAME}: AUC {metrics['roc_auc_heldout_templates']:.4f} P {metrics['precision_at_threshold']:.3f} "
          f"R {metrics['recall_at_threshold']:.3f} text FP {metrics['false_positive_rate_text']:.3f}")


def write_outputs(model, tok, metrics):
    folder = os.path.join(MODELS, NAME)
    editscope = {
        "role": "serac-scope",
        "architecture": "BERT-like cross-encoder with an in-graph token-match embedding (see bert.py)",
        "input_format": "<s>{edit_prompt} {edit_answer}<sep>{query}",
        "input_example": "<s>The capital of France is Rome<sep>The city that serves as the capital of France is",
        "tokenizer_call": "tokenizer(edit, { text_pair: query }) produces exactly this format",
        "onnx_inputs": ["input_ids", "attention_mask"],
        "onnx_output": "logits (batch_size, 2): [out_of_scope, in_scope]; score = softmax(logits)[1]",
        "threshold": ROUTING_THRESHOLD,
        "rule": "score the query against every stored edit, take the top-1; in scope when score >= threshold",
    }
    write_repo(folder, hf_config(CONFIG, bpe.BOS, bpe.EOS, bpe.PAD), model.state_dict(),
               bpe.tokenizer_config(CONFIG["max_position_embeddings"]), editscope)
    export_encoder(model, os.path.join(folder, "onnx", "model.onnx"))
    quantize(os.path.join(folder, "onnx", "model.onnx"), os.path.join(folder, "onnx", "model_quantized.onnx"))
    sample = held_out_set(build_facts(read_json(cache_path("raw.json"))), seed=5, n=2)
    cases = [x for v in sample.values() for x in v[:2]]
    ids, mask = pad_batch([encode(tok, e, q) for e, q, _ in cases])
    with torch.no_grad():
        logits = model(ids, mask).tolist()
    write_json(cache_path(f"reference-{NAME}.json"),
               {"model": NAME, "input_ids": ids.tolist(), "attention_mask": mask.tolist(), "logits": logits})
    write_json(cache_path(f"metrics-{NAME}.json"), metrics)


if __name__ == "__main__":
    main()

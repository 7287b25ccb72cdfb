"""Foundry step: train the sentence-embedding test fixture, a tiny BERT sentence embedder that SERAC's
embedding-mode scope (src/editors/serac/embedding-scope.ts) loads as a hub model in tests and e2e, where
nothing may be downloaded (issue #19). A test fixture standing in for Xenova/all-MiniLM-L6-v2, not a
general-purpose embedder: it knows the foundry's facts and the foundry's corpus, nothing else.

Contrastive training (in-batch InfoNCE on mean-pooled, unit-normalized embeddings, both directions): an
edit text (a training template's prompt + the true or a counterfactual answer) against a prompt of the
same fact in another training template, sometimes behind corpus words, with one word dropped at times.
The batch is built from hard cases: for each seed fact, one of the same relation about another subject
and one of another relation about the same subject, each with its own pair; besides, general-text
starts and other subjects asked in the seed's own template are candidates that no edit may match.
Only the foundry's own templates (facts.py train_templates) and training corpus are trained on; the
held-out templates and corpus give the dev measurement printed at the end. Never the calibration set
(public/calibration) or bench/data/unseen-phrasings.json: the app's calibration measures on those.

Writes tests/fixtures/hub/sentence-embedding/ in hub layout: a `bert` config.json, the shared
tokenizer files, onnx/model_quantized.onnx (input_ids, attention_mask -> last_hidden_state; what
transformers.js loads for dtype q8) and README.md (the card, with the dev measurement).
Debian's python3-torch calls the reference BLAS unless libopenblas0 provides libblas.so.3: ~13x slower.
"""
import os
import random
import shutil

from common import FIXTURES, QUICK, Clock, cache_path, cosine_lr, read_json, setup, write_json  # first: thread env
import torch
import torch.nn.functional as F

import bpe
import corpus
from bert import SentenceEncoder
from evaluate import pad_batch
from facts import build_facts, counterfactual, heldout_templates, objects_by_relation, prompt_of, train_templates
from hf_io import write_tokenizer
from onnx_export import export_encoder, quantize

OUT = os.path.join(FIXTURES, "hub", "sentence-embedding")
CONFIG = dict(vocab_size=4096, hidden_size=96, num_hidden_layers=2, num_attention_heads=4,
              intermediate_size=384, max_position_embeddings=128, type_vocab_size=1, layer_norm_eps=1e-12)
STEPS = 60 if QUICK else 1200
# Per batch: seed facts (x3 facts), text, same-template and subject-only negatives.
SEEDS, TEXTS, SAME_TEMPLATE, SUBJECT_ONLY = 24, 32, 16, 16
LR, TEMPERATURE = 2e-3, 0.05
# The pairwise term: cosine MARGIN_AT is the boundary (score exp(-(2 - 2cos)) = .37), sharpness and weight.
MARGIN_AT, SIGMOID_SCALE, PAIR_WEIGHT = 0.5, 10.0, 1.0
LEAD_IN, DROP_WORD = 0.3, 0.3
# SERAC's embedding-mode score exp(-‖e − q‖²) (embedding-scope.ts) and the 1% rule of the app's
# calibration (eval/operating-point.ts), for the dev measurement.
GRID = [i / 200 for i in range(201)]
MAX_UNRELATED_OPEN = 0.01


def text_prefix(sentence, rng):
    """The first 5-10 words of a corpus sentence: a general-text query (as train_scope.py's)."""
    return " ".join(sentence.split()[: rng.randint(5, 10)])


def corpus_texts(raw, split):
    """Corpus sentences of 8-20 words, of the training (0) or held-out (1) split."""
    part = corpus.split(raw)[split]
    return [s for src in corpus.SOURCES for s in part[src] if 8 <= len(s.split()) <= 20]


class Batches:
    """Training batches: (edits, queries, negatives), edits[i] and queries[i] of one fact."""

    def __init__(self, facts, texts, rng):
        self.facts, self.texts, self.rng = facts, texts, rng
        self.pools = objects_by_relation(facts)
        self.by_subject, self.by_relation = {}, {}
        for f in facts:
            self.by_subject.setdefault(f["subject"], []).append(f)
            self.by_relation.setdefault(f["relation"], []).append(f)

    def other_subject(self, f):
        """Same relation, another subject; half the time one sharing the first letters."""
        pool = [g for g in self.by_relation[f["relation"]] if g["subject"] != f["subject"]]
        similar = [g for g in pool if g["subject"][:3] == f["subject"][:3]]
        return self.rng.choice(similar if similar and self.rng.random() < 0.5 else pool)

    def other_relation(self, f):
        others = [g for g in self.by_subject[f["subject"]] if g is not f]
        return self.rng.choice(others) if others else None

    def lead_in(self, q, subject):
        """A corpus sentence or a few corpus words before the prompt, so leading words tell nothing."""
        s = self.rng.choice(self.texts)
        if self.rng.random() < 0.5:
            return s + " " + q
        lead = " ".join(s.split()[: self.rng.randint(2, 5)]).rstrip(",.;:!?")
        return lead + ", " + (q if q.startswith(subject) else q[0].lower() + q[1:])

    def drop_word(self, q, subject):
        """One word that is not part of the subject left out: phrasings differ in their small words."""
        words = q.split()
        keep = set(subject.split())
        choices = [i for i, w in enumerate(words) if w.strip("'s,.") not in keep]
        if len(words) > 3 and choices:
            del words[self.rng.choice(choices)]
        return " ".join(words)

    def pair(self, f):
        templates = train_templates(f["relation"])
        a, b = self.rng.sample(range(len(templates)), 2)
        answer = f["object"] if self.rng.random() < 0.5 else counterfactual(f, self.pools, self.rng)
        edit = prompt_of(templates[a], f["subject"]) + " " + answer
        query = prompt_of(templates[b], f["subject"])
        if self.rng.random() < DROP_WORD:
            query = self.drop_word(query, f["subject"])
        if self.rng.random() < LEAD_IN:
            query = self.lead_in(query, f["subject"])
        return edit, query, templates[a]

    def sample(self):
        chosen, keys = [], set()
        for seed in self.rng.sample(self.facts, SEEDS):
            for g in (seed, self.other_subject(seed), self.other_relation(seed)):
                if g is not None and (g["subject"], g["relation"]) not in keys:
                    keys.add((g["subject"], g["relation"]))
                    chosen.append(g)
        pairs = [self.pair(f) for f in chosen]
        negatives = [text_prefix(self.rng.choice(self.texts), self.rng) for _ in range(TEXTS)]
        # A subject among words that ask for none of its relations: the subject alone opens no edit.
        for f in self.rng.sample(chosen, SUBJECT_ONLY):
            words = text_prefix(self.rng.choice(self.texts), self.rng).split()
            words.insert(self.rng.randint(0, len(words)), f["subject"])
            negatives.append(" ".join(words))
        # Another subject in an edit's own template: only the subject tells them apart.
        for i in self.rng.sample(range(len(chosen)), SAME_TEMPLATE):
            g = self.other_subject(chosen[i])
            if (g["subject"], g["relation"]) not in keys:
                negatives.append(prompt_of(pairs[i][2], g["subject"]))
        return [e for e, _, _ in pairs], [q for _, q, _ in pairs], negatives


def embed(model, tok, texts):
    """Mean-pooled (over the attention mask, as transformers.js pools), unit-normalized. (N, C)"""
    ids, mask = pad_batch([tok.encode(t) for t in texts])
    h = model(ids, mask)
    m = mask[:, :, None].float()
    return F.normalize((h * m).sum(1) / m.sum(1), dim=-1)


def loss_of(model, tok, edits, queries, negatives):
    """InfoNCE both ways (each edit against all queries and negatives, each query against all edits),
    plus a pairwise sigmoid term on the same cosines around one fixed cosine, MARGIN_AT: InfoNCE only
    ranks within a row, while SERAC routes by one threshold over all edits and queries (the 1% rule)."""
    e = embed(model, tok, edits)
    c = embed(model, tok, queries + negatives)
    cos = e @ c.T  # (B, B + N)
    target = torch.arange(len(edits))
    logits = cos / TEMPERATURE
    nce = (F.cross_entropy(logits, target) + F.cross_entropy(logits[:, : len(edits)].T, target)) / 2
    labels = torch.zeros_like(cos)
    labels[target, target] = 1
    # Positives weigh as much as all negatives of their row together.
    weight = torch.where(labels > 0, float(cos.shape[1] - 1), 1.0)
    pair = F.binary_cross_entropy_with_logits(SIGMOID_SCALE * (cos - MARGIN_AT), labels, weight=weight)
    return nce + PAIR_WEIGHT * pair


def dev_set(facts, texts, seed=91):
    """A calibration-shaped set from held-out phrasings: 12 countries with all five country relations, 12
    elements with both of theirs, 12 states; edits in a training template with a counterfactual answer;
    paraphrases in the three held-out templates, one behind a held-out corpus sentence; unrelated: every
    phrasing of the same relation's other subjects and of the subject's other relations, and 60 held-out
    text starts. -> (edits, [(paraphrase, fact)], {unrelated prompt: [facts it must not open]})"""
    rng = random.Random(seed)
    b = Batches(facts, texts, rng)
    groups = {}
    for f in facts:
        groups.setdefault(f["subject"], {})[f["relation"]] = f
    country = ["capital", "continent", "region", "language", "currency"]
    pick = [s for s in sorted(groups) if all(r in groups[s] for r in country)]
    elements = [s for s in sorted(groups) if "symbol" in groups[s] and "atomic_number" in groups[s]]
    states = [s for s in sorted(groups) if "state_capital" in groups[s]]
    chosen = [groups[s][r] for s in rng.sample(pick, 12) for r in country]
    chosen += [groups[s][r] for s in rng.sample(elements, 12) for r in ("symbol", "atomic_number")]
    chosen += [groups[s]["state_capital"] for s in rng.sample(states, 12)]
    edits, phrasings = [], []
    for f in chosen:
        edits.append(prompt_of(train_templates(f["relation"])[0], f["subject"]) + " " + counterfactual(f, b.pools, rng))
        held = [prompt_of(t, f["subject"]) for t in heldout_templates(f["relation"])]
        held[2] = rng.choice(texts) + " " + held[2]
        phrasings.append(held)
    paraphrases = [(p, i) for i, ps in enumerate(phrasings) for p in ps]
    unrelated = {}
    for i, f in enumerate(chosen):
        for j, g in enumerate(chosen):
            if (g["relation"] == f["relation"]) != (g["subject"] == f["subject"]):
                for p in [prompt_of(train_templates(g["relation"])[0], g["subject"]), *phrasings[j]]:
                    unrelated.setdefault(p, []).append(i)
    for _ in range(60):
        unrelated.setdefault(text_prefix(rng.choice(texts), rng), []).extend(range(len(chosen)))
    return edits, paraphrases, unrelated


@torch.no_grad()
def routing(model, tok, edits, paraphrases, unrelated):
    """The app's calibration on the dev set (calibrate-scope.ts): the 1%-rule point and score spreads."""
    e = embed(model, tok, edits)
    score = lambda texts: torch.exp(-(2 - 2 * embed(model, tok, texts) @ e.T))  # (N, E)
    s = score([p for p, _ in paraphrases])
    best, index = s.max(1)
    own = [float(best[k]) if int(index[k]) == fact else -1.0 for k, (_, fact) in enumerate(paraphrases)]
    u = score(list(unrelated))
    open_ = [float(u[k, facts].max()) for k, facts in enumerate(unrelated.values())]
    curve = [(t, sum(x >= t for x in own) / len(own), sum(x >= t for x in open_) / len(open_)) for t in GRID]
    ok = [p for p in curve if p[2] <= MAX_UNRELATED_OPEN]
    tau, para, unrel = max(ok, key=lambda p: (p[1], -p[0])) if ok else curve[-1]
    own_scores = [float(s[k, fact]) for k, (_, fact) in enumerate(paraphrases)]
    worst = sorted(zip(open_, unrelated), reverse=True)[:3]
    return {"highest_unrelated": [f"{x:.3f} {p!r}" for x, p in worst],"threshold": tau, "paraphrase_own": para, "unrelated_open": unrel,
            "top1_own": sum(x >= 0 for x in own) / len(own),
            "paraphrase_own_score_median": sorted(own_scores)[len(own_scores) // 2],
            "unrelated_max_score_median": sorted(open_)[len(open_) // 2],
            "paraphrases": len(own), "unrelated": len(open_)}


def main():
    setup(1357)
    torch.set_num_threads(1)
    rng = random.Random(1357)
    tok = bpe.load(cache_path("tokenizer.json"))
    raw = read_json(cache_path("raw.json"))
    facts = build_facts(raw)
    batches = Batches(facts, corpus_texts(raw, 0), rng)
    dev = dev_set(facts, corpus_texts(raw, 1))
    model = SentenceEncoder(CONFIG)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
    clock = Clock()
    for step in range(STEPS):
        model.train()
        for group in opt.param_groups:
            group["lr"] = cosine_lr(step, STEPS, LR, min(100, STEPS // 5 + 1))
        loss = loss_of(model, tok, *batches.sample())
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 200 == 0 or step == STEPS - 1:
            model.eval()
            print(f"sentence-embedding: step {step}/{STEPS} loss {loss.item():.4f} "
                  f"dev {routing(model, tok, *dev)} {clock.elapsed():.0f}s", flush=True)
    model.eval()
    metrics = {"params": sum(p.numel() for p in model.parameters()), "train_steps": STEPS,
               "train_seconds": round(clock.elapsed()), **routing(model, tok, *dev)}
    write_outputs(model, metrics)
    print(f"sentence-embedding: {metrics}")


def write_outputs(model, metrics):
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(os.path.join(OUT, "onnx"))
    config = {"architectures": ["BertModel"], "model_type": "bert", **CONFIG, "hidden_act": "gelu",
              "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0,
              "position_embedding_type": "absolute", "bos_token_id": bpe.BOS, "eos_token_id": bpe.EOS,
              "pad_token_id": bpe.PAD, "torch_dtype": "float32"}
    write_json(os.path.join(OUT, "config.json"), config)
    write_tokenizer(OUT, bpe.tokenizer_config(CONFIG["max_position_embeddings"]))
    fp32 = cache_path("sentence-embedding-model.onnx")
    export_encoder(model, fp32, output="last_hidden_state")
    quantize(fp32, os.path.join(OUT, "onnx", "model_quantized.onnx"))
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as f:
        f.write(card(metrics))


def card(m):
    c = CONFIG
    return f"""---
library_name: transformers.js
pipeline_tag: feature-extraction
tags: [test-fixture, sentence-embedding]
---
# sentence-embedding (Editscope test fixture)

A tiny sentence embedder that stands in for `Xenova/all-MiniLM-L6-v2` in Editscope's tests and e2e, where
nothing may be downloaded: SERAC's embedding-mode scope (`src/editors/serac/embedding-scope.ts`) loads it
from this folder through transformers.js' feature-extraction pipeline (mean pooling, normalized, dtype q8).
**A test fixture, not a general-purpose model**: it knows the foundry's facts (countries, elements, US
states: eight relations) and its English corpus, nothing else.

- Architecture: BERT ({c['num_hidden_layers']} layers, hidden {c['hidden_size']}, {c['num_attention_heads']} heads,
  FFN {c['intermediate_size']}), {m['params']:,} parameters, the foundry's 4,096-token byte-level BPE.
  `onnx/model_quantized.onnx`: input_ids, attention_mask -> last_hidden_state (batch, sequence,
  {c['hidden_size']}); int8 weights (MatMul and Gather) with DequantizeLinear, opset 14.
- Training (`tools/foundry/py/train_sentence_embedding.py`, step `sentence-embedding` of `npm run foundry`;
  seed 1357, {m['train_steps']} steps, {m['train_seconds']} s on one shared CPU thread): in-batch InfoNCE
  (temperature {TEMPERATURE}, both directions) on mean-pooled unit embeddings, plus a pairwise sigmoid term
  around cosine {MARGIN_AT} so that one threshold separates across edits. An edit text (a prompt of one of
  the foundry's training templates + the true or a counterfactual answer) against the same fact's prompt
  in another training template ({int(LEAD_IN * 100)}% behind corpus words, {int(DROP_WORD * 100)}% with a word
  dropped). Negatives in every batch: the same relation about another subject (also in the edit's own
  template), another relation of the same subject, starts of corpus sentences, and a subject among
  corpus words. Never trained on the calibration set (`public/calibration`) or
  `bench/data/unseen-phrasings.json`.
- Dev measurement (the foundry's held-out templates and corpus; {m['paraphrases']} paraphrases of 96 facts,
  {m['unrelated']} unrelated prompts; SERAC's score exp(-‖e − q‖²) and the app's 1% rule): at threshold
  {m['threshold']:.3f}, {100 * m['paraphrase_own']:.1f}% of paraphrases route to their own fact and
  {100 * m['unrelated_open']:.1f}% of unrelated prompts open an edit; the top-1 edit is the own one for
  {100 * m['top1_own']:.1f}%; median score of a paraphrase for its own edit {m['paraphrase_own_score_median']:.3f},
  of an unrelated prompt for the nearest edit it must not open {m['unrelated_max_score_median']:.3f}.
- On the app's calibration set (phrasings of its own) `src/editors/serac/embedding-scope.test.ts` and
  `calibrate-scope.test.ts` measure it: paraphrases outscore unrelated prompts, but its own words
  ("The government of X conducts its business in" for a language) defeat a model that knows only the
  foundry's templates, and a few such prompts outscore every paraphrase: at the 1% point almost no
  paraphrase routes (those tests' headers give the numbers).
"""


if __name__ == "__main__":
    main()

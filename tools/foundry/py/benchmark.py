"""Foundry step: write public/benchmarks/facts-edits.json (CounterFact/ZsRE-style edit records
over the facts the base model was taught) and background-prompts.json (MEMOIR's background mean).

Facts are split once: a quarter of each relation's facts are probe facts (never edited; they supply
every fact locality and neighborhood prompt), the rest get one edit record each. Locality and
neighborhood prompts are kept only where the base model answers them correctly.
Locality has the two kinds of DESIGN §6, tagged so the eval reports each: "fact" (another relation's
probe fact) and "text" (the start of a held-out corpus sentence, ZsRE's unrelated-question role).
"""
import math
import os
import random

from common import BENCHMARKS, MODELS, cache_path, read_json, setup, write_json  # first: sets thread env
import bpe
import corpus
from evaluate import completion_correct
from facts import build_facts, counterfactual, heldout_templates, objects_by_relation, prompt_of, train_templates
from hf_io import load_safetensors
from llama import Llama
from train_base import CONFIG, NAME

N_LOCALITY, N_TEXT_LOCALITY, N_NEIGHBORHOOD, N_BACKGROUND = 3, 3, 3, 120
TEXT_SEED = 9753  # the text locality prompts' own generator: every other field is unchanged by them
PROBE_SHARE = 0.25  # of each relation's facts: locality/neighborhood only, never edited
ORDER_SEED = 2468  # the records' order only; its own generator, so every record's content is unchanged


def base_correct(model, tok, facts):
    """(subject, relation, template index) -> True where the base model completes it correctly."""
    keys, pairs = [], []
    for f in facts:
        for i, t in enumerate(train_templates(f["relation"])):
            keys.append((f["subject"], f["relation"], i))
            pairs.append((tok.encode(prompt_of(t, f["subject"])), tok.encode(" " + f["object"], bos=False)))
    return dict(zip(keys, completion_correct(model, tok, pairs)))


def split_probe_facts(facts, rng):
    """(edited, probes): PROBE_SHARE of each relation's facts are never edited and supply every
    locality and neighborhood prompt, so no sequence of edits ever edits a fact that a locality
    prompt asks about (with one pool, 5 of the first 100 records' 300 locality prompts were other
    records' edit prompts, and at T=1000 two thirds of them would have been edited facts)."""
    by_relation = {}
    for f in facts:
        by_relation.setdefault(f["relation"], []).append(f)
    probe_ids = set()
    for fs in by_relation.values():
        probe_ids.update(id(f) for f in rng.sample(fs, math.ceil(PROBE_SHARE * len(fs))))
    return [f for f in facts if id(f) not in probe_ids], [f for f in facts if id(f) in probe_ids]


def records(facts, correct, rng):
    pools = objects_by_relation(facts)
    edited, probes = split_probe_facts(facts, rng)
    edited_ids = {id(f) for f in edited}

    def probe(g, gi):
        return {"prompt": prompt_of(train_templates(g["relation"])[gi], g["subject"]), "answer": " " + g["object"]}

    out = []
    for n, f in enumerate(facts):
        if id(f) not in edited_ids:
            continue
        ti = rng.randrange(len(train_templates(f["relation"])))
        template = train_templates(f["relation"])[ti]
        others = [g for g in probes if g["relation"] != f["relation"]]
        locality = []
        while len(locality) < N_LOCALITY:
            g = rng.choice(others)
            gi = rng.randrange(len(train_templates(g["relation"])))
            if correct[(g["subject"], g["relation"], gi)]:
                locality.append({**probe(g, gi), "kind": "fact"})
        neigh = [g for g in probes if g["relation"] == f["relation"] and correct[(g["subject"], g["relation"], ti)]]
        neighborhood = [probe(g, ti) for g in rng.sample(neigh, min(N_NEIGHBORHOOD, len(neigh)))]
        out.append({
            "id": f"fact-{n:04d}",
            "subject": f["subject"],
            "relation": f["relation"],
            "prompt": prompt_of(template, f["subject"]),
            "target_true": " " + f["object"],
            "target_new": " " + counterfactual(f, pools, rng),
            "base_correct": correct[(f["subject"], f["relation"], ti)],
            "rephrases": [prompt_of(t, f["subject"]) for t in heldout_templates(f["relation"])],
            "locality": locality,
            "neighborhood": neighborhood,
        })
    return out


def in_edit_order(recs):
    """The records in a seeded random order. Evals apply the first T records in file order, and facts
    come grouped by source (countries A-Z with capital/continent/language first, then currency/region,
    elements, US states): in fact order the first 100 records covered 3 of the 8 relations."""
    recs = list(recs)
    random.Random(ORDER_SEED).shuffle(recs)
    return recs


def heldout_sentences(raw):
    _, heldout = corpus.split(raw)
    return [s for src in corpus.SOURCES for s in heldout[src] if len(s.split()) >= 8]


def background(raw, rng):
    """Short prefixes (6-10 words) of held-out corpus sentences: general text, no facts."""
    return [" ".join(s.split()[: rng.randint(6, 10)]) for s in rng.sample(heldout_sentences(raw), N_BACKGROUND)]


def add_text_locality(recs, raw, background_prompts):
    """N_TEXT_LOCALITY "text" locality prompts per record: the first 5-8 words of a held-out corpus
    sentence, the answer its next two words (Loc compares post- with pre-edit predictions on them, so
    the answer need not be what the base model says). Sentences behind a background prompt are left out:
    MEMOIR's background statistics must not have seen the prompts that measure it."""
    rng = random.Random(TEXT_SEED)
    sents = [s for s in heldout_sentences(raw) if not any(s.startswith(b) for b in background_prompts)]
    for r in recs:
        for s in rng.sample(sents, N_TEXT_LOCALITY):
            words = s.split()
            n = rng.randint(5, min(8, len(words) - 2))  # two words always follow
            r["locality"].append({"prompt": " ".join(words[:n]), "answer": " " + " ".join(words[n : n + 2]),
                                  "kind": "text"})
    return recs


def main():
    setup(1357)
    rng = random.Random(1357)
    raw = read_json(cache_path("raw.json"))
    tok = bpe.load(cache_path("tokenizer.json"))
    facts = build_facts(raw)
    model = Llama(CONFIG)
    model.load_state_dict(load_safetensors(os.path.join(MODELS, NAME, "model.safetensors")), strict=True)
    model.eval()
    recs = in_edit_order(records(facts, base_correct(model, tok, facts), rng))
    background_prompts = background(raw, rng)
    write_json(os.path.join(BENCHMARKS, "facts-edits.json"), add_text_locality(recs, raw, background_prompts),
               indent=None)
    write_json(os.path.join(BENCHMARKS, "background-prompts.json"), background_prompts)
    print(f"benchmark: {len(recs)} records of {len(facts)} facts (the rest are probe facts), "
          f"{sum(r['base_correct'] for r in recs)} with the base correct")


if __name__ == "__main__":
    main()

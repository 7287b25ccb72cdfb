"""Foundry step: train the shared 4096-token byte-level BPE and write .cache/tokenizer.json.

Training text is the general corpus plus fact sentences from the *training* templates only, so
held-out templates stay out of every training text.
"""
from collections import Counter

import bpe
import corpus
from common import Clock, cache_path, read_json, setup, write_json
from facts import TEMPLATES, build_facts, prompt_of, sentence, train_templates

VOCAB_SIZE = 4096


def main():
    setup(0)
    clock = Clock()
    raw = read_json(cache_path("raw.json"))
    train, _ = corpus.split(raw)
    texts = [s for src in corpus.SOURCES for s in train[src]]
    facts = build_facts(raw)
    # Fact sentences are repeated so subject and object names get their own tokens.
    texts += [sentence(t, f) for f in facts for t in train_templates(f["relation"])] * 3
    counts = Counter(w for t in texts for w in bpe.pretokenize(t))
    counts = Counter({w: c for w, c in counts.items() if c >= 2})
    merges = bpe.train(dict(sorted(counts.items())), VOCAB_SIZE)
    tok = bpe.Tokenizer(merges)
    write_json(cache_path("tokenizer.json"), tok.to_hf_json(), indent=None)
    write_parity_cases(tok, facts, train)
    lens = [len(tok.encode(sentence(train_templates(f["relation"])[0], f))) for f in facts]
    print(f"tokenizer: {len(tok.vocab)} tokens from {len(counts)} words, "
          f"mean fact sentence {sum(lens) / len(lens):.1f} tokens, {clock.elapsed():.0f}s")


def write_parity_cases(tok, facts, train):
    """Texts + Python ids that verify.mjs re-encodes with transformers.js (must be identical)."""
    texts = [prompt_of(t, f["subject"]) + " " + f["object"] for f in facts[::5] for t in TEMPLATES[f["relation"]][::3]]
    texts += [s for src in corpus.SOURCES for s in train[src][:60]]
    texts += ["The capital of France is Rome<sep>The capital of France is", "  two  spaces\tand\ttabs\n", "x_y 3.14 don't"]
    write_json(cache_path("tokcheck.json"), [[t, tok.encode(t)] for t in texts], indent=None)


if __name__ == "__main__":
    main()

"""General English text for the language-model half of training (DESIGN §2).

Sentences come from the extract step's raw.json; every 50th sentence of each source is held out
for the perplexity measurement and for MEMOIR's background prompts, never trained on.
"""
import random

SOURCES = ["brown", "mobyDick", "sotu", "wordnet"]


def split(raw):
    """-> (train, heldout): dicts source -> list of sentences."""
    train, heldout = {}, {}
    for src in SOURCES:
        sents = raw["corpus"][src]
        heldout[src] = sents[::50]
        train[src] = [s for i, s in enumerate(sents) if i % 50]
    return train, heldout


def sampler(train, rng: random.Random):
    """Endless stream of training sentences, sources drawn uniformly."""
    while True:
        yield rng.choice(train[rng.choice(SOURCES)])

"""Byte-level BPE: a small trainer, an encoder, and the Hugging Face `tokenizer.json` writer.

Mirrors the HF ByteLevel pre-tokenizer (GPT-2 regex, no prefix space) so ids computed here equal
what transformers.js produces; the foundry's verify step checks that on sample texts.
"""
import heapq
import re
from collections import Counter

# Special tokens take the first ids; <sep> joins the two halves of SERAC inputs.
SPECIALS = ["<s>", "</s>", "<pad>", "<sep>"]
BOS, EOS, PAD, SEP = 0, 1, 2, 3

# Python spelling of /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/u
PRETOKENIZE = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+")
SPECIAL_SPLIT = re.compile("(" + "|".join(re.escape(s) for s in SPECIALS) + ")")


def bytes_to_unicode():
    """GPT-2's reversible map from the 256 bytes to printable unicode characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
    bs += list(range(ord("®"), ord("ÿ") + 1))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


BYTE_ENCODER = bytes_to_unicode()
BYTE_DECODER = {v: k for k, v in BYTE_ENCODER.items()}


def pretokenize(text):
    return ["".join(BYTE_ENCODER[b] for b in w.encode("utf-8")) for w in PRETOKENIZE.findall(text)]


def train(word_counts, vocab_size):
    """Learn merges from {pretoken: count} until the vocabulary has `vocab_size` entries.

    Incremental pair counts plus a lazy max-heap keep this to a few seconds for ~50k words.
    Ties break on the pair itself, so the result is deterministic.
    """
    words = [list(w) for w in word_counts]
    counts = list(word_counts.values())
    pair_counts, where = Counter(), {}
    for i, w in enumerate(words):
        for p in zip(w, w[1:]):
            pair_counts[p] += counts[i]
            where.setdefault(p, set()).add(i)
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)
    merges = []
    n_merges = vocab_size - len(SPECIALS) - 256
    while len(merges) < n_merges and heap:
        neg, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -neg or -neg < 2:
            continue
        merges.append(pair)
        merged = pair[0] + pair[1]
        touched = Counter()
        for i in where.pop(pair, ()):
            w, c = words[i], counts[i]
            for p in zip(w, w[1:]):
                pair_counts[p] -= c
                touched[p] += 1
            out, j = [], 0
            while j < len(w):
                if j + 1 < len(w) and (w[j], w[j + 1]) == pair:
                    out.append(merged)
                    j += 2
                else:
                    out.append(w[j])
                    j += 1
            words[i] = out
            for p in zip(out, out[1:]):
                pair_counts[p] += c
                where.setdefault(p, set()).add(i)
                touched[p] += 1
        for p in touched:
            if pair_counts[p] > 0 and p != pair:
                heapq.heappush(heap, (-pair_counts[p], p))
        pair_counts.pop(pair, None)
    return merges


class Tokenizer:
    """Encoder/decoder over a trained vocabulary and merge list."""

    def __init__(self, merges):
        self.merges = merges
        self.ranks = {p: i for i, p in enumerate(merges)}
        tokens = SPECIALS + [BYTE_ENCODER[b] for b in range(256)] + [a + b for a, b in merges]
        self.vocab = {t: i for i, t in enumerate(tokens)}
        self.id_to_token = tokens
        self.cache = {}

    def _bpe(self, word):
        if word in self.cache:
            return self.cache[word]
        parts = list(word)
        while len(parts) > 1:
            ranked = [(self.ranks.get(p, 1 << 30), k) for k, p in enumerate(zip(parts, parts[1:]))]
            rank, k = min(ranked)
            if rank == 1 << 30:
                break
            parts[k : k + 2] = [parts[k] + parts[k + 1]]
        ids = [self.vocab[p] for p in parts]
        self.cache[word] = ids
        return ids

    def encode(self, text, bos=True):
        """Ids of `text`; special tokens written literally (e.g. "<sep>") map to their ids."""
        ids = [BOS] if bos else []
        for piece in SPECIAL_SPLIT.split(text):
            if piece in SPECIALS:
                ids.append(SPECIALS.index(piece))
            elif piece:
                for w in pretokenize(piece):
                    ids += self._bpe(w)
        return ids

    def decode(self, ids):
        text = "".join(self.id_to_token[i] for i in ids if i >= len(SPECIALS))
        return bytearray(BYTE_DECODER[c] for c in text).decode("utf-8", errors="replace")

    def to_hf_json(self):
        """The `tokenizer.json` dict: ByteLevel pre-tokenizer/decoder, BPE, <s> prepended."""
        added = [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for i, t in enumerate(SPECIALS)
        ]
        bos = {"SpecialToken": {"id": "<s>", "type_id": 0}}
        sep = {"SpecialToken": {"id": "<sep>", "type_id": 0}}
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added,
            "normalizer": None,
            "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                              "use_regex": True},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [bos, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [bos, {"Sequence": {"id": "A", "type_id": 0}}, sep,
                         {"Sequence": {"id": "B", "type_id": 0}}],
                "special_tokens": {
                    "<s>": {"id": "<s>", "ids": [BOS], "tokens": ["<s>"]},
                    "<sep>": {"id": "<sep>", "ids": [SEP], "tokens": ["<sep>"]},
                },
            },
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                        "use_regex": True},
            "model": {
                "type": "BPE", "dropout": None, "unk_token": None,
                "continuing_subword_prefix": None, "end_of_word_suffix": None, "fuse_unk": False,
                "byte_fallback": False, "ignore_merges": False,
                "vocab": self.vocab,
                "merges": [f"{a} {b}" for a, b in self.merges],
            },
        }


def tokenizer_config(max_length):
    """`tokenizer_config.json`: BOS is added (via the post-processor), EOS is not."""
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "sep_token": "<sep>",
        "unk_token": None,
        "add_bos_token": True, "add_eos_token": False,
        "clean_up_tokenization_spaces": False,
        "model_max_length": max_length,
    }


def load(path):
    """Rebuild a Tokenizer from a written tokenizer.json."""
    import json

    with open(path, encoding="utf-8") as f:
        merges = [tuple(m.split(" ")) for m in json.load(f)["model"]["merges"]]
    return Tokenizer(merges)

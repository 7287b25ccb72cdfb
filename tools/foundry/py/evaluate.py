"""Measurements shared by the foundry's training steps: fact recall, perplexity, generation.

"Correct" means greedy decoding after the prompt yields exactly the target's tokens and then a
token that does not continue the word (so " Niger" is not credited for " Nigeria").
"""
import math

import torch
import torch.nn.functional as F

import bpe


def pad_batch(seqs, pad=bpe.PAD):
    """Right-pad lists of ids -> (ids, mask) tensors of shape (B, T)."""
    t = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), t), pad, dtype=torch.long)
    mask = torch.zeros((len(seqs), t), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1
    return ids, mask


def _ends_word(tok, token_id):
    if token_id < len(bpe.SPECIALS):
        return True
    text = tok.decode([token_id])
    return not (text[:1].isalnum())


@torch.no_grad()
def completion_correct(model, tok, pairs, batch_size=128):
    """pairs: [(prompt_ids, target_ids)] -> list of bools (greedy continuation == target)."""
    model.eval()
    out = []
    for i in range(0, len(pairs), batch_size):
        chunk = pairs[i : i + batch_size]
        ids, mask = pad_batch([p + t for p, t in chunk])
        pred = model.logits(ids, mask).argmax(-1)  # (B, T)
        for b, (p, t) in enumerate(chunk):
            n = len(p) + len(t)
            hit = pred[b, len(p) - 1 : n - 1].tolist() == t
            out.append(hit and _ends_word(tok, pred[b, n - 1].item()))
    return out


@torch.no_grad()
def perplexity(model, tok, sentences, batch_size=64, max_len=64):
    """Token perplexity of `<s> sentence </s>` over all predicted tokens."""
    model.eval()
    nll, count = 0.0, 0
    for i in range(0, len(sentences), batch_size):
        seqs = [tok.encode(s)[: max_len - 1] + [bpe.EOS] for s in sentences[i : i + batch_size]]
        ids, mask = pad_batch(seqs)
        logits = model.logits(ids, mask)[:, :-1]
        target = ids[:, 1:].masked_fill(mask[:, 1:] == 0, -100)
        nll += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1),
                               ignore_index=-100, reduction="sum").item()
        count += (target != -100).sum().item()
    return math.exp(nll / count)


@torch.no_grad()
def generate(model, tok, prompt, max_new=16):
    """Greedy continuation text of `prompt` (stops at </s>)."""
    model.eval()
    ids = tok.encode(prompt)
    new = []
    for _ in range(max_new):
        x = torch.tensor([ids + new])
        nxt = model.logits(x, torch.ones_like(x))[0, -1].argmax().item()
        if nxt == bpe.EOS:
            break
        new.append(nxt)
    return tok.decode(new)


def roc_auc(scores, labels):
    """Area under the ROC curve by the rank-sum formula (ties count half)."""
    pairs = sorted(zip(scores, labels))
    pos = sum(labels)
    neg = len(labels) - pos
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        avg_rank = (i + j + 1) / 2
        rank_sum += avg_rank * sum(l for _, l in pairs[i:j])
        i = j
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)

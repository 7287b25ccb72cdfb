"""The one training loop used for both decoders (base and counterfactual).

AdamW with warmup + cosine decay and gradient clipping; the caller supplies batches as lists of
(ids, loss_weights) sequences and this module pads, runs, and reports progress.
"""
import torch
import torch.nn.functional as F

from common import Clock, cosine_lr
from evaluate import pad_batch


def sequence_loss(model, seqs):
    """seqs: [(ids, weights)] where weights[j] scales the loss of predicting ids[j] (j >= 1)."""
    ids, mask = pad_batch([s for s, _ in seqs])
    w = torch.zeros(ids.shape)
    for i, (_, ws) in enumerate(seqs):
        w[i, : len(ws)] = torch.tensor(ws, dtype=torch.float32)
    logits = model.logits(ids, mask)[:, :-1]
    nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1), reduction="none")
    w = w[:, 1:].reshape(-1)
    return (nll * w).sum() / w.sum().clamp(min=1.0)


def train(model, next_batches, steps, lr, label, warmup=100, log_every=100):
    """next_batches(step) -> list of batches (each a list of (ids, weights)); losses are summed."""
    opt = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.95), weight_decay=0.01)
    clock = Clock()
    model.train()
    for step in range(steps):
        for group in opt.param_groups:
            group["lr"] = cosine_lr(step, steps, lr, min(warmup, steps // 5 + 1))
        loss = sum(sequence_loss(model, b) for b in next_batches(step))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % log_every == 0 or step == steps - 1:
            print(f"{label}: step {step}/{steps} loss {loss.item():.3f} {clock.elapsed():.0f}s", flush=True)
    model.eval()
    return clock.elapsed()

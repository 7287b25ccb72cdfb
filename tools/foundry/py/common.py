"""Shared helpers for the foundry's Python steps: paths, seeding, thread limits, JSON I/O.

Not a training library: model code lives in llama.py / bert.py, data in facts.py / corpus.py.
"""
import json
import os
import random
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
# Passive OpenMP waits: on a shared 2-core machine spinning threads made steps ~2.5x slower.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import numpy as np  # noqa: E402
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FOUNDRY = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(FOUNDRY))
CACHE = os.path.join(FOUNDRY, ".cache")
MODELS = os.path.join(ROOT, "public", "models")
BENCHMARKS = os.path.join(ROOT, "public", "benchmarks")
FIXTURES = os.path.join(ROOT, "tests", "fixtures")

# FOUNDRY_QUICK=1 shrinks every training budget to about a minute (pipeline smoke test).
QUICK = os.environ.get("FOUNDRY_QUICK") == "1"


def setup(seed):
    """Fix every RNG and the thread count so a rerun reproduces the same weights."""
    torch.set_num_threads(2)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_json(path, obj, indent=2):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=indent, ensure_ascii=False)
        f.write("\n")


def cache_path(name):
    return os.path.join(CACHE, name)


class Clock:
    """Wall-clock timer for progress lines: `clock.elapsed()` in seconds."""

    def __init__(self):
        self.start = time.time()

    def elapsed(self):
        return time.time() - self.start


def cosine_lr(step, total, peak, warmup):
    """Linear warmup then cosine decay to 10% of the peak."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + np.cos(np.pi * progress)))

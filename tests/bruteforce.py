"""Brute-force oracle for tiny architectures: enumerate every integer network within bounds."""

from __future__ import annotations

import itertools

import numpy as np

from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import input_bits


def computable_tables(arch: Architecture, bounds: Bounds) -> set[tuple[int, ...]]:
    """Every function (as a tuple of per-output truth-table ints) some network computes."""
    n = arch.n_inputs
    rows = np.arange(2**n, dtype=np.uint64)
    bits = input_bits(rows, n).T.astype(np.int64)
    choices = []
    for fanin in arch.fanins:
        lo, hi = bounds.stated_weight_range(len(fanin))
        blo, bhi = bounds.stated_bias_range(len(fanin))
        ws = itertools.product(range(lo, hi + 1), repeat=len(fanin))
        choices.append([(w, b) for w in ws for b in range(blo, bhi + 1)])
    weights = 1 << np.arange(2**n, dtype=object)
    found = set()
    for assignment in itertools.product(*choices):
        signals = list(bits)
        for (w, b), fanin in zip(assignment, arch.fanins, strict=True):
            total = sum(wi * signals[s] for wi, s in zip(w, fanin, strict=True)) + b
            signals.append((total >= 0).astype(np.int64))
        outs = [signals[n + u] for u in arch.outputs]
        found.add(tuple(int(np.dot(o.astype(object), weights)) for o in outs))
    return found

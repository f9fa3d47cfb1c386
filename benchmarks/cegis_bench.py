"""Full encoding vs CEGIS on wide and partial functions: where does CEGIS win?

Instances are seeded "data sets": k distinct rows of n inputs (10 to 16), labelled by

- ``threshold``: a random threshold function (weights in [-2, 2]): realizable on n-1;
- ``two-units``: h1 and not h2 for two random threshold units: realizable on n-2-1;
- ``random``: random labels: unrealizable on n-1 (a certificate of a few rows exists);
- ``parity3``: x0 ^ x1 ^ x2 on n-2-1 (unrealizable);
- ``complete``: the full table (k = 2^n) of a random threshold function on n-1.

Every instance is decided twice by `realize.check` (witnesses verified): ``cegis=False`` (all care
rows encoded) and ``cegis=True``, with ``--max-weight 2``, or with ``--exact`` in exact mode
(single units only: weights up to W*(n) = 76 and more for n >= 8, which the sat backend hands
to its SMT encoding). Times are wall-clock seconds including encoding, solving and
verification; "-" is the time limit.

    python benchmarks/cegis_bench.py                 # the table in benchmarks/README.md
    python benchmarks/cegis_bench.py --quick         # a smaller grid
    python benchmarks/cegis_bench.py --exact         # single units in exact mode
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from realize import Architecture, BooleanFunction, check
from realize.spec.functions import input_bits


def threshold_labels(rng: np.random.Generator, bits: np.ndarray) -> np.ndarray:
    """A random threshold function (weights in [-2, 2], bias at the median: balanced)."""
    w = rng.integers(-2, 3, bits.shape[1])
    s = bits.astype(np.int64) @ w
    return (s - int(np.median(s)) >= 0).astype(np.int8)


def labels_of(kind: str) -> Callable[[np.random.Generator, np.ndarray], np.ndarray]:
    if kind == "threshold":
        return threshold_labels
    if kind == "two-units":
        return lambda rng, bits: threshold_labels(rng, bits) & (1 - threshold_labels(rng, bits))
    if kind == "random":
        return lambda rng, bits: rng.integers(0, 2, bits.shape[0]).astype(np.int8)
    if kind == "parity3":
        return lambda rng, bits: (bits[:, 0] ^ bits[:, 1] ^ bits[:, 2]).astype(np.int8)
    raise ValueError(kind)


def dataset(n: int, k: int, kind: str, seed: int) -> BooleanFunction:
    """k distinct random rows of n inputs (all 2^n when k >= 2^n), labelled by ``kind``."""
    rng = np.random.default_rng(seed)
    rows = np.arange(2**n, dtype=np.uint64) if k >= 2**n else np.sort(
        rng.choice(2**n, size=k, replace=False)).astype(np.uint64)
    values = labels_of(kind)(rng, input_bits(rows, n))[None, :]
    return BooleanFunction(n, rows, values, f"{kind}-n{n}-k{k}")


GRID = [  # (kind, hidden layers, n values, k values); k > 2^n is skipped
    ("threshold", [], (10, 13, 16), (64, 256, 512, 1024, 4096)),
    ("complete", [], (10, 12), (2**16,)),
    ("random", [], (10, 16), (256, 1024, 4096)),
    ("two-units", [2], (10, 13), (64, 256, 1024)),
    ("parity3", [2], (10,), (64, 256, 1024)),
]
QUICK = [
    ("threshold", [], (10, 13), (64, 256, 1024)),
    ("two-units", [2], (10,), (64, 256)),
    ("random", [], (10,), (256,)),
]


def speed_up(full: tuple[str, float], cegis: tuple[str, float], timeout: float) -> str:
    """full time / CEGIS time; a bound when one side ran out of time."""
    (full_status, full_s), (cegis_status, cegis_s) = full, cegis
    if full_status == "unknown" and cegis_status == "unknown":
        return "-"
    if full_status == "unknown":
        return f">{timeout / cegis_s:.1f}x"
    if cegis_status == "unknown":
        return f"<{full_s / timeout:.1f}x"
    return f"{full_s / cegis_s:.1f}x"


EXACT = [  # single units in exact mode: the sat backend answers fan-in >= 8 with SMT
    ("threshold", [], (10, 13, 16), (256, 512, 1024, 4096)),
    ("random", [], (10, 16), (256, 1024, 4096)),
]


def timed(f: BooleanFunction, arch: Architecture, cegis: bool, timeout: float,
          max_weight: int | None) -> tuple[str, float, dict]:
    start = time.perf_counter()
    r = check(f, arch, max_weight=max_weight, timeout=timeout, cegis=cegis)
    return r.status.value, time.perf_counter() - start, r.stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--timeout", type=float, default=60.0, help="per run (default 60 s)")
    ap.add_argument("--quick", action="store_true", help="a smaller grid")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--exact", action="store_true",
                    help="exact mode instead of --max-weight 2 (single units only)")
    args = ap.parse_args()
    max_weight = None if args.exact else 2
    grid = EXACT if args.exact else QUICK if args.quick else GRID
    print("| instance | arch | care rows | answer | full s | CEGIS s | CEGIS rows | speed-up |")
    print("|---|---|---|---|---|---|---|---|")
    for kind, hidden, ns, ks in grid:
        for n in ns:
            for k in ks:
                if k > 2**n and kind != "complete":
                    continue
                label = "threshold" if kind == "complete" else kind
                f = dataset(n, min(k, 2**n), label, args.seed)
                arch = Architecture.layered([n, *hidden, 1])
                full_status, full_s, _ = timed(f, arch, False, args.timeout, max_weight)
                cegis_status, cegis_s, stats = timed(f, arch, True, args.timeout, max_weight)
                full, cegis = (full_status, full_s), (cegis_status, cegis_s)
                status = {full[0], cegis[0]} - {"unknown"}
                if len(status) > 1:
                    raise SystemExit(f"answers differ on {f.name}: {full[0]} vs {cegis[0]}")
                answer = status.pop() if status else "unknown"
                cells = ["-" if st == "unknown" else f"{s:.2f}" for st, s in (full, cegis)]
                print(f"| {f.name} | {arch.describe()} | {f.num_rows} | {answer} | "
                      f"{cells[0]} | {cells[1]} | {stats.get('cegis_rows', '-')} | "
                      f"{speed_up(full, cegis, args.timeout)} |", flush=True)


if __name__ == "__main__":
    main()

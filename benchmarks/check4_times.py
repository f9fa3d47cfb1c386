"""Time per `realize.check` call on 4-input examples, on each backend (exact mode).

Run: ``python benchmarks/check4_times.py`` (about 10 s). Thirty random 4-input functions
(seed 1) on 4-1, 4-2-1 and 4-3-1, plus XOR4 (6996) and x0x1 v x2x3 (f888).
"""

import random
import statistics
import time

from realize import check

BACKENDS = ["sat", "smt", "smt-real"]


def timed(function: str, arch: str, backend: str) -> tuple[str, float]:
    start = time.perf_counter()
    status = check(function, arch, backend=backend).status.value
    return status, time.perf_counter() - start


def main() -> None:
    rng = random.Random(1)
    functions = [format(rng.randrange(2**16), "04x") for _ in range(30)]
    print("| backend | instances | median s | max s | answers |")
    print("| --- | --- | --- | --- | --- |")
    for backend in BACKENDS:
        for arch in ["4-1", "4-2-1", "4-3-1"]:
            runs = [timed(f, arch, backend) for f in functions]
            times = [t for _, t in runs]
            answers = {s: sum(1 for r, _ in runs if r == s) for s in sorted({r for r, _ in runs})}
            print(f"| {backend} | 30 random on {arch} | {statistics.median(times):.4f} | "
                  f"{max(times):.4f} | {answers} |")
        for function, arch in [("6996", "4-3-1"), ("6996", "4-4-1"), ("f888", "4-1"), ("f888", "4-2-1")]:
            status, t = timed(function, arch, backend)
            print(f"| {backend} | {function} on {arch} | {t:.4f} | {t:.4f} | {status} |")


if __name__ == "__main__":
    main()

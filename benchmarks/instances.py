"""The benchmark families: (family, name, function, architecture) instances, seeded.

- ``npn4-4-h-1``: one representative of each of the 222 NPN classes of 4-input functions, on
  4-1-1, 4-2-1 and 4-3-1.
- ``parity``: parity of n on n-(n-1)-1 (unrealizable) and n-n-1 (realizable), n = 4, 5, 6.
- ``random``: 5- and 6-input functions on 5-2-1 .. 6-4-1: per architecture one function that a
  random network of that architecture computes (realizable) and one uniformly random table.
- ``partial``: 10 to 16 inputs, 40 random care rows labelled by a random 2-2-unit network on a
  few of the inputs (realizable on n-2-1) or uniformly at random, on n-2-1.

Not in a bare run (`DEFAULT_FAMILIES`), for the deeper and wider backends and the peers:

- ``deep``: the random recipe on 5-3-3-1 and 6-3-3-1, and parity 6 on 6-5-2-1.
- ``random7``: the random recipe on 7-4-1, 7-5-1 and 7-6-1; ``random8``: on 8-3-1 and 8-4-1.
- ``parity7``: parity 7 on 7-6-1 and 7-7-1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from realize.readers.families import family_function
from realize.spec.architecture import Architecture
from realize.spec.functions import BooleanFunction, all_rows
from realize.spec.network import network_from_units
from realize.spec.npn import npn_classes


@dataclass(frozen=True)
class Instance:
    family: str
    name: str
    f: BooleanFunction
    arch: Architecture


def npn4(widths: tuple[int, ...] = (1, 2, 3)) -> list[Instance]:
    out = []
    for h in widths:
        arch = Architecture.parse(f"4-{h}-1")
        for table, _size in npn_classes(4):
            f = BooleanFunction.from_truth_tables(4, [table], name=f"{table:04x}")
            out.append(Instance(f"npn4-4-{h}-1", f"{table:04x}", f, arch))
    return out


def parity(ns: tuple[int, ...] = (4, 5, 6), family: str = "parity") -> list[Instance]:
    out = []
    for n in ns:
        for h in (n - 1, n):
            out.append(_parity_instance(family, f"{n}-{h}-1"))
    return out


def _parity_instance(family: str, arch: str) -> Instance:
    n = int(arch.split("-")[0])
    return Instance(family, f"parity{n} {arch}", family_function("parity", n), Architecture.parse(arch))


def _random_network_function(arch: Architecture, rows: np.ndarray, rng: np.random.Generator,
                             ) -> np.ndarray:
    """Outputs of a random network (weights in [-2, 2], centred biases) on ``rows``."""
    while True:
        weights = [[int(v) for v in rng.integers(-2, 3, len(fi))] for fi in arch.fanins]
        biases = [-(sum(max(w, 0) for w in ws) + sum(min(w, 0) for w in ws)) // 2 for ws in weights]
        values = network_from_units(arch, weights, biases).evaluate(rows)[0]
        if 0 < values.sum() < len(values):  # not constant
            return values


def _random_recipe(family: str, archs: list[str], seed: int) -> list[Instance]:
    """Per architecture (in order, one generator): a function a random network of it computes
    (realizable) and a uniformly random table."""
    rng = np.random.default_rng(seed)
    out = []
    for text in archs:
        arch = Architecture.parse(text)
        n = arch.n_inputs
        rows = all_rows(n)
        planted = _random_network_function(arch, rows, rng)
        out.append(Instance(family, f"planted{n} {text}", BooleanFunction(n, rows, planted[None, :]), arch))
        table = rng.integers(0, 2, 2**n)
        out.append(Instance(family, f"uniform{n} {text}", BooleanFunction(n, rows, table[None, :]), arch))
    return out


def random_functions(seed: int = 1) -> list[Instance]:
    return _random_recipe("random", [f"{n}-{h}-1" for n in (5, 6) for h in (2, 3, 4)], seed)


def deep(seed: int = 3) -> list[Instance]:
    return _random_recipe("deep", ["5-3-3-1", "6-3-3-1"], seed) + [_parity_instance("deep", "6-5-2-1")]


def random7(seed: int = 4) -> list[Instance]:
    return _random_recipe("random7", ["7-4-1", "7-5-1", "7-6-1"], seed)


def random8(seed: int = 5) -> list[Instance]:
    return _random_recipe("random8", ["8-3-1", "8-4-1"], seed)


def parity7() -> list[Instance]:
    return parity((7,), family="parity7")


def partial_functions(seed: int = 2, num_rows: int = 40) -> list[Instance]:
    rng = np.random.default_rng(seed)
    out = []
    for n in (10, 12, 14, 16):
        arch = Architecture.parse(f"{n}-2-1")
        rows = np.unique(rng.integers(0, 2**n, num_rows, dtype=np.uint64))
        small = Architecture.parse("4-2-1")
        picked = rng.choice(n, 4, replace=False)
        sub = sum(((rows >> np.uint64(int(i))) & np.uint64(1)) << np.uint64(k)
                  for k, i in enumerate(picked))
        planted = _random_network_function(small, sub, rng)
        out.append(Instance("partial", f"planted{n} {n}-2-1",
                            BooleanFunction(n, rows, planted[None, :]), arch))
        labels = rng.integers(0, 2, len(rows))
        out.append(Instance("partial", f"uniform{n} {n}-2-1",
                            BooleanFunction(n, rows, labels[None, :]), arch))
    return out


FAMILIES = {
    "npn4": npn4,
    "parity": parity,
    "random": random_functions,
    "partial": partial_functions,
    "deep": deep,
    "random7": random7,
    "random8": random8,
    "parity7": parity7,
}

#: what a bare ``python -m benchmarks.run`` runs: the families of the documented first table
DEFAULT_FAMILIES = ("npn4", "parity", "random", "partial")


def instances(families: list[str] | None = None) -> list[Instance]:
    """Every instance of the named families (`DEFAULT_FAMILIES` by default), in a fixed order."""
    out = []
    for name in families or DEFAULT_FAMILIES:
        out.extend(FAMILIES[name]())
    return out

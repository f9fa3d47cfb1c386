"""The baseline: the plain z3 model a user would write first.

Integer weights and biases within the same bounds as realize (exact mode: ``|w| <= W*(fan-in)``,
lossless bias), the pre-activation of every unit on every row as a sum of ``If`` terms, one
constraint per care row, and no symmetry breaking, no shared structure, no Boolean unit
variables: a hidden unit's value on a row is the formula ``sum >= 0`` itself.

>>> from realize import Architecture, BooleanFunction
>>> solve_baseline(BooleanFunction.from_hex("6", 2), Architecture.parse("2-2-1"), timeout=10)[0]
'realizable'
"""

from __future__ import annotations

import z3

from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import DONT_CARE, BooleanFunction
from realize.spec.network import Network, network_from_units


def solve_baseline(
    f: BooleanFunction, arch: Architecture, bounds: Bounds | None = None, timeout: float = 60.0
) -> tuple[str, Network | None]:
    """``('realizable', network)``, ``('unrealizable', None)`` or ``('unknown', None)``."""
    bounds = bounds or Bounds()
    ctx = z3.Context()
    s = z3.Solver(ctx=ctx)
    s.set("timeout", max(1, int(timeout * 1000)))
    n = arch.n_inputs
    w = [[z3.Int(f"w_{u}_{i}", ctx) for i in range(len(fi))] for u, fi in enumerate(arch.fanins)]
    b = [z3.Int(f"b_{u}", ctx) for u in range(arch.num_units)]
    for u, fi in enumerate(arch.fanins):
        lo, hi = bounds.weight_range(len(fi))
        blo, bhi = bounds.bias_range(len(fi))
        s.add(*[z3.And(lo <= x, x <= hi) for x in w[u]], blo <= b[u], b[u] <= bhi)
    bits = f.bits()
    for k in range(f.num_rows):
        signal: list[z3.BoolRef] = [z3.BoolVal(bool(bits[k, i]), ctx) for i in range(n)]
        for u, fi in enumerate(arch.fanins):
            pre = z3.Sum(b[u], *[z3.If(signal[src], w[u][i], 0) for i, src in enumerate(fi)])
            signal.append(pre >= 0)
        for j, u in enumerate(arch.outputs):
            if f.values[j, k] != DONT_CARE:
                s.add(signal[n + u] == bool(f.values[j, k]))
    answer = s.check()
    if answer == z3.sat:
        m = s.model()
        value = lambda x: m.eval(x, model_completion=True).as_long()  # noqa: E731
        net = network_from_units(arch, [[value(x) for x in ws] for ws in w], [value(x) for x in b])
        return "realizable", net
    return ("unrealizable" if answer == z3.unsat else "unknown"), None

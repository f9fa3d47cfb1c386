"""2-asummability: the necessary condition for a threshold column that the CNFs use instead of
weights where a unit's column is searched directly (the output-case split, `realize.backends.cases`;
the relaxed first layer, `realize.backends.layers`). See encodings/cnf.md, step `2-asummability`.

A threshold function h = [w . x + b >= 0] has no rows x1, x2 with h = 1 and x3, x4 with h = 0
where x1 + x2 = x3 + x4: adding the inequalities of each pair gives w . s + 2b >= 0 and < 0.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import cache

import numpy as np


@cache
def asummable_quadruples(n: int) -> np.ndarray:
    """Rows (x1, x2, x3, x4) with x1 + x2 = x3 + x4 and {x1, x2} != {x3, x4}, shape (q, 4).

    Each unordered pair appears once on each side; a 2-asummable column never has y = 1 on
    x1, x2 and y = 0 on x3, x4.

    >>> len(asummable_quadruples(2)), asummable_quadruples(2).tolist()
    (2, [[1, 2, 3, 0], [3, 0, 1, 2]])
    """
    out = []
    for d in range(2, n + 1):
        for diff in itertools.combinations(range(n), d):
            mask = sum(1 << i for i in diff)
            rest = [i for i in range(n) if i not in diff]
            halves = [sum(1 << i for i in part) for r in range(d) for part in
                      itertools.combinations(diff[1:], r)]
            halves = [h | (1 << diff[0]) for h in halves]  # the half that holds diff[0]
            for zbits in range(2 ** len(rest)):
                z = sum(1 << i for j, i in enumerate(rest) if zbits >> j & 1)
                for a, b in itertools.permutations(halves, 2):
                    out.append((z | a, z | (mask ^ a), z | b, z | (mask ^ b)))
    return np.array(out, dtype=np.int64).reshape(-1, 4)


def asummability_clauses(column: Sequence[int], n: int) -> list[list[int]]:
    """The clauses "column is 2-asummable" for the literals ``column[x]`` of the 2^n rows x.

    >>> asummability_clauses([1, 2, 3, 4], 2)
    [[-2, -3, 4, 1], [-4, -1, 2, 3]]
    """
    c = np.asarray(column, dtype=np.int64)
    quads = asummable_quadruples(n)
    return np.stack([-c[quads[:, 0]], -c[quads[:, 1]], c[quads[:, 2]], c[quads[:, 3]]],
                    axis=1).tolist()

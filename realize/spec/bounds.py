"""Weight and bias bounds of threshold units.

Every result records the bounds it was obtained under. Three kinds:

- ``exact`` (the default): a unit of fan-in m gets ``|w_i| <= W*(m)`` and a lossless bias range.
  Every threshold function of m inputs has an integer realization within ``W*(m)``, so answers
  in exact mode are the answers for real-valued weights.
- ``max-weight``: every weight in ``[-W, W]``; the bias range stays lossless unless ``max_bias``.
- ``real``: unbounded real weights (SMT backend ``smt-real`` only).

``nonneg`` restricts every weight (not the bias) to be ``>= 0``.

The ranges the encodings search (`weight_range`, `bias_range`) can be narrower than the ranges
stated (`stated_weight_range`, `stated_bias_range`, which witnesses are checked against) and
still lose nothing. With a lossless bias, a weight bound W above ``W*(m)`` is cut to ``W*(m)``:
every threshold function of m inputs has a realization within ``W*(m)`` (with non-negative
weights when it is positive and the bound says ``nonneg``: zeroing the negative weights of any
realization of a positive function keeps it), and no weight bound lets a unit compute a
function that is not threshold. A stated bias bound beyond the lossless range is cut to that
range: every bias beyond it gives the same constant function as the range's end. So
``--max-weight 1000000`` asks the same question as exact mode, at the same cost.

>>> Bounds().weight_range(4)
(-3, 3)
>>> Bounds().bias_range(4)
(-13, 12)
>>> Bounds(max_weight=1, nonneg=True).weight_range(3), Bounds(max_weight=1, nonneg=True).bias_range(3)
((0, 1), (-4, 0))
>>> Bounds(max_weight=10**12).weight_range(4), Bounds(max_weight=10**12).stated_weight_range(4)
((-3, 3), (-1000000000000, 1000000000000))
>>> Bounds(max_bias=10**30).bias_range(2)
(-3, 2)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from realize.errors import InputError

if TYPE_CHECKING:
    from realize.spec.architecture import Architecture

#: W*(m) for m = 1..7: the largest weight the best integer realization of an m-input threshold
#: function needs (Muroga 1971; recomputed by exhaustive enumeration for m <= 7). Index 0 is fan-in 0.
EXACT_MAX_WEIGHT = (0, 1, 1, 2, 3, 5, 9, 18)


def exact_max_weight(fan_in: int) -> int:
    """W*(m): enough weight for every threshold function of ``fan_in`` inputs.

    Known exactly for m <= 7; beyond that Hastad's sufficient bound
    ``floor((m+1)^((m+1)/2) / 2^m)``.

    >>> [exact_max_weight(m) for m in range(1, 10)]
    [1, 1, 2, 3, 5, 9, 18, 76, 195]
    """
    if fan_in < 0:
        raise ValueError("fan-in must be >= 0")
    if fan_in < len(EXACT_MAX_WEIGHT):
        return EXACT_MAX_WEIGHT[fan_in]
    # integer arithmetic: floor(sqrt((m+1)^(m+1)) / 2^m)
    return math.isqrt((fan_in + 1) ** (fan_in + 1)) // 2**fan_in


@dataclass(frozen=True)
class Bounds:
    """Bounds on weights and biases of every unit.

    ``max_weight=None`` means exact mode; ``real=True`` means unbounded real weights.
    """

    max_weight: int | None = None
    max_bias: int | None = None
    nonneg: bool = False
    real: bool = False

    def __post_init__(self) -> None:
        if self.max_weight is not None and self.max_weight < 0:
            raise InputError(f"--max-weight must be >= 0, got {self.max_weight}")
        if self.max_bias is not None and self.max_bias < 0:
            raise InputError(f"--max-bias must be >= 0, got {self.max_bias}")
        if self.real and (self.max_weight is not None or self.max_bias is not None):
            raise InputError("real weights are unbounded: drop --max-weight/--max-bias")

    @property
    def mode(self) -> str:
        """``exact``, ``max-weight`` or ``real``."""
        if self.real:
            return "real"
        return "exact" if self.max_weight is None else "max-weight"

    @property
    def symmetric(self) -> bool:
        """True when negating a unit keeps it within bounds (weights in [-W, W], lossless bias)."""
        return not self.nonneg and self.max_bias is None

    def stated_weight_range(self, fan_in: int) -> tuple[int, int]:
        """The range these bounds allow each weight of a unit with ``fan_in`` inputs."""
        w = exact_max_weight(fan_in) if self.max_weight is None else self.max_weight
        return (0 if self.nonneg else -w, w)

    def stated_bias_range(self, fan_in: int) -> tuple[int, int]:
        """The range these bounds allow the bias: ``max_bias``, else the lossless range."""
        if self.max_bias is not None:
            return (-self.max_bias, self.max_bias)
        return self._lossless_bias(fan_in, self.stated_weight_range(fan_in))

    def weight_range(self, fan_in: int) -> tuple[int, int]:
        """The range the encodings search for each weight: the stated one, cut to ``W*(fan_in)``
        when the bias is lossless (the module docstring says why nothing is lost)."""
        lo, hi = self.stated_weight_range(fan_in)
        if self.max_bias is None and self.max_weight is not None:
            w = min(hi, exact_max_weight(fan_in))
            return (max(lo, -w), w)
        return lo, hi

    def widest_weight(self, arch: Architecture) -> int:
        """The largest weight magnitude any unit of ``arch`` may take.

        >>> from realize.spec.architecture import Architecture
        >>> [Bounds().widest_weight(Architecture.parse(a)) for a in ("3-2-1", "7-1")]
        [2, 18]
        >>> Bounds().widest_weight(Architecture.parse("3-1-1", skip=True))   # the output reads 4
        3
        >>> Bounds(max_weight=4, nonneg=True, max_bias=9).widest_weight(Architecture.parse("3-2-1"))
        4
        """
        ranges = [self.weight_range(len(fanin)) for fanin in arch.fanins]
        return max((max(-lo, hi) for lo, hi in ranges), default=0)

    def bias_range(self, fan_in: int) -> tuple[int, int]:
        """The range the encodings search for the bias: lossless, cut to ``max_bias`` if set."""
        lo, hi = self._lossless_bias(fan_in, self.weight_range(fan_in))
        if self.max_bias is not None:
            return (max(lo, -self.max_bias), min(hi, self.max_bias))
        return lo, hi

    @staticmethod
    def _lossless_bias(fan_in: int, weights: tuple[int, int]) -> tuple[int, int]:
        """With weights in [lo, hi] the weighted sum lies in [fan_in*min(lo,0), fan_in*max(hi,0)];
        a bias below ``-max_sum - 1`` or above ``-min_sum`` changes nothing."""
        lo, hi = weights
        return (-fan_in * max(hi, 0) - 1, -fan_in * min(lo, 0))

    def to_dict(self) -> dict:
        """A JSON-ready record of these bounds."""
        return {
            "mode": self.mode,
            "max_weight": self.max_weight,
            "max_bias": self.max_bias,
            "nonneg": self.nonneg,
        }

    def describe(self) -> str:
        """One human-readable phrase, e.g. ``exact (|w| <= W*(fan-in))``."""
        if self.real:
            text = "real weights (unbounded)"
        elif self.max_weight is None:
            text = "exact (|w| <= W*(fan-in), lossless bias)"
        else:
            text = f"|w| <= {self.max_weight}"
            text += f", |b| <= {self.max_bias}" if self.max_bias is not None else ", lossless bias"
        return text + (", w >= 0" if self.nonneg else "")

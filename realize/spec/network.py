"""Concrete threshold networks (witnesses): evaluation with numpy, JSON in and out.

Unit u outputs 1 iff ``sum_i weights[u][i] * z_i + biases[u] >= 0`` where z are the signals of
``arch.fanins[u]``. Layered networks use the layered JSON format::

    {"inputs": n, "skip": false,
     "layers": [{"weights": [[...], ...], "bias": [...]}, ...]}

Row j of a layer's ``weights`` holds unit j's weights over that layer's inputs: the previous layer's
outputs (the network inputs for the first layer), or with ``"skip": true`` the concatenation
``[x0..x(n-1), layer 1 outputs, ..., previous layer outputs]``. Other DAGs use::

    {"inputs": n, "units": {"h": {"inputs": ["x0", "x1"], "weights": [1, 1], "bias": -2}, ...},
     "outputs": ["y"]}

>>> net = Network.from_dict({"inputs": 2, "skip": False,
...     "layers": [{"weights": [[1, 1], [-1, -1]], "bias": [-2, 0]},
...                {"weights": [[-1, -1]], "bias": [0]}]})
>>> net.evaluate(np.arange(4, dtype=np.uint64)).tolist()      # XOR2
[[0, 1, 1, 0]]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from realize.errors import InputError
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction, all_rows, input_bits
from realize.spec.safe_input import read_json

#: the largest int64; a unit whose |sum| may exceed it is evaluated with Python ints
INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class Network:
    """An architecture with integer weights and biases for every unit."""

    arch: Architecture
    weights: tuple[tuple[int, ...], ...]
    biases: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.weights) != self.arch.num_units or len(self.biases) != self.arch.num_units:
            raise ValueError("one weight vector and one bias per unit")
        for u, (w, fanin) in enumerate(zip(self.weights, self.arch.fanins, strict=True)):
            if len(w) != len(fanin):
                raise InputError(
                    f"unit {self.arch.unit_names[u]} has {len(w)} weights for {len(fanin)} inputs"
                )

    # -- evaluation ---------------------------------------------------------------------------
    @cached_property
    def exact_units(self) -> tuple[bool, ...]:
        """For each unit, True when its sums may leave int64 and it is evaluated with Python ints.

        Inputs are 0/1, so every partial sum of unit u lies within ``sum |w| + |b|`` (computed
        with Python ints); when that bound fits int64 the fast numpy path is exact, else the unit
        is evaluated on object arrays of Python ints. No result ever depends on wrapping.
        """
        return tuple(
            sum(abs(int(x)) for x in w) + abs(int(b)) > INT64_MAX
            for w, b in zip(self.weights, self.biases, strict=True)
        )

    def unit_values(self, rows: np.ndarray) -> np.ndarray:
        """Outputs of every unit on the given rows, shape (units, len(rows)), int8 (exact)."""
        n = self.arch.n_inputs
        signals = np.zeros((n + self.arch.num_units, len(rows)), dtype=np.int64)
        signals[:n] = input_bits(np.asarray(rows, dtype=np.uint64), n).T
        for u, fanin in enumerate(self.arch.fanins):
            z = signals[list(fanin)]
            if self.exact_units[u]:  # Python ints: exact for any size
                w = np.array([int(x) for x in self.weights[u]], dtype=object)
                total = w @ z.astype(object) + int(self.biases[u])
            else:  # |every partial sum| <= sum |w| + |b| <= INT64_MAX: no wrapping
                total = np.array(self.weights[u], dtype=np.int64) @ z + np.int64(self.biases[u])
            signals[n + u] = total >= 0
        return signals[n:].astype(np.int8)

    def evaluate(self, rows: np.ndarray) -> np.ndarray:
        """Network outputs on the given rows, shape (m, len(rows)), int8 0/1."""
        return self.unit_values(rows)[list(self.arch.outputs)]

    def function(self) -> BooleanFunction:
        """The complete function the network computes (n <= MAX_TABLE_INPUTS)."""
        rows = all_rows(self.arch.n_inputs)
        return BooleanFunction(self.arch.n_inputs, rows, self.evaluate(rows), "network")

    def disagreements(self, f: BooleanFunction) -> np.ndarray:
        """Boolean mask over f's stored rows: True where some specified output differs."""
        got = self.evaluate(f.rows)
        return np.any(f.care() & (got != f.values), axis=0)

    def within(self, bounds: Bounds) -> bool:
        """True when every weight and bias lies within ``bounds``."""
        if bounds.real:
            return not bounds.nonneg or all(x >= 0 for w in self.weights for x in w)
        for w, b, fanin in zip(self.weights, self.biases, self.arch.fanins, strict=True):
            lo, hi = bounds.stated_weight_range(len(fanin))
            blo, bhi = bounds.stated_bias_range(len(fanin))
            if any(not lo <= x <= hi for x in w) or not blo <= b <= bhi:
                return False
        return True

    # -- formats ------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """Layered JSON for layered architectures, DAG JSON otherwise."""
        arch = self.arch
        if arch.layers is not None:
            layers = []
            for units in arch.unit_layer_index():
                layers.append(
                    {
                        "weights": [list(self.weights[u]) for u in units],
                        "bias": [self.biases[u] for u in units],
                    }
                )
            return {"inputs": arch.n_inputs, "skip": arch.skip, "layers": layers}
        return {
            "inputs": arch.n_inputs,
            "units": {
                arch.unit_names[u]: {
                    "inputs": [arch.signal_name(s) for s in fanin],
                    "weights": list(self.weights[u]),
                    "bias": self.biases[u],
                }
                for u, fanin in enumerate(arch.fanins)
            },
            "outputs": [arch.unit_names[u] for u in arch.outputs],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Network:
        """Parse either JSON format; raises `InputError` naming what is wrong."""
        if not isinstance(data, dict) or not _is_int(data.get("inputs")):
            raise InputError("a network needs an integer 'inputs' field")
        if "layers" in data:
            return cls._from_layered(data)
        if "units" in data:
            units = data["units"]
            if not isinstance(units, dict):
                raise InputError("'units' must map unit names to {inputs, weights, bias}")
            for name, unit in units.items():
                if not isinstance(unit, dict) or "inputs" not in unit:
                    raise InputError(f"unit '{name}' needs 'inputs', 'weights' and 'bias'")
            arch = Architecture.from_dict(
                {
                    "inputs": data["inputs"],
                    "units": {name: unit["inputs"] for name, unit in units.items()},
                    "outputs": data.get("outputs"),
                }
            )
            weights = tuple(_int_list(units[name].get("weights"), name) for name in arch.unit_names)
            biases = tuple(_int(units[name].get("bias"), name) for name in arch.unit_names)
            return cls(arch, weights, biases)
        raise InputError("a network needs 'layers' (layered format) or 'units' (DAG format)")

    @classmethod
    def _from_layered(cls, data: dict) -> Network:
        layers = data["layers"]
        if not isinstance(layers, list) or not layers:
            raise InputError("'layers' must be a non-empty list")
        widths = []
        for k, layer in enumerate(layers):
            if not isinstance(layer, dict) or not isinstance(layer.get("weights"), list):
                raise InputError(f"layer {k + 1} needs 'weights' (a list of rows) and 'bias'")
            widths.append(len(layer["weights"]))
        skip = data.get("skip", False)
        if not isinstance(skip, bool):
            raise InputError(f"'skip' must be true or false, not {json.dumps(skip)[:40]}")
        arch = Architecture.layered([data["inputs"], *widths], skip=skip)
        weights: list[tuple[int, ...]] = []
        biases: list[int] = []
        for k, layer in enumerate(layers):
            bias = layer.get("bias")
            if not isinstance(bias, list) or len(bias) != widths[k]:
                raise InputError(f"layer {k + 1} needs one bias per unit ({widths[k]})")
            for j, row in enumerate(layer["weights"]):
                weights.append(_int_list(row, f"layer {k + 1} unit {j}"))
                biases.append(_int(bias[j], f"layer {k + 1} unit {j}"))
        return cls(arch, tuple(weights), tuple(biases))

    def to_json(self) -> str:
        """The JSON form (`to_dict`), indented, as `save` writes it."""
        return json.dumps(self.to_dict(), indent=1) + "\n"

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json())

    @classmethod
    def load(cls, path: str | Path) -> Network:
        """Read a network file (either JSON format); `InputError` for any bad file."""
        return cls.from_dict(read_json(path, f"network file {path}"))

    def describe(self) -> str:
        """One line per unit: ``h1_0 = [2*x0 + 1*x1 - 3 >= 0]``."""
        lines = []
        for u, fanin in enumerate(self.arch.fanins):
            terms = [
                f"{w:+d}*{self.arch.signal_name(s)}"
                for w, s in zip(self.weights[u], fanin, strict=True)
                if w != 0
            ]
            expr = " ".join(terms) if terms else "0"
            lines.append(f"{self.arch.unit_names[u]} = [{expr} {self.biases[u]:+d} >= 0]")
        return "\n".join(lines)


def _is_int(value: object) -> bool:
    """True for a JSON integer (Python's bools are ints; JSON's true and false are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _int(value: object, where: str) -> int:
    if not _is_int(value):
        raise InputError(f"{where}: weights and biases must be integers, got {value!r:.40}")
    return value


def _int_list(values: object, where: str) -> tuple[int, ...]:
    if not isinstance(values, list):
        raise InputError(f"{where}: weights must be a list of integers")
    return tuple(_int(v, where) for v in values)


def network_from_units(
    arch: Architecture, weights: Sequence[Sequence[int]], biases: Sequence[int]
) -> Network:
    """Build a network from plain sequences (decoders use this)."""
    return Network(arch, tuple(tuple(int(x) for x in w) for w in weights), tuple(int(b) for b in biases))

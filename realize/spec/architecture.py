"""Architectures: directed acyclic graphs of threshold units over n inputs.

Signals are numbered: ``0 .. n-1`` are the inputs ``x0 .. x(n-1)``; unit ``u`` (in topological
order) drives signal ``n + u``. ``fanins[u]`` lists the signals unit u reads, in the order of its
weights; ``outputs`` lists the units whose values are the function's outputs, output 0 first.

Three ways to get one:

>>> Architecture.parse("4-2-1").fanins
((0, 1, 2, 3), (0, 1, 2, 3), (4, 5))
>>> Architecture.parse("2-1-1", skip=True).fanins     # every unit also sees inputs, earlier layers
((0, 1), (0, 1, 2))
>>> Architecture.from_dict({"inputs": 2, "units": {"h": ["x0", "x1"], "y": ["x0", "h"]}}).describe()
'dag(2 inputs, 2 units)'

A DAG file (JSON) names its units and lists each unit's sources; outputs default to the units
nothing else reads, in file order::

    {"inputs": 3,
     "units": {"h0": ["x0", "x1"], "h1": ["x1", "x2"], "y": ["h0", "h1", "x0"]},
     "outputs": ["y"]}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from realize.errors import InputError
from realize.spec.functions import MAX_INPUTS
from realize.spec.safe_input import parse_int, read_json

if TYPE_CHECKING:
    import networkx as nx

#: The layered syntax ``n-h1-...-m`` (ASCII digits only).
LAYERED_RE = re.compile(r"[0-9]+(?:-[0-9]+)+")

#: the most units, and connections between them, an architecture may have: far beyond what any
#: encoding decides, small enough that describing one costs little memory
MAX_UNITS = 10_000
MAX_CONNECTIONS = 1_000_000


def check_size(name: str, units: int, connections: int) -> None:
    """`InputError` naming the limit when an architecture is too large to describe.

    >>> check_size("4-100000000-1", 100000001, 500000000)
    Traceback (most recent call last):
    ...
    realize.errors.InputError: architecture 4-100000000-1 has 100,000,001 units (at most 10,000)
    """
    if units > MAX_UNITS:
        raise InputError(f"architecture {name} has {units:,} units (at most {MAX_UNITS:,})")
    if connections > MAX_CONNECTIONS:
        raise InputError(f"architecture {name} has {connections:,} connections "
                         f"(at most {MAX_CONNECTIONS:,})")


def input_name(i: int) -> str:
    """Name of input i in graphs and files: ``x<i>``."""
    return f"x{i}"


@dataclass(frozen=True)
class Architecture:
    """A feedforward network of threshold units (see the module docstring)."""

    n_inputs: int
    fanins: tuple[tuple[int, ...], ...]
    outputs: tuple[int, ...]
    unit_names: tuple[str, ...]
    layers: tuple[int, ...] | None = None
    skip: bool = False

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def layered(cls, widths: Sequence[int], skip: bool = False) -> Architecture:
        """Fully connected layers: ``widths = [n, h1, ..., m]``.

        With ``skip`` every unit reads the inputs and all earlier layers (DenseNet style).
        """
        text = "-".join(str(w) for w in widths)
        if len(widths) < 2:
            raise InputError(f"architecture '{text}' needs inputs and at least one layer, e.g. 4-1")
        n, layer_widths = widths[0], tuple(widths[1:])
        if not 0 <= n <= MAX_INPUTS:
            raise InputError(f"architecture '{text}': 0 to {MAX_INPUTS} inputs, not {n}")
        if any(w < 1 for w in layer_widths):
            raise InputError(f"architecture '{text}': every layer needs at least one unit")
        sizes, connections = [n, *layer_widths], 0
        for k, width in enumerate(layer_widths, start=1):
            connections += width * (sum(sizes[:k]) if skip else sizes[k - 1])
        check_size(text, sum(layer_widths), connections)
        fanins: list[tuple[int, ...]] = []
        names: list[str] = []
        previous = tuple(range(n))
        seen = previous
        for depth, width in enumerate(layer_widths):
            first = n + len(fanins)
            source = seen if skip else previous
            for j in range(width):
                fanins.append(source)
                last = depth == len(layer_widths) - 1
                names.append(f"y{j}" if last else f"h{depth + 1}_{j}")
            previous = tuple(range(first, first + width))
            seen = seen + previous
        outputs = tuple(range(len(fanins) - layer_widths[-1], len(fanins)))
        return cls(n, tuple(fanins), outputs, tuple(names), layer_widths, skip)

    @classmethod
    def parse(cls, text: str, skip: bool = False) -> Architecture:
        """Parse ``n-h1-...-m`` (e.g. ``4-2-1``); each width has at most `MAX_DIGITS` digits."""
        text = text.strip()
        if not LAYERED_RE.fullmatch(text):
            raise InputError(
                f"architecture '{_shown(text)}' is not of the form n-h1-...-m "
                "(e.g. 4-2-1, or 4-1 for one unit)"
            )
        return cls.layered([parse_int(part, "architecture width") for part in text.split("-")],
                           skip=skip)

    @classmethod
    def from_dict(cls, data: dict) -> Architecture:
        """From the DAG format of the module docstring."""
        inputs = data.get("inputs") if isinstance(data, dict) else None
        if not isinstance(inputs, int) or isinstance(inputs, bool):
            raise InputError("a DAG architecture needs an integer 'inputs' field")
        units = data.get("units")
        if not isinstance(units, dict) or not units:
            raise InputError("a DAG architecture needs a non-empty 'units' object")
        n = data["inputs"]
        if not 0 <= n <= MAX_INPUTS:
            raise InputError(f"a DAG architecture has 0 to {MAX_INPUTS} inputs, not {n}")
        inputs = [input_name(i) for i in range(n)]
        check_size("from the DAG file", len(units),
                   sum(len(v) if isinstance(v, list) else 0 for v in units.values()))
        import networkx as nx  # only DAG files need it; layered architectures skip its import

        graph = nx.DiGraph()
        graph.add_nodes_from(inputs)
        for name, sources in units.items():
            if name in inputs:
                raise InputError(f"unit '{name}' has the name of an input")
            if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
                raise InputError(f"unit '{name}': its sources must be a list of names")
            if len(set(sources)) != len(sources):
                raise InputError(f"unit '{name}' reads a source twice")
            graph.add_node(name)
            for source in sources:
                if source not in units and source not in inputs:
                    raise InputError(f"unit '{name}' reads '{source}', which is no input or unit")
                graph.add_edge(source, name)
        if not nx.is_directed_acyclic_graph(graph):
            cycle = " -> ".join(edge[0] for edge in nx.find_cycle(graph))
            raise InputError(f"the architecture has a cycle: {cycle}")
        file_order = {name: k for k, name in enumerate(units)}
        order = [
            v for v in nx.lexicographical_topological_sort(graph, key=lambda v: file_order.get(v, -1))
            if v in units
        ]
        signal = {name: i for i, name in enumerate(inputs)}
        signal.update({name: n + u for u, name in enumerate(order)})
        fanins = tuple(tuple(signal[s] for s in units[name]) for name in order)
        out_names = data.get("outputs")
        if out_names is None:
            out_names = [name for name in units if graph.out_degree(name) == 0]
        if (not isinstance(out_names, list) or not out_names
                or not all(isinstance(name, str) for name in out_names)):
            raise InputError("'outputs' must be a non-empty list of unit names")
        for name in out_names:
            if name not in units:
                raise InputError(f"output '{name}' is not a unit")
        outputs = tuple(signal[name] - n for name in out_names)
        return cls(n, fanins, outputs, tuple(order))

    @classmethod
    def from_file(cls, path: str | Path) -> Architecture:
        """Read a DAG architecture from a JSON file; `InputError` for any bad file."""
        return cls.from_dict(read_json(path, f"architecture file {path}"))

    # -- queries ------------------------------------------------------------------------------
    @property
    def num_units(self) -> int:
        return len(self.fanins)

    @property
    def m(self) -> int:
        """Number of outputs."""
        return len(self.outputs)

    @property
    def hidden_units(self) -> tuple[int, ...]:
        """Units that are not outputs."""
        outs = set(self.outputs)
        return tuple(u for u in range(self.num_units) if u not in outs)

    def unit_layer_index(self) -> tuple[tuple[int, ...], ...]:
        """For layered architectures: the units of each layer."""
        if self.layers is None:
            raise ValueError("not a layered architecture")
        start, result = 0, []
        for width in self.layers:
            result.append(tuple(range(start, start + width)))
            start += width
        return tuple(result)

    def consumers(self) -> tuple[tuple[int, ...], ...]:
        """For each unit, the units that read it."""
        readers: list[list[int]] = [[] for _ in range(self.num_units)]
        for u, fanin in enumerate(self.fanins):
            for s in fanin:
                if s >= self.n_inputs:
                    readers[s - self.n_inputs].append(u)
        return tuple(tuple(r) for r in readers)

    def interchangeable_groups(self) -> list[list[int]]:
        """Groups of hidden units with the same sources and the same readers.

        Units of one group can be permuted (readers' weights permuted alike) without changing
        the function, so ordering them breaks a symmetry soundly under any bounds that treat
        units of equal fan-in alike.
        """
        readers = self.consumers()
        groups: dict[tuple, list[int]] = {}
        for u in self.hidden_units:
            groups.setdefault((self.fanins[u], readers[u]), []).append(u)
        return [g for g in groups.values() if len(g) > 1]

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The architecture as a networkx DiGraph over input and unit names."""
        import networkx as nx

        graph = nx.DiGraph()
        graph.add_nodes_from(input_name(i) for i in range(self.n_inputs))
        names = [input_name(i) for i in range(self.n_inputs)] + list(self.unit_names)
        for u, fanin in enumerate(self.fanins):
            graph.add_node(self.unit_names[u])
            graph.add_edges_from((names[s], self.unit_names[u]) for s in fanin)
        return graph

    def signal_name(self, s: int) -> str:
        return input_name(s) if s < self.n_inputs else self.unit_names[s - self.n_inputs]

    def describe(self) -> str:
        """``4-2-1``, ``4-2-1 skip`` or ``dag(3 inputs, 4 units)``."""
        if self.layers is None:
            return f"dag({self.n_inputs} inputs, {self.num_units} units)"
        text = "-".join(str(w) for w in (self.n_inputs, *self.layers))
        return text + (" skip" if self.skip else "")

    def to_dict(self) -> dict:
        """The DAG format (works for every architecture)."""
        return {
            "inputs": self.n_inputs,
            "units": {
                self.unit_names[u]: [self.signal_name(s) for s in fanin]
                for u, fanin in enumerate(self.fanins)
            },
            "outputs": [self.unit_names[u] for u in self.outputs],
        }


def parse_architecture(text: str, skip: bool = False) -> Architecture:
    """``4-2-1`` (layered) or the path of a DAG file (JSON).

    Text of the layered form is always layered (it is never looked up as a file), so a chain of
    any length parses; other text names a DAG file.
    """
    text = text.strip()
    if LAYERED_RE.fullmatch(text):
        return Architecture.parse(text, skip=skip)
    if text.endswith(".json") or _is_file(text):
        if skip:
            raise InputError("--skip applies to layered architectures, not to a DAG file")
        return Architecture.from_file(text)
    raise InputError(
        f"architecture '{_shown(text)}' is neither of the form n-h1-...-m (e.g. 4-2-1, or 4-1 "
        "for one unit) nor a DAG file (JSON)"
    )


def _is_file(text: str) -> bool:
    """Whether text names a file; False for text no file can have as its name (too long, NUL)."""
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def _shown(text: str) -> str:
    """text for a message: at most 60 characters, on one line."""
    text = text.replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."

"""The network as an and-inverter graph in AIGER format: ASCII (``aag``) and binary (``aig``).

Each unit's cover (`realize.writers.logic.unit_cover`) becomes AND gates: a product is a chain
of ANDs of its literals, the sum of the products is a NOT of the AND of their NOTs. Gates are
hashed (the same pair of literals is one gate) and the trivial cases folded (``a & 1 = a``,
``a & ~a = 0``), so a unit that only copies a signal adds no gate. Gates are numbered in the
order they are made, after the inputs, so both files list every gate after its operands (as the
binary format requires). Symbols name the inputs and outputs (`realize.writers.logic.NetNames`).
ABC reads the binary form (``read_aiger``), the AIGER tools and yosys both.

>>> from realize.spec.network import Network
>>> net = Network.from_dict({"inputs": 2, "skip": False,
...                          "layers": [{"weights": [[1, 1]], "bias": [-2]}]})    # AND2
>>> print(to_aag(net), end="")
aag 3 2 0 1 1
2
4
6
6 4 2
i0 x0
i1 x1
o0 y0
c
threshold network of 2 inputs, 1 unit
"""

from __future__ import annotations

from realize.spec.network import Network
from realize.writers.logic import NetNames, summary, unit_cover

__all__ = ["to_aag", "to_aig"]


class _Graph:
    """AND gates over the network's inputs; literal 2v is variable v, 2v + 1 its negation."""

    def __init__(self, inputs: int) -> None:
        self.inputs = inputs
        self.gates: list[tuple[int, int, int]] = []  # (lhs, rhs0, rhs1), rhs0 >= rhs1
        self.known: dict[tuple[int, int], int] = {}

    def conj(self, a: int, b: int) -> int:
        a, b = max(a, b), min(a, b)
        if b == 0 or a == b ^ 1:
            return 0
        if b == 1 or a == b:
            return a
        if (a, b) not in self.known:
            lhs = 2 * (self.inputs + len(self.gates) + 1)
            self.gates.append((lhs, a, b))
            self.known[a, b] = lhs
        return self.known[a, b]

    def sum_of_products(self, cover: list[str], operands: list[int]) -> int:
        total = 0
        for cube in cover:
            product = 1
            for c, lit in zip(cube, operands, strict=True):
                if c != "-":
                    product = self.conj(product, lit if c == "1" else lit ^ 1)
            total = self.conj(total ^ 1, product ^ 1) ^ 1
        return total


def _build(net: Network) -> tuple[_Graph, list[int], str]:
    """The graph, the output literals and the symbol table (with the comment section)."""
    arch = net.arch
    graph = _Graph(arch.n_inputs)
    signal = [2 * (i + 1) for i in range(arch.n_inputs)]
    for u, fanin in enumerate(arch.fanins):
        signal.append(graph.sum_of_products(unit_cover(net, u), [signal[s] for s in fanin]))
    names = NetNames(arch)
    symbols = [f"i{i} {name}" for i, name in enumerate(names.signals[:arch.n_inputs])]
    symbols += [f"o{j} {name}" for j, name in enumerate(names.outputs)]
    symbols += ["c", summary(net)]
    return graph, [signal[arch.n_inputs + u] for u in arch.outputs], "\n".join(symbols) + "\n"


def to_aag(net: Network) -> str:
    """ASCII AIGER (module docstring)."""
    graph, outputs, symbols = _build(net)
    lines = [f"aag {graph.inputs + len(graph.gates)} {graph.inputs} 0 {len(outputs)} {len(graph.gates)}"]
    lines += [str(2 * (i + 1)) for i in range(graph.inputs)]
    lines += [str(lit) for lit in outputs]
    lines += [f"{lhs} {a} {b}" for lhs, a, b in graph.gates]
    return "\n".join(lines) + "\n" + symbols


def to_aig(net: Network) -> bytes:
    """Binary AIGER: the header and outputs as text, each gate as two delta-coded numbers.

    >>> net = Network.from_dict({"inputs": 2, "skip": False,
    ...                          "layers": [{"weights": [[1, 1]], "bias": [-2]}]})    # AND2
    >>> to_aig(net)[:23]
    b'aig 3 2 0 1 1\\n6\\n\\x02\\x02i0 x0'
    """
    graph, outputs, symbols = _build(net)
    data = bytearray(f"aig {graph.inputs + len(graph.gates)} {graph.inputs} 0 {len(outputs)} "
                     f"{len(graph.gates)}\n".encode())
    data += "".join(f"{lit}\n" for lit in outputs).encode()
    for lhs, a, b in graph.gates:
        for delta in (lhs - a, a - b):
            while delta >= 0x80:
                data.append(delta & 0x7F | 0x80)
                delta >>= 7
            data.append(delta)
    return bytes(data) + symbols.encode()

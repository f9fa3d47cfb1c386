"""Each threshold unit as the Boolean function it computes of its own inputs: covers, names,
BLIF and structural Verilog.

A unit's truth table over the k inputs it reads (non-zero weights) is computed by evaluating the
unit (`Network.evaluate` of a one-unit network, exact for any weights) on all 2^k assignments,
so k is at most `MAX_COVER_FANIN`. The table becomes a cover (a list of cubes, one character
per fan-in signal, fan-in order: ``1``, ``0`` or ``-``) by Shannon expansion that drops a
variable the function does not depend on and, where the function is unate in it (every
threshold function is), keeps one cofactor's cubes free of it; so AND2 is ``["11"]`` and OR2
is ``["1-", "-1"]``.

Signals keep the names of the network (``x0``, ``h1_0``, ``y0``, DAG unit names) when they are
plain identifiers that are no Verilog keyword; others get a fresh name ``u<k>``. Outputs are the
output units' signals; an output unit listed twice gets a second name (``y_2``).

>>> from realize.spec.network import Network
>>> net = Network.from_dict({"inputs": 2, "skip": False,
...     "layers": [{"weights": [[1, 1], [-1, -1]], "bias": [-2, 0]},
...                {"weights": [[-1, -1]], "bias": [0]}]})     # XOR2
>>> [unit_cover(net, u) for u in range(3)]
[['11'], ['00'], ['00']]
>>> print(to_verilog(net), end="")
// threshold network of 2 inputs, 3 units
module network(x0, x1, y0);
  input x0, x1;
  output y0;
  wire h1_0, h1_1;
  assign h1_0 = x0 & x1;
  assign h1_1 = ~x0 & ~x1;
  assign y0 = ~h1_0 & ~h1_1;
endmodule
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from realize.errors import UnsupportedError
from realize.spec.architecture import Architecture
from realize.spec.functions import all_rows
from realize.spec.network import Network

__all__ = ["MAX_COVER_FANIN", "VERILOG_KEYWORDS", "NetNames", "cover_of_table", "summary", "to_blif",
           "to_verilog", "unit_cover"]

#: the largest fan-in whose unit is enumerated into a cover (2^16 rows)
MAX_COVER_FANIN = 16

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: the reserved words of Verilog-2005 (IEEE 1364-2005, annex B)
_KEYWORDS = """
    always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config deassign
    default defparam design disable edge else end endcase endconfig endfunction endgenerate
    endmodule endprimitive endspecify endtable endtask event for force forever fork function
    generate genvar highz0 highz1 if ifnone incdir include initial inout input instance integer join
    large liblist library localparam macromodule medium module nand negedge nmos nor
    noshowcancelled not notif0 notif1 or output parameter pmos posedge primitive pull0 pull1
    pulldown pullup pulsestyle_ondetect pulsestyle_onevent rcmos real realtime reg release repeat
    rnmos rpmos rtran rtranif0 rtranif1 scalared showcancelled signed small specify specparam
    strong0 strong1 supply0 supply1 table task time tran tranif0 tranif1 tri tri0 tri1 triand trior
    trireg unsigned use uwire vectored wait wand weak0 weak1 while wire wor xnor xor
"""
VERILOG_KEYWORDS = frozenset(_KEYWORDS.split())


def cover_of_table(table: np.ndarray) -> list[str]:
    """A cover of the function whose truth table (bool, length 2^k, bit i of the index = variable
    i) is ``table``: cubes of k characters, variable 0 first; [] is constant 0.

    >>> cover_of_table(np.array([0, 1, 1, 1], dtype=bool))     # OR2
    ['1-', '-1']
    >>> cover_of_table(np.array([1, 1], dtype=bool)), cover_of_table(np.array([1]))
    (['-'], [''])
    """
    if not table.any():
        return []
    if table.all():
        return ["-" * (len(table).bit_length() - 1)]
    half = len(table) // 2  # the last variable is the index's top bit
    low, high = table[:half], table[half:]
    if np.array_equal(low, high):
        return [c + "-" for c in cover_of_table(low)]
    if not (low & ~high).any():  # positive unate: f = f0 | x f1
        return [c + "-" for c in cover_of_table(low)] + [c + "1" for c in cover_of_table(high)]
    if not (high & ~low).any():  # negative unate: f = f1 | ~x f0
        return [c + "-" for c in cover_of_table(high)] + [c + "0" for c in cover_of_table(low)]
    return [c + "0" for c in cover_of_table(low)] + [c + "1" for c in cover_of_table(high)]


def unit_cover(net: Network, u: int) -> list[str]:
    """The cover of unit u as a function of its fan-in (in the order of its weights); inputs
    of weight 0 are ``-`` in every cube, so only the others are enumerated.

    >>> net = Network.from_dict({"inputs": 3, "skip": False,
    ...     "layers": [{"weights": [[1, 1, 1], [2, 0, 2]], "bias": [-2, -1]}]})   # MAJ3, x0 | x2
    >>> unit_cover(net, 0), unit_cover(net, 1)
    (['11-', '1-1', '-11'], ['1--', '--1'])
    """
    weights = net.weights[u]
    live = [i for i, w in enumerate(weights) if w != 0]
    if len(live) > MAX_COVER_FANIN:
        raise UnsupportedError(
            f"unit {net.arch.unit_names[u]} reads {len(live)} inputs; BLIF, Verilog and AIGER "
            f"export enumerate the inputs of each unit, at most {MAX_COVER_FANIN}")
    k = len(live)
    unit = Network(Architecture.layered([k, 1]), (tuple(weights[i] for i in live),),
                   (net.biases[u],))
    cubes = cover_of_table(unit.evaluate(all_rows(k))[0].astype(bool))
    full = ["-"] * len(weights)
    expanded = []
    for cube in cubes:
        for i, c in zip(live, cube, strict=True):
            full[i] = c
        expanded.append("".join(full))
    return expanded


class NetNames:
    """Names of a network's signals and outputs in the exported files (module docstring).

    >>> arch = Architecture.from_dict({"inputs": 1, "units": {"wire": ["x0"], "a b": ["wire"]},
    ...                                "outputs": ["a b", "a b"]})
    >>> names = NetNames(arch)
    >>> names.signals, names.outputs
    (['x0', 'u0', 'u1'], ['u1', 'u1_2'])
    """

    def __init__(self, arch: Architecture) -> None:
        self.arch = arch
        given = [arch.signal_name(s) for s in range(arch.n_inputs + arch.num_units)]
        used = {name for name in given if _plain(name)}
        self.signals = [name if _plain(name) else _fresh(f"u{s - arch.n_inputs}", used)
                        for s, name in enumerate(given)]
        seen: set[int] = set()
        self.outputs: list[str] = []
        for u in arch.outputs:
            name = self.unit(u)
            self.outputs.append(_fresh(f"{name}_2", used) if u in seen else name)
            seen.add(u)

    def unit(self, u: int) -> str:
        return self.signals[self.arch.n_inputs + u]

    def fanin(self, u: int) -> list[str]:
        return [self.signals[s] for s in self.arch.fanins[u]]

    def copies(self) -> Iterator[tuple[str, str]]:
        """(output name, the unit signal it copies) for outputs named apart from their unit."""
        for u, name in zip(self.arch.outputs, self.outputs, strict=True):
            if name != self.unit(u):
                yield name, self.unit(u)


def _plain(name: str) -> bool:
    return _IDENTIFIER.fullmatch(name) is not None and name not in VERILOG_KEYWORDS


def _fresh(name: str, used: set[str]) -> str:
    """``name``, or with ``_`` appended until no signal has it; marked as used."""
    while name in used:
        name += "_"
    used.add(name)
    return name


def summary(net: Network) -> str:
    """What an exported file holds, for its comment: ``threshold network of 2 inputs, 1 unit``."""
    n, units = net.arch.n_inputs, net.arch.num_units
    return f"threshold network of {n} input{'s' * (n != 1)}, {units} unit{'s' * (units != 1)}"


def to_blif(net: Network, model: str = "network") -> str:
    """The network as a BLIF model: one ``.names`` (the unit's on-set cover) per unit; a constant
    unit reads no signal.

    >>> net = Network.from_dict({"inputs": 2, "skip": False,
    ...                          "layers": [{"weights": [[1, 1]], "bias": [-1]}]})   # OR2
    >>> print(to_blif(net), end="")
    # threshold network of 2 inputs, 1 unit
    .model network
    .inputs x0 x1
    .outputs y0
    .names x0 x1 y0
    1- 1
    -1 1
    .end
    """
    names = NetNames(net.arch)
    lines = [f".model {model}", ".inputs " + " ".join(names.signals[:net.arch.n_inputs]),
             ".outputs " + " ".join(names.outputs)]
    for u in range(net.arch.num_units):
        cover = unit_cover(net, u)
        if cover in ([], ["-" * len(net.arch.fanins[u])]):  # a constant reads nothing (as ABC wants)
            lines += [f".names {names.unit(u)}", *("1" * len(cover))]
        else:
            lines.append(" ".join([".names", *names.fanin(u), names.unit(u)]))
            lines += [f"{cube} 1" for cube in cover]
    for name, source in names.copies():
        lines += [f".names {source} {name}", "1 1"]
    return f"# {summary(net)}\n" + "\n".join(lines) + "\n.end\n"


def to_verilog(net: Network, module: str = "network") -> str:
    """The network as one structural Verilog module: an ``assign`` of a sum of products per unit
    (module docstring)."""
    names = NetNames(net.arch)
    inputs = names.signals[:net.arch.n_inputs]
    outputs = list(dict.fromkeys(names.outputs))
    wires = [names.unit(u) for u in range(net.arch.num_units) if names.unit(u) not in outputs]
    lines = [f"module {module}({', '.join(inputs + outputs)});"]
    if inputs:
        lines.append(f"  input {', '.join(inputs)};")
    lines.append(f"  output {', '.join(outputs)};")
    if wires:
        lines.append(f"  wire {', '.join(wires)};")
    for u in range(net.arch.num_units):
        lines.append(f"  assign {names.unit(u)} = {_sum_of_products(unit_cover(net, u), names.fanin(u))};")
    lines += [f"  assign {name} = {source};" for name, source in names.copies()]
    return f"// {summary(net)}\n" + "\n".join(lines) + "\nendmodule\n"


def _sum_of_products(cover: list[str], inputs: list[str]) -> str:
    """A Verilog expression of a cover: ``1'b0``, ``1'b1``, or products joined by ``|``."""
    products = []
    for cube in cover:
        literals = [name if c == "1" else f"~{name}"
                    for c, name in zip(cube, inputs, strict=True) if c != "-"]
        if not literals:
            return "1'b1"
        products.append(" & ".join(literals))
    if not products:
        return "1'b0"
    if len(products) == 1:
        return products[0]
    return " | ".join(f"({p})" if "&" in p else p for p in products)

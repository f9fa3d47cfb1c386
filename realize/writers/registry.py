"""Formats a witness network is written in: `WRITERS` is the table, and the only place that
knows their file suffixes.

A file name picks its format by its suffix (`writer_for`); a name without a suffix is JSON, the
format every command reads back; any other suffix is refused. The writer modules are imported
when a network is rendered, so choosing a format costs nothing.

>>> [(w.name, w.suffix) for w in WRITERS]   # doctest: +NORMALIZE_WHITESPACE
[('json', '.json'), ('blif', '.blif'), ('verilog', '.v'), ('aiger', '.aag'), ('aig', '.aig'),
 ('onnx', '.onnx')]
>>> writer_for("maj3.blif").name, writer_for("witness").name
('blif', 'json')
>>> writer_for("maj3.txt", "--save")   # doctest: +ELLIPSIS
Traceback (most recent call last):
...
realize.errors.InputError: maj3.txt (--save): the suffix .txt names no network format (known: .json ...
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import reduce
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from realize.errors import InputError

if TYPE_CHECKING:
    from realize.spec.network import Network

__all__ = ["WRITERS", "Writer", "export_network", "writer_for", "writer_named"]


@dataclass(frozen=True)
class Writer:
    """One output format: ``render_with`` names the function (``"module:function"``) that takes a
    `Network` and returns text, or bytes for a ``binary`` format; ``needs`` names an optional
    package (also the name of its extra)."""

    name: str
    suffix: str
    summary: str
    render_with: str
    binary: bool = False
    needs: str | None = None

    def require(self) -> None:
        """`InputError` when the optional package this format needs is not installed."""
        if self.needs is not None and importlib.util.find_spec(self.needs) is None:
            raise InputError(f"{self.name} export needs the {self.needs} package: "
                             f"pip install 'realize[{self.needs}]'")

    def render(self, net: Network) -> str | bytes:
        """The network in this format."""
        self.require()
        module, _, name = self.render_with.partition(":")
        return reduce(getattr, name.split("."), import_module(module))(net)

    def save(self, net: Network, path: str | Path) -> None:
        """Write the network to ``path`` (`OSError` if that fails)."""
        data = self.render(net)
        if isinstance(data, bytes):
            Path(path).write_bytes(data)
        else:
            Path(path).write_text(data, encoding="utf-8")


WRITERS: tuple[Writer, ...] = (
    Writer("json", ".json", "realize's network file (every command reads it)",
           "realize.spec.network:Network.to_json"),
    Writer("blif", ".blif", "BLIF: each unit as the cover of its function",
           "realize.writers.logic:to_blif"),
    Writer("verilog", ".v", "structural Verilog: an assign of a sum of products per unit",
           "realize.writers.logic:to_verilog"),
    Writer("aiger", ".aag", "ASCII AIGER: an and-inverter graph", "realize.writers.aiger:to_aag"),
    Writer("aig", ".aig", "binary AIGER (what ABC's read_aiger reads)",
           "realize.writers.aiger:to_aig", binary=True),
    Writer("onnx", ".onnx", "ONNX: MatMul, Add, GreaterOrEqual, Cast per layer, float 0/1 in and out",
           "realize.writers.onnx_model:to_onnx", binary=True, needs="onnx"),
)


def writer_named(name: str) -> Writer:
    """The writer of a format name (``blif``); `InputError` for an unknown one."""
    for writer in WRITERS:
        if writer.name == name:
            return writer
    raise InputError(f"unknown network format '{name}' (choose from {', '.join(w.name for w in WRITERS)})")


def writer_for(path: str | Path, what: str = "") -> Writer:
    """The writer that a file name's suffix names (module docstring); `InputError` for another
    suffix (``what`` names the option in the message)."""
    suffix = Path(path).suffix.lower()
    if not suffix:
        return WRITERS[0]
    for writer in WRITERS:
        if writer.suffix == suffix:
            return writer
    known = " ".join(w.suffix for w in WRITERS)
    label = f"{path} ({what})" if what else str(path)
    raise InputError(f"{label}: the suffix {suffix} names no network format (known: {known})")


def export_network(net: Network, name: str) -> str | bytes:
    """The network in the format ``name`` (one of `WRITERS`): text, or bytes (aig, onnx).

    >>> from realize.spec.network import Network
    >>> net = Network.from_dict({"inputs": 2, "skip": False,
    ...                          "layers": [{"weights": [[1, 1]], "bias": [-2]}]})
    >>> print(export_network(net, "verilog"), end="")
    // threshold network of 2 inputs, 1 unit
    module network(x0, x1, y0);
      input x0, x1;
      output y0;
      assign y0 = x0 & x1;
    endmodule
    """
    return writer_named(name).render(net)

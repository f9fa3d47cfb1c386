"""The network as an ONNX model (needs the ``onnx`` package: ``pip install 'realize[onnx]'``).

Input ``x``: float 0/1 of shape (N, n), column i = input x_i. Output ``y``: float 0/1 of shape
(N, m), column j = output j. The units are grouped into levels (a unit's level is one more than
the highest level among its sources; the layers of a layered network); each level is one
``MatMul`` by its integer weights (as float32), an ``Add`` of its biases, ``GreaterOrEqual`` 0 and
a ``Cast`` to float, over the ``Concat`` of the tensors its units read (the previous layer
only, in a layered network without skip connections). float32 holds every integer up to 2^24
exactly, so a unit whose sum of |weights| and |bias| exceeds 2^24 is refused: below that no
partial sum is rounded. Opset 13, IR version 8 (onnxruntime 1.10 and later). The nodes of a
layered network of two layers: MatMul, Add, GreaterOrEqual, Cast (twice), Identity (to ``y``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from realize.errors import UnsupportedError
from realize.spec.architecture import Architecture
from realize.spec.network import Network
from realize.writers.logic import summary

__all__ = ["EXACT_FLOAT32", "to_onnx"]

#: float32 represents every integer of magnitude up to 2^24
EXACT_FLOAT32 = 2**24
OPSET = 13
IR_VERSION = 8


def levels(arch: Architecture) -> list[list[int]]:
    """The units of each level, in unit order (module docstring).

    >>> levels(Architecture.from_dict({"inputs": 2, "units": {"a": ["x0"], "b": ["a", "x1"],
    ...                                                       "c": ["x1"]}}))
    [[0, 2], [1]]
    """
    n = arch.n_inputs
    level = [0] * n
    for fanin in arch.fanins:
        level.append(1 + max((level[s] for s in fanin), default=0))
    depth = max(level[n:], default=0)
    return [[u for u in range(arch.num_units) if level[n + u] == k] for k in range(1, depth + 1)]


def to_onnx(net: Network) -> bytes:
    """The serialized ONNX model (module docstring)."""
    import onnx

    helper, tensor = onnx.helper, onnx.TensorProto
    arch = net.arch
    for u, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        if sum(abs(x) for x in w) + abs(b) > EXACT_FLOAT32:
            raise UnsupportedError(f"unit {arch.unit_names[u]}: weights and bias too large for exact "
                                   f"float32 arithmetic in ONNX (sum of magnitudes above 2^24)")
    nodes: list[Any] = []
    constants: list[Any] = []
    # every tensor made so far: its name and the signals of its columns
    tensors: list[tuple[str, list[int]]] = [("x", list(range(arch.n_inputs)))]

    def operand(signals: set[int], name: str) -> tuple[str, list[int]]:
        """A tensor holding ``signals``: the one made that holds them, else a concat of all."""
        read = [t for t in tensors if signals & set(t[1])] or tensors[:1]
        if len(read) == 1:
            return read[0]
        nodes.append(helper.make_node("Concat", [t[0] for t in read], [name], axis=1))
        return name, [s for t in read for s in t[1]]

    for k, units in enumerate(levels(arch), 1):
        source, columns = operand({s for u in units for s in arch.fanins[u]}, f"in{k}")
        where = {s: c for c, s in enumerate(columns)}
        weights = np.zeros((len(columns), len(units)), dtype=np.float32)
        for j, u in enumerate(units):
            for s, w in zip(arch.fanins[u], net.weights[u], strict=True):
                weights[where[s], j] = w
        bias = np.array([net.biases[u] for u in units], dtype=np.float32)
        constants += [onnx.numpy_helper.from_array(weights, f"W{k}"),
                      onnx.numpy_helper.from_array(bias, f"b{k}")]
        nodes += [helper.make_node("MatMul", [source, f"W{k}"], [f"z{k}"]),
                  helper.make_node("Add", [f"z{k}", f"b{k}"], [f"s{k}"]),
                  helper.make_node("GreaterOrEqual", [f"s{k}", "zero"], [f"g{k}"]),
                  helper.make_node("Cast", [f"g{k}"], [f"h{k}"], to=tensor.FLOAT)]
        tensors.append((f"h{k}", [arch.n_inputs + u for u in units]))
    outputs = [arch.n_inputs + u for u in arch.outputs]
    source, columns = operand(set(outputs), "units")
    if columns == outputs:
        nodes.append(helper.make_node("Identity", [source], ["y"]))
    else:
        picked = np.array([columns.index(s) for s in outputs], dtype=np.int64)
        constants.append(onnx.numpy_helper.from_array(picked, "picked"))
        nodes.append(helper.make_node("Gather", [source, "picked"], ["y"], axis=1))
    constants.append(onnx.numpy_helper.from_array(np.zeros((), dtype=np.float32), "zero"))
    graph = helper.make_graph(
        nodes, "network",
        [helper.make_tensor_value_info("x", tensor.FLOAT, ["N", arch.n_inputs])],
        [helper.make_tensor_value_info("y", tensor.FLOAT, ["N", arch.m])],
        initializer=constants, doc_string=summary(net))
    model = helper.make_model(graph, producer_name="realize",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    return model.SerializeToString()

"""Counterexamples: numpy evaluation and the SAT miter agree; EQUIVALENT; wide networks; CLI."""

import json
import random

import numpy as np
import pytest

from realize import Architecture, BooleanFunction, Network, check
from realize.cli import run
from realize.explain.counterexample import Verdict, find_counterexamples
from realize.readers.expressions import And, Const, Not, Or, Var, Xor, expressions_to_function
from realize.spec.functions import input_bits


def random_expr(rng: random.Random, n: int, depth: int):
    if depth == 0 or rng.random() < 0.25:
        return Var(rng.randrange(n)) if rng.random() < 0.9 else Const(rng.randrange(2))
    kind = rng.choice([And, Or, Xor, Not])
    if kind is Not:
        return Not(random_expr(rng, n, depth - 1))
    return kind(tuple(random_expr(rng, n, depth - 1) for _ in range(rng.randint(2, 3))))


def random_network(rng: random.Random, n: int, m: int) -> Network:
    hidden = [rng.randint(1, 3)] if rng.random() < 0.7 else []
    arch = Architecture.layered([n, *hidden, m], skip=rng.random() < 0.3)
    weights = tuple(tuple(rng.randint(-3, 3) for _ in fanin) for fanin in arch.fanins)
    biases = tuple(rng.randint(-4, 3) for _ in arch.fanins)
    return Network(arch, weights, biases)


@pytest.mark.parametrize("seed", range(40))
def test_miter_finds_exactly_the_rows_evaluation_finds(seed):
    rng = random.Random(seed)
    n, m = rng.randint(1, 5), rng.randint(1, 2)
    net = random_network(rng, n, m)
    exprs = [random_expr(rng, n, 3) for _ in range(m)]
    by_sat = find_counterexamples(net, exprs, all_rows=True)
    by_eval = find_counterexamples(net, expressions_to_function(exprs, n), all_rows=True)
    assert (by_sat.method, by_eval.method) == ("sat", "evaluate")
    assert by_sat.status == by_eval.status
    assert sorted(by_sat.rows) == by_eval.rows and by_sat.count == by_eval.count
    # the reported outputs are the real ones, and they differ on every row
    rows = np.array(by_sat.rows, dtype=np.uint64)
    assert by_sat.network_outputs == net.evaluate(rows).T.tolist()
    want = [[int(e.evaluate(input_bits(rows, n))[k]) for e in exprs] for k in range(len(rows))]
    assert by_sat.wanted == want
    assert all(g != w for g, w in zip(by_sat.network_outputs, by_sat.wanted, strict=True))


@pytest.mark.parametrize("function, arch", [("e8", "3-1"), ("96", "3-3-1"), ("6,8", "2-2-2")])
def test_a_network_that_computes_f_is_equivalent(function, arch):
    net = check(function, arch).network
    f = net.function()
    assert find_counterexamples(net, f).status is Verdict.EQUIVALENT
    exprs = " , ".join(
        " | ".join(f"({' & '.join(f'x{i}' if (r >> i) & 1 else f'~x{i}' for i in range(f.n))})"
                   for r in np.flatnonzero(f.values[j]))
        for j in range(f.m))
    r = find_counterexamples(net, exprs, method="sat")
    assert r.status is Verdict.EQUIVALENT and r.rows == [] and r.count == 0


def test_wide_network_miter_64_inputs():
    n = 64
    or_all = Network(Architecture.parse(f"{n}-1"), ((1,) * n,), (-1,))
    # differs from OR of x0..x62 exactly when x63 alone is 1
    r = find_counterexamples(or_all, " | ".join(f"x{i}" for i in range(n - 1)), all_rows=True)
    assert r.method == "sat" and r.status is Verdict.COUNTEREXAMPLE
    assert r.rows == [2**63] and r.count == 1
    assert r.network_outputs == [[1]] and r.wanted == [[0]]
    and_all = Network(Architecture.parse(f"{n}-1"), ((1,) * n,), (-n,))
    r = find_counterexamples(and_all, " & ".join(f"x{i}" for i in range(n)))
    assert r.status is Verdict.EQUIVALENT  # a solver proof: no input makes them differ


def test_limit_and_count_and_dont_cares():
    net = Network(Architecture.parse("3-1"), ((0, 0, 0),), (0,))  # constant 1
    r = find_counterexamples(net, "00", limit=3)
    assert r.rows == [0, 1, 2] and r.count == 8
    partial = BooleanFunction(3, np.array([1, 5], dtype=np.uint64), np.array([[0, -1]]))
    r = find_counterexamples(net, partial, all_rows=True)
    assert r.rows == [1] and r.count == 1
    r = find_counterexamples(net, "x0 & ~x0", limit=3, method="sat")
    assert len(r.rows) == 3 and r.count is None


def cli(capsys, *argv):
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_counterexample_and_equivalent(capsys, tmp_path):
    path = tmp_path / "net.json"
    check("96", "3-3-1").network.save(path)
    code, out, _ = cli(capsys, "counterexample", "69", "--network", str(path), "--all")
    assert code == 10 and out.splitlines()[0] == "COUNTEREXAMPLE" and "8 of 8" in out
    code, out, _ = cli(capsys, "counterexample", "96", "--network", str(path))
    assert code == 20 and out.splitlines()[0] == "EQUIVALENT"
    code, out, _ = cli(capsys, "counterexample", "x0 ^ x1", "--network", str(path), "--json",
                       "--method", "sat", "--all")
    data = json.loads(out)
    assert code == 10 and data["status"] == "counterexample" and data["method"] == "sat"
    assert sorted(data["rows"]) == [4, 5, 6, 7] and data["count"] == 4  # x0^x1 != XOR3 iff x2


@pytest.mark.parametrize("content, function, message", [
    ("{not json", "x0 & x1 & x2", "not valid JSON"),
    ('{"inputs": 3, "layers": [{"weights": [[1, 0.5, 1]], "bias": [-1]}]}', "80", "integers"),
    ('{"inputs": 2, "layers": [{"weights": [[1, 1]], "bias": [-1]}]}', "x0 & x1 & x2",
     "2 input(s)"),
    ('{"inputs": 4, "layers": [{"weights": [[1, 1, 1, 1]], "bias": [-1]}]}', "80", "4 input(s)"),
])
def test_cli_bad_network(capsys, tmp_path, content, function, message):
    path = tmp_path / "net.json"
    path.write_text(content)
    code, out, err = cli(capsys, "counterexample", function, "--network", str(path))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and message in err

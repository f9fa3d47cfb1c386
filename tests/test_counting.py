"""Counting computable functions: published numbers, agreement of independent methods, the CLI."""

import json

import numpy as np
import pytest

from realize import check
from realize.apps.count_direct import TableSet, apply_units, input_columns
from realize.apps.counting import baldi_vershynin, count
from realize.apps.threshold_enum import threshold_tables
from realize.cli import run
from realize.errors import InputError
from realize.spec.architecture import Architecture
from realize.spec.npn import npn_classes


def known_count(known, key, n):
    entry = known[key]
    return entry["count"][entry["n"].index(n)]


@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("method", ["npn", "direct", "allsat"])
def test_one_unit_counts_threshold_functions(known, n, method):
    assert count(f"{n}-1", method=method).count == known_count(known, "threshold_functions", n)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("method", ["perm", "direct", "allsat"])
def test_one_nonneg_unit(known, n, method):
    expected = known_count(known, "nonnegative_threshold_functions", n)
    assert count(f"{n}-1", nonneg=True, method=method).count == expected


@pytest.mark.parametrize("method", ["npn", "direct", "allsat"])
def test_weight_bound_two_at_four_inputs(method):
    assert count("4-1", max_weight=2, method=method).count == 986


@pytest.mark.parametrize(("arch", "expected"), [("2-2-1", 16), ("3-2-1", 254), ("4-3-1", 65534),
                                                ("4-4-1", 65536)])
def test_published_network_counts(arch, expected):
    assert count(arch).count == expected


def test_two_outputs_without_hidden_layer_square_one_unit():
    one = count("2-1").count
    for method in ("direct", "allsat"):
        assert count("2-2", method=method).count == one**2 == 196


SMALL = [
    ("2-1-1", {}), ("3-1-1", {}), ("3-2-1", {}), ("2-2-1", {"skip": True}),
    ("3-1-1", {"skip": True}), ("2-2-2", {}), ("3-2-1", {"nonneg": True}),
    ("3-2-1", {"max_weight": 1}), ("3-2-1", {"max_weight": 1, "max_bias": 1}),
    ("3-1-1", {"nonneg": True, "skip": True}), ("2-1-1-1", {}), ("2-2-1", {"max_bias": 0}),
    ("2-1-2", {}), ("2-1-1-1", {"skip": True}),
]


@pytest.mark.parametrize(("arch", "kwargs"), SMALL)
def test_direct_and_allsat_find_the_same_functions(arch, kwargs):
    direct = count(arch, method="direct", keep_functions=True, **kwargs)
    allsat = count(arch, method="allsat", keep_functions=True, **kwargs)
    assert np.array_equal(direct.functions, allsat.functions)
    plain = count(arch, method="allsat", symmetry=False, **kwargs)
    assert plain.count == allsat.count
    if Architecture.parse(arch).m == 1:     # permutation classes are sound under any bounds
        perm = count(arch, method="perm", keep_functions=True, **kwargs)
        assert np.array_equal(perm.functions, direct.functions)


@pytest.mark.parametrize("arch", ["3-1-1", "3-2-1", "3-3-1", "3-1-1 skip", "2-2-1 skip", "4-2-1"])
def test_npn_agrees_with_direct_function_by_function(arch):
    name, _, skip = arch.partition(" ")
    a = Architecture.parse(name, skip=bool(skip))
    npn = count(a, method="npn", keep_functions=True)
    direct = count(a, method="direct", keep_functions=True)
    assert np.array_equal(npn.functions, direct.functions)


def test_and_pairs_agrees_with_the_other_methods():
    assert count("4-2-1", method="and-pairs").count == count("4-2-1", method="direct").count == 41614
    assert count("3-2-1", method="and-pairs", max_weight=1).count == count(
        "3-2-1", method="allsat", max_weight=1).count


def test_listed_functions_are_realizable_and_the_rest_are_not():
    r = count("3-2-1", keep_functions=True)
    listed = set(r.hex_lines())
    assert len(listed) == r.count
    for table in range(0, 256, 7):
        text = f"{table:02x}"
        assert check(text, "3-2-1").realizable == (text in listed)


def test_dag_architecture_counts_by_allsat_and_matches_its_layered_twin():
    dag = Architecture.from_dict({"inputs": 2, "units": {"a": ["x0", "x1"], "b": ["x0", "x1"],
                                                         "y": ["a", "b"]}})
    r = count(dag)
    assert r.method == "allsat"
    assert r.count == count("2-2-1", method="direct").count
    chain = Architecture.from_dict({"inputs": 3, "units": {"h": ["x0", "x1"], "y": ["h", "x2"]}})
    # y = g(t(x0, x1), x2) for threshold t and g, checked against a direct composition
    t2 = threshold_tables(2)
    cols = input_columns(3)
    hidden = apply_units(cols[None, :2], t2, 3)[0]
    states = np.stack([hidden, np.full(hidden.size, cols[2])], axis=1)
    expected = np.unique(apply_units(states, t2, 3))
    assert count(chain).count == expected.size


def test_by_class_sums_to_the_count_and_exact_mode_takes_whole_classes():
    r = count("4-2-1", by_class=True)
    sizes = dict(npn_classes(4))
    assert sum(c.computed for c in r.by_class) == r.count
    assert all(c.computed == c.size == sizes[c.representative] for c in r.by_class)
    nonneg = count("3-1", nonneg=True, by_class=True)
    assert sum(c.computed for c in nonneg.by_class) == 20
    assert any(c.computed < c.size for c in nonneg.by_class)


def test_result_record():
    r = count("4-2-1")
    d = r.to_dict()
    assert {"count", "total", "capacity_bits", "method", "bounds", "time_s"} <= d.keys()
    assert d["total"] == 2**16 and d["formula_bits"] == 36
    assert abs(2 ** d["capacity_bits"] - r.count) < 1e-3 * r.count
    assert [baldi_vershynin(Architecture.parse(a)) for a in ("4-1", "3-2-1", "5-2-1", "4-3-2")] == [
        16, 22, 54, 66]


@pytest.mark.parametrize(("method", "kwargs"), [
    ("npn", {"nonneg": True}), ("npn", {"max_bias": 2}), ("npn", {"arch": "3-2-2"}),
    ("perm", {"arch": "3-2-2"}), ("perm", {"arch": "5-1"}),
    ("and-pairs", {"nonneg": True}), ("and-pairs", {"arch": "3-3-1"}), ("bogus", {}),
])
def test_unsound_or_unknown_methods_are_refused(method, kwargs):
    arch = kwargs.pop("arch", "3-2-1")
    with pytest.raises(InputError):
        count(arch, method=method, **kwargs)


@pytest.mark.parametrize(("arch", "method"), [("3-2-1", "npn"), ("3-2-1", "direct"), ("3-2-1", "and-pairs")])
def test_progress_reaches_its_total(arch, method):
    calls = []
    count(arch, method=method, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1]
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:], strict=False))


def test_cli_json_list_and_by_class(tmp_path, capsys):
    listing = tmp_path / "f.txt"
    assert run(["count", "--arch", "3-2-1", "--json", "--list", str(listing)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 254 and data["method"] == "npn"
    lines = listing.read_text().split()
    assert len(lines) == 254 and "96" not in lines and "69" not in lines
    assert run(["count", "--arch", "2-2", "--method", "allsat", "--list", str(listing)]) == 0
    assert "196 of 256" in capsys.readouterr().out
    assert listing.read_text().splitlines()[1] == "1,0"
    assert run(["count", "--arch", "3-1", "--by-class"]) == 0
    assert "6 NPN classes" in capsys.readouterr().out


def test_cli_refuses_unsound_method(capsys):
    assert run(["count", "--arch", "3-1", "--nonneg", "--method", "npn"]) == 2
    assert "unsound" in capsys.readouterr().err


@pytest.mark.parametrize("bits", [12, 40])
def test_table_set_is_a_set_in_both_representations(bits):
    rng = np.random.default_rng(bits)
    batches = [rng.integers(0, 2**bits, size=size, dtype=np.uint64) for size in (5000, 1, 3000)]
    batches.append(batches[0][:100])
    found = TableSet(bits)
    for batch in batches:
        found.add(batch)
    expected = np.unique(np.concatenate(batches))
    assert len(found) == expected.size and np.array_equal(found.keys(), expected)
    found.add_complements()
    full = np.uint64(2**bits - 1)
    assert np.array_equal(found.keys(), np.union1d(expected, expected ^ full))


@pytest.mark.slow
def test_five_input_unit(known):
    assert count("5-1").count == known_count(known, "threshold_functions", 5)
    assert count("5-1", nonneg=True, method="direct").count == known_count(
        known, "nonnegative_threshold_functions", 5)

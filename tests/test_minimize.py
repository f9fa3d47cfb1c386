"""realize.minimize and realize.classify: minima, their witnesses and proofs, NPN invariance, cache."""

import importlib
import json
import random

import pytest

from realize import Architecture, BooleanFunction, Bounds, Status, check, count
from realize.apps.classify import classify
from realize.apps.minimize import (
    MinimumCache,
    architectures,
    minimize,
    transform_network,
)
from realize.backends import racing
from realize.backends.registry import get_backend
from realize.backends.strategy import SatBackend
from realize.cli import run
from realize.errors import InputError
from realize.options import Deadline, Options
from realize.readers.registry import inputs_of
from realize.spec.npn import npn_classes, npn_orbit
from realize.verify import verify_witness
from tests.bruteforce import computable_tables


def fn(table: int, n: int) -> BooleanFunction:
    return BooleanFunction.from_truth_tables(n, [table])


def assert_proven(result, f: BooleanFunction) -> None:
    """The minimum has a witness computing f and a refutation of every smaller size."""
    assert result.minimum is not None
    net = result.network
    verify_witness(net, f, result.bounds)
    assert net.evaluate(f.rows).tolist() == f.values.tolist()
    size = result.minimum
    smallest = f.m if result.skip else 0
    refuted = {a.size for a in result.attempts if a.status is Status.UNREALIZABLE and not a.probe}
    assert refuted >= set(range(smallest, size))
    if size > smallest:
        assert result.proof and all(a.status is Status.UNREALIZABLE for a in result.proof)
        assert {a.size for a in result.proof} == {size - 1}
    else:
        assert result.proof == []


@pytest.mark.parametrize("text, n, skip, expected", [
    ("6", 2, False, 2),          # XOR2: two hidden units
    ("96", 3, False, 3),         # XOR3
    ("6996", 4, False, 4),       # XOR4
    ("e8", 3, False, 0),         # MAJ3: a single unit, no hidden layer
    ("6", 2, True, 2),           # XOR2: two units in all with skip connections
    ("96", 3, True, 2),          # XOR3: MAJ3, then x0 + x1 + x2 - 2*MAJ3 >= 1
    ("e8", 3, True, 1),
])
def test_known_minima(text, n, skip, expected):
    result = minimize(text, n, skip=skip)
    assert result.minimum == expected
    assert_proven(result, result.function)


def test_size_below_is_refuted_by_an_independent_backend():
    """The proof one size below holds on the SMT backend too (z3 over integers)."""
    for text, n, skip in [("96", 3, False), ("6996", 4, True)]:
        result = minimize(text, n, skip=skip)
        for a in result.proof:
            assert check(result.function, a.arch.replace(" skip", ""), skip=skip,
                         backend="smt").status is Status.UNREALIZABLE


def test_row_certificate_one_size_below():
    result = minimize("(x0 ^ x1) | x2", 3, certificate=True)
    assert result.minimum == 2
    [proof] = result.proof
    cert = proof.certificate
    assert cert["kind"] == "rows" and cert["verified"] and cert["minimality"] == "subset-minimal"
    assert cert["rows"] == [0, 1, 2, 3]       # x2 = 0: XOR2 remains, no single hidden unit fits
    rows = result.function.subset(cert["rows"])
    assert check(rows, proof.arch).status is Status.UNREALIZABLE
    assert "no network of that size fits rows [0, 1, 2, 3]" in result.report()
    with pytest.raises(InputError, match="integer bounds"):
        minimize("6", 2, backend="smt-real", certificate=True)


def test_deeper_template_two_equal_hidden_layers():
    result = minimize("96", 3, depth=2)
    k = result.minimum
    assert result.network.arch.describe() == f"3-{k}-{k}-1"
    assert_proven(result, result.function)
    assert [a.arch for a in result.proof] == [f"3-{k - 1}-{k - 1}-1" if k > 1 else "3-1"]


@pytest.mark.parametrize("skip", [False, True])
def test_minima_are_npn_invariant(skip):
    rng = random.Random(7)
    for table, _ in rng.sample(npn_classes(3), 6):
        expected = minimize(fn(table, 3), skip=skip).minimum
        orbit = sorted(npn_orbit(table, 3))
        for other in rng.sample(orbit, min(2, len(orbit))):
            result = minimize(fn(other, 3), skip=skip)
            assert result.minimum == expected
            assert_proven(result, result.function)


def test_multi_output_layered_is_over_n_k_m():
    # AND2 and OR2 are single units: no hidden layer. XOR2 and XNOR2 share two hidden units.
    assert minimize("8,e", 2).minimum == 0
    result = minimize("6,9", 2)
    assert result.minimum == 2 and result.network.arch.describe() == "2-2-2"
    assert_proven(result, result.function)


def test_multi_output_skip_matches_brute_force():
    """Two outputs of two inputs with |w| <= 1: 2 units suffice iff some placement computes them."""
    bounds = Bounds(max_weight=1)
    two_units = set().union(*(computable_tables(a, bounds)
                              for a in architectures(2, 2, 2, skip=True)))
    rng = random.Random(3)
    pairs = [(rng.randrange(16), rng.randrange(16)) for _ in range(12)] + [(8, 14), (6, 9)]
    for pair in pairs:
        f = BooleanFunction.from_truth_tables(2, list(pair))
        result = minimize(f, skip=True, bounds=bounds)
        assert (result.minimum == 2) == (pair in two_units)
        if result.minimum is not None:
            assert_proven(result, f)


def test_skip_architectures_cover_every_output_placement():
    archs = architectures(3, 2, 3, skip=True)
    assert len(archs) == 4                     # (2, 0), (2, 1), (0, 2), (1, 2)
    for a in archs:
        assert a.num_units == 3 and a.num_units - 1 in a.outputs
        assert all(a.fanins[u] == tuple(range(3 + u)) for u in range(3))
    assert architectures(3, 2, 1, skip=True) == []


def test_partial_function_and_explicit_bounds():
    # XOR2 on rows 0, 1, 2 only is OR2: one unit; with |w| <= 0 nothing but constants.
    f = fn(0b0110, 2).subset([0, 1, 2])
    assert minimize(f).minimum == 0
    result = minimize("6", 2, max_weight=0)
    assert result.minimum is None and result.upper is None
    assert result.exit_code == 20 and "no size up to" in result.describe()


def test_unknown_makes_a_range(monkeypatch):
    """A check that runs out of time is reported as a range, never guessed."""
    minimize_module = importlib.import_module("realize.apps.minimize")   # realize.minimize is the function
    real_check = minimize_module.check

    def fake(f, arch, **kw):
        r = real_check(f, arch, **kw)
        if arch.num_units == 2 and not kw["bounds"].max_weight:   # 2-1-1: time out
            r.status, r.network = Status.UNKNOWN, None
        return r

    monkeypatch.setattr(minimize_module, "check", fake)
    result = minimize("6", 2, portfolio=False)  # sizes: 0 refuted, 1 unknown, 2 realizable
    assert (result.lower, result.upper, result.minimum) == (1, 2, None)
    assert result.describe() == "between 1 and 2" and result.exit_code == 0
    data = result.to_dict()
    assert data["hidden_units"] is None and data["exact"] is False and data["network"]


@pytest.mark.parametrize("size, decided_by", [(1, "smt-real"), (2, "sat")])
def test_portfolio_turns_to_real_weights_when_sat_runs_out(monkeypatch, size, decided_by):
    """sat times out once at one size: smt-real refutes size 1 (a refutation over real weights
    refutes integer weights too); at size 2 it finds real weights, and sat is asked again."""
    real_decide = SatBackend.decide
    stalled = []

    def stall_once(self, f, arch, bounds, options, deadline):
        d = real_decide(self, f, arch, bounds, options, deadline)
        if arch.num_units == size + 1 and bounds.max_weight is None and not stalled:
            stalled.append(arch.describe())
            d.status, d.network = Status.UNKNOWN, None
        return d

    monkeypatch.setattr(SatBackend, "decide", stall_once)
    monkeypatch.setattr(racing, "can_race", lambda: False)  # the alternation, deterministic
    result = minimize("6", 2)
    assert result.minimum == 2 and stalled
    full = [a for a in result.attempts if a.size == size and not a.probe]
    assert [a.backend for a in full] == [decided_by]
    if size == 1:
        assert [(a.backend, a.status) for a in result.proof] == [("smt-real", Status.UNREALIZABLE)]
        assert "1 smt-real unrealizable" in result.report()
    else:
        assert full[0].status is Status.REALIZABLE
    assert_proven(result, result.function)


def test_portfolio_slices_alternate_and_add_up():
    """The portfolio backend alternating (one core): a stalled sat slice, then smt over reals."""
    f, arch = BooleanFunction.from_hex("96", 3), Architecture.parse("3-2-1")
    calls = []
    real_decide = SatBackend.decide

    def stall_first(self, f_, arch_, bounds, options, deadline):
        calls.append(options.probe)
        d = real_decide(self, f_, arch_, bounds, options, deadline)
        if len(calls) == 1:
            d.status, d.network = Status.UNKNOWN, None
        return d

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(SatBackend, "decide", stall_first)
        mp.setattr(racing, "can_race", lambda: False)
        d = get_backend("portfolio").decide(f, arch, Bounds(), Options(), Deadline())
    assert d.status is Status.UNREALIZABLE and calls == [True]
    assert [p.stage for p in d.stats.parts] == ["sat", "smt-real"]
    assert d.stats.extra["decided_by"] == "smt-real"
    assert d.stats.time_s >= d.stats.accounted_s


def test_transform_network_follows_the_npn_orbit():
    rng = random.Random(11)
    for table, _ in rng.sample(npn_classes(4), 8):
        for skip in (False, True):
            result = minimize(fn(table, 4), skip=skip)
            orbit = sorted(npn_orbit(table, 4))
            for target in rng.sample(orbit, min(3, len(orbit))):
                net = transform_network(result.network, table, target)
                verify_witness(net, fn(target, 4), Bounds())
    with pytest.raises(ValueError, match="not NPN-equivalent"):
        transform_network(minimize("6", 2).network, 0b0110, 0b1000)


def test_cache_answers_an_equivalent_function_without_searching(tmp_path):
    path = tmp_path / "minima.json"
    cache = MinimumCache(path)
    first = minimize("96", 3, cache=cache)     # XOR3
    assert len(cache) == 1
    cache.save()
    reloaded = MinimumCache(path)
    hit = minimize("69", 3, cache=reloaded)    # XNOR3: same NPN class
    assert hit.minimum == first.minimum == 3 and hit.searched == "96"
    assert [a.to_dict() for a in hit.attempts] == [a.to_dict() for a in first.attempts]
    assert hit.network.function().to_hex() == "69"
    assert hit.to_dict()["searched"] == "96"
    assert_proven(hit, hit.function)
    # another question (skip connections) is another entry
    assert minimize("69", 3, skip=True, cache=reloaded).minimum == 2 and len(reloaded) == 2


def test_cache_keys_by_the_function_where_npn_is_unsound():
    f = fn(0xe8, 3)
    assert MinimumCache.key(f, False, 1, Bounds()).startswith("npn/3/17/")
    for bounds in (Bounds(nonneg=True), Bounds(max_weight=2, max_bias=1)):
        assert MinimumCache.key(f, False, 1, bounds).startswith("fn/3/e8/")
    cache = MinimumCache()
    minimize(fn(0xe8, 3), nonneg=True, cache=cache)
    # the complement of MAJ3 is NPN-equivalent but needs negative weights
    assert minimize(fn(0x17, 3), nonneg=True, cache=cache).minimum is None


def test_bad_cache_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("[1, 2]")
    with pytest.raises(InputError, match="not a JSON object"):
        MinimumCache(path)
    cache = MinimumCache()
    minimize("96", 3, cache=cache)
    [entry] = cache.entries.values()
    entry["network"]["layers"][-1]["bias"] = [5]       # the output unit is now constant 1
    with pytest.raises(InputError, match="cache entry .* is invalid: witness disagrees"):
        minimize("69", 3, cache=cache)


@pytest.mark.parametrize("content, words", [
    (b"1" * 5000, "digits"),
    (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
    (b'{"k": "caf\xe9"}', "not UTF-8"),
    (b'{"k": NaN}', "NaN"),
    (b"{", "not valid JSON"),
])
def test_bad_cache_files_are_one_line_errors(tmp_path, content, words):
    path = tmp_path / "c.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=words) as err:
        MinimumCache(path)
    assert "\n" not in str(err.value) and "cache" in str(err.value)
    with pytest.raises(InputError, match="cannot use the cache"):
        MinimumCache(tmp_path / ("c" * 300 + ".json"))  # a name too long for the file system


@pytest.mark.parametrize("entry", [[], "x", {"network": 5}, {}])
def test_malformed_cache_entries_are_input_errors(entry):
    cache = MinimumCache()
    f = fn(0x96, 3)
    key = MinimumCache.key(f, False, 1, Bounds())
    cache.entries[key] = entry
    with pytest.raises(InputError, match="cache entry .* is invalid"):
        cache.lookup(key, f, False, 1, Bounds())


def test_inputs_from_the_function_text(tmp_path):
    assert inputs_of("6996") == 4 and inputs_of("0xe8") == 3 and inputs_of("e8,17") == 3
    assert inputs_of("6") is None and inputs_of("abc") is None and inputs_of("xor") is None
    pla = tmp_path / "f.pla"
    pla.write_text(".i 3\n.o 1\n111 1\n.e\n")
    assert inputs_of(str(pla)) == 3
    assert minimize(str(pla)).minimum == 0
    with pytest.raises(InputError, match="--inputs"):
        minimize("xor")
    with pytest.raises(InputError, match="5 inputs, not 3"):
        minimize(fn(0, 5), 3)
    with pytest.raises(InputError, match="--depth"):
        minimize("6", 2, depth=0)
    with pytest.raises(InputError, match="--depth"):
        minimize("6", 2, depth=2, skip=True)


def test_classify_three_inputs(known):
    c = classify(3, workers=1)
    assert len(c.classes) == known["npn_classes_all_functions"]["count"][3]
    dist = {d["size"]: d for d in c.distribution()}
    assert sum(d["functions"] for d in dist.values()) == 256
    assert dist[0]["functions"] == known["threshold_functions"]["count"][3]
    assert dist[0]["classes"] == known["npn_classes_threshold_functions"]["count"][3]
    assert dist[3]["functions"] == 2           # only XOR3 and XNOR3 need 3 (3-2-1 does the rest)
    for e in c.classes:
        assert_proven(e.result, fn(e.representative, 3))
    data = c.to_dict()
    assert data["num_functions"] == 256 and len(data["classes"]) == 14
    assert {"representative", "class_size", "hidden_units", "network", "proof"} <= \
        set(data["classes"][0])
    xor3 = next(c for c in data["classes"] if c["representative"] == "69")
    assert xor3["arch"] == "3-3-1" and xor3["proof"][0]["arch"] == "3-2-1"


@pytest.mark.parametrize("n", [2, 3])
def test_classification_agrees_with_counting(n):
    """Functions of minimum <= k are exactly those `realize.count` finds n-k-1 (or the k-unit
    chain with skips) to compute: two independent routes to the same numbers."""
    for skip in (False, True):
        dist = classify(n, skip=skip, workers=1).distribution()
        for k in range(1, 4):
            widths = [n] + ([1] * k if skip else [k, 1])
            within = sum(d["functions"] for d in dist if d["size"] <= k)
            assert count(Architecture.layered(widths, skip=skip)).count == within, (skip, k)


def test_classify_in_worker_processes_agrees_and_fills_the_cache():
    cache = MinimumCache()
    pooled_steps: list[tuple[int, int | None]] = []
    pooled = classify(2, skip=True, workers=2, cache=cache,
                      progress=lambda *step: pooled_steps.append(step))
    assert len(cache) == 4
    alone_steps: list[tuple[int, int | None]] = []
    alone = classify(2, skip=True, workers=1, progress=lambda *step: alone_steps.append(step))
    assert pooled_steps == alone_steps == [(1, 4), (2, 4), (3, 4), (4, 4)]  # one step a class
    assert [e.result.minimum for e in pooled.classes] == [e.result.minimum for e in alone.classes]
    again_steps: list[tuple[int, int | None]] = []
    again = classify(2, skip=True, workers=2, cache=cache,         # every class from the cache
                     progress=lambda *step: again_steps.append(step))
    assert all(e.result.searched is None for e in again.classes) and again_steps == []
    assert [[a.to_dict() for a in e.result.attempts] for e in again.classes] == \
        [[a.to_dict() for a in e.result.attempts] for e in pooled.classes]   # same times: no rerun
    assert [d["size"] for d in again.distribution()] == [1, 2]


def test_classify_bad_input():
    with pytest.raises(InputError, match="0 to 4 inputs"):
        classify(5)
    with pytest.raises(InputError, match="--jobs"):
        classify(2, workers=0)


def test_cli_minimize(capsys, tmp_path):
    assert run(["minimize", "6", "--inputs", "2", "--json"]) == 10
    data = json.loads(capsys.readouterr().out)
    assert data["hidden_units"] == 2 and data["arch"] == "2-2-1" and data["time_s"] >= 0
    assert data["network"]["layers"] and data["proof"][0]["status"] == "unrealizable"
    assert run(["minimize", "6996", "--skip", "--json"]) == 10
    data = json.loads(capsys.readouterr().out)
    assert data["units"] == 3 and "hidden_units" not in data
    save, cache = tmp_path / "net.json", tmp_path / "cache.json"
    assert run(["minimize", "e8", "--save", str(save), "--cache", str(cache)]) == 10
    out = capsys.readouterr().out
    assert out.startswith("minimum: 0 hidden units") and "witness:  3-1" in out
    assert json.loads(save.read_text())["layers"] and len(json.loads(cache.read_text())) == 1
    assert run(["minimize", "6", "--inputs", "2", "--max-units", "1"]) == 20
    assert run(["minimize", "6", "--inputs", "2", "--layered", "--skip"]) == 2
    assert run(["minimize", "xor"]) == 2
    assert "--inputs" in capsys.readouterr().err


def test_cli_classify(capsys):
    assert run(["classify", "--inputs", "2", "--jobs", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["num_classes"] == 4 and data["distribution"][-1] == \
        {"size": 2, "classes": 1, "functions": 2}
    assert run(["classify", "--inputs", "3", "--skip", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "14 NPN classes" in out and "units in all" in out
    assert run(["classify", "--inputs", "9"]) == 2


@pytest.mark.slow
def test_classify_four_inputs(known):
    c = classify(4)
    dist = {d["size"]: d for d in c.distribution()}
    assert len(c.classes) == known["npn_classes_all_functions"]["count"][4]
    assert sum(d["functions"] for d in dist.values()) == 2**16
    assert dist[0]["functions"] == known["threshold_functions"]["count"][4]
    assert dist[4]["functions"] == 2           # 4-3-1 computes all but XOR4 and XNOR4
    assert None not in dist
    assert count("4-2-1").count == dist[0]["functions"] + dist[2]["functions"]
    skips = {d["size"]: d for d in classify(4, skip=True).distribution()}
    assert sum(d["functions"] for d in skips.values()) == 2**16 and max(skips) == 3
    assert count("4-1-1", skip=True).count == skips[1]["functions"] + skips[2]["functions"]

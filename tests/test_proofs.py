"""Proof bundles (realize/explain/proofs.py): every route writes a bundle that checks, every kind of
tampering fails `realize proof check`, and the case list and the 2-asummability step are checked
against independent enumerations."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from realize import check
from realize.apps.suite import load_suite
from realize.backends import cases
from realize.cli import run
from realize.encodings.asummable import asummable_quadruples
from realize.explain import proofs
from realize.explain.proofs import check_bundle, write_bundle
from realize.explain.separation import (
    HullPoint,
    is_monotone,
    is_regular,
    regular_monotone_functions,
    regular_positive_threshold_functions,
    separate,
    threshold_certificate,
)
from realize.readers.registry import parse_function
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction
from tests.conftest import ROOT

pytest.importorskip("dratify")


def bundle(tmp_path: Path, function: str, arch: str, name: str = "b", **bounds) -> Path:
    a = Architecture.parse(arch)
    f = parse_function(function, a.n_inputs)
    folder = tmp_path / name
    b = write_bundle(f, a, Bounds(**bounds), folder)
    assert b.proof_checked, b
    return folder


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def save(folder: Path, data: dict) -> None:
    (folder / "manifest.json").write_text(json.dumps(data))


def cli_check(folder: Path) -> int:
    return run(["proof", "check", str(folder)])


# -- every route -------------------------------------------------------------------------------

@pytest.mark.parametrize("function, arch, bounds, route", [
    ("96", "3-2-1", {}, "cases"),                     # XOR3: the case split, with dual images
    ("parity", "4-3-1", {}, "cases"),
    ("6", "2-2-1", {"nonneg": True}, "plain"),        # realizable over reals: the cases fail
    ("x0 & (x1 | x2)", "3-1", {"max_weight": 1}, "plain"),  # threshold, not with |w| <= 1
    ("x0 & x1 | x2 & x3", "4-1", {}, "farkas"),
    # exact mode on 8-1-1 (fan-in 8: neither the case split nor the CNF): one hidden unit
    ("22bbb2fbfbffffffb3ff73fffffff7ff20b2203333ff33f73073103333f73173", "8-1-1", {}, "farkas"),
    ("6996", "4-2-1", {"max_weight": 2}, "cases"),    # refuted for real weights, so for |w| <= 2
])
def test_every_route_writes_a_bundle_that_checks(tmp_path, capsys, function, arch, bounds, route):
    folder = bundle(tmp_path, function, arch, **bounds)
    data = manifest(folder)
    assert data["route"] == route and data["unproven"] == []
    assert all(p["checked"] is True and p["lines"] > 0 for p in data["parts"])
    for part in data["parts"]:  # the files are plain DIMACS and DRAT, for any checker
        assert (folder / part["cnf"]).read_text().splitlines()[0].startswith("c ")
        assert all(ln.split()[-1] == "0" for ln in (folder / part["proof"]).read_text().splitlines())
    assert check_bundle(folder).ok
    assert cli_check(folder) == 20
    assert "PROOF CHECKED" in capsys.readouterr().out


def test_chain_steps_point_to_anchors_in_the_encoding_notes():
    text = (ROOT / "encodings" / "cnf.md").read_text()
    anchors = {re.sub(r"[^a-z0-9 -]", "", h.strip().lower()).replace(" ", "-")
               for h in re.findall(r"^#+ (.*)$", text, flags=re.M)}
    steps = [proofs.ROW_SUBSET, *itertools.chain(*proofs.CHAINS.values())]
    for step in steps:
        doc, anchor = step["argument"].split("#")
        assert doc == "encodings/cnf.md" and anchor in anchors, step["step"]


def test_case_bundle_covers_every_case_once_and_uses_duals(tmp_path):
    folder = bundle(tmp_path, "parity", "4-3-1")
    data = manifest(folder)
    k_cases = [t for t, _, _ in cases.regular_positive_functions(3)]
    assert len(data["cases"]) == len(k_cases) == 10
    covered = sorted([p["case"] for p in data["parts"]] + [i["case"] for i in data["images"]])
    assert covered == list(range(10)) and data["images"]  # parity: negating an input flips f
    assert [s["step"] for s in data["chain"]] == ["case-normalization", "case-list-complete",
                                                  "2-asummability", "case-clauses",
                                                  "symmetry-breaking", "dual-cases", "drat"]
    assert all(p["symmetries"] for p in data["parts"])  # parity's input symmetries at least


# -- tampering ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def parity4(tmp_path_factory) -> Path:
    return bundle(tmp_path_factory.mktemp("proofs"), "parity", "4-3-1")


@pytest.fixture
def copy(parity4, tmp_path) -> Path:
    folder = tmp_path / "copy"
    shutil.copytree(parity4, folder)
    return folder


def longest(folder: Path) -> dict:
    """The part with the longest proof among those that derive clauses (a CNF that unit
    propagation refutes gets the proof "0", and any proof checks)."""
    parts = [p for p in manifest(folder)["parts"]
             if any(line != "0" and not line.startswith("d")
                    for line in (folder / p["proof"]).read_text().splitlines())]
    return max(parts, key=lambda p: p["lines"])


def test_truncated_or_emptied_proof_fails(copy):
    part = longest(copy)
    path = copy / part["proof"]
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:len(lines) // 4]) + "\n")  # a quarter of it, no empty clause
    assert cli_check(copy) == 1
    path.write_text("0\n")  # the empty clause alone: not by unit propagation
    verdict = check_bundle(copy)
    assert not verdict.ok and not next(v for v in verdict.verdicts if v.name == f"{part['name']}.drat").ok


def test_corrupted_cnf_fails(copy):
    part = longest(copy)
    path = copy / part["cnf"]
    lines = path.read_text().splitlines()
    del lines[-1]  # a weaker CNF: the proof may still check, the comparison must not
    path.write_text("\n".join(lines) + "\n")
    verdict = check_bundle(copy)
    assert not verdict.ok and not next(v for v in verdict.verdicts if v.name == part["cnf"]).ok
    assert cli_check(copy) == 1


def test_dropped_case_fails(copy):
    data = manifest(copy)
    dropped = data["parts"].pop()["case"]
    save(copy, data)
    assert cli_check(copy) == 1  # coverage
    data["cases"] = [c for c in data["cases"] if c["index"] != dropped]
    save(copy, data)
    verdict = check_bundle(copy)
    failed = {v.name for v in verdict.verdicts if not v.ok}
    assert {"case-list", "case-list-complete"} <= failed


def test_edited_question_fails(copy):
    data = manifest(copy)
    data["question"]["function"]["hex"] = "6997"
    save(copy, data)
    assert cli_check(copy) == 1
    data["question"]["function"]["hex"] = "6996"
    data["question"]["arch"]["layers"] = "4-3-1-1"
    save(copy, data)
    assert cli_check(copy) == 1


def test_edited_chain_unproven_or_image_fails(copy):
    data = manifest(copy)
    edited = json.loads(json.dumps(data))
    edited["chain"] = edited["chain"][1:]
    save(copy, edited)
    assert cli_check(copy) == 1
    edited = json.loads(json.dumps(data))
    edited["unproven"] = ["something"]
    save(copy, edited)
    assert cli_check(copy) == 1
    edited = json.loads(json.dumps(data))
    edited["images"][0]["image_of"] = next(p["name"] for p in data["parts"]
                                           if p["name"] != data["images"][0]["image_of"])
    save(copy, edited)
    assert cli_check(copy) == 1
    (copy / "manifest.json").write_text("{not json")
    assert cli_check(copy) == 1


def test_a_map_that_is_no_symmetry_or_a_dropped_one_fails(copy):
    data = manifest(copy)
    edited = json.loads(json.dumps(data))
    record = edited["symmetries"][0]
    record["xor"] = 1  # negating x0 flips parity: not a symmetry of any case's clauses
    record["inputs"] = list(range(4))
    save(copy, edited)
    verdict = check_bundle(copy)
    failed = {v.name for v in verdict.verdicts if not v.ok}
    users = [p["name"] for p in data["parts"] if record["name"] in p["symmetries"]]
    assert not verdict.ok and {f"{name}.symmetries" for name in users} & failed
    edited = json.loads(json.dumps(data))
    part = next(p for p in edited["parts"] if p["symmetries"])
    part["symmetries"].pop()  # its lex-leader clauses stay in the CNF: no longer regenerated
    save(copy, edited)
    assert f"{part['name']}.cnf" in {v.name for v in check_bundle(copy).verdicts if not v.ok}


@pytest.mark.parametrize("k", [2, 3])
def test_lex_leader_clauses_keep_every_satisfiable_case_satisfiable(k):
    """For every function of 3 inputs and every case: the case's clauses alone and with the
    lex-leader clauses of its symmetries are satisfiable together or not at all, and the
    independent checker regenerates exactly the clauses realize writes."""
    from pysat.solvers import Solver

    from realize.explain.independent import lex_leader_clauses, literal_map

    arch = Architecture.parse(f"3-{k}-1")
    disagree, compared = [], 0
    for code in range(256):
        f = BooleanFunction.from_hex(f"{code:02x}", 3)
        keeps, flips = cases.split_input_symmetries(f, arch, Bounds())
        for i, (table, v, b) in enumerate(cases.regular_positive_functions(k)):
            syms = keeps + cases.case_symmetries(table, k, 3, flips)
            _, own = proofs.case_cnf(f, k, i, table, v, b)
            _, broken = proofs.case_cnf(f, k, i, table, v, b, syms)
            free, ours = k * 8 + 1, []
            for sym in syms:
                extra, free = lex_leader_clauses(literal_map(sym.to_record(), 3, k), free)
                ours += extra
            assert sorted(map(sorted, broken[len(own):])) == sorted(map(sorted, ours))
            with Solver(bootstrap_with=own) as a, Solver(bootstrap_with=broken) as c:
                compared += bool(syms)
                if a.solve() != c.solve():
                    disagree.append((f.to_hex(), i))
    assert not disagree and compared > 100


def test_tampered_plain_and_farkas_bundles_fail(tmp_path):
    plain = bundle(tmp_path, "6", "2-2-1", "plain", nonneg=True)
    cnf = plain / "plain.cnf"
    cnf.write_text(cnf.read_text().replace("p cnf", "c edited\np cnf", 1))
    assert cli_check(plain) == 1
    farkas = bundle(tmp_path, "x0 & x1 | x2 & x3", "4-1", "farkas")
    data = manifest(farkas)
    row, weight = next(iter(data["farkas"]["ones"].items()))
    data["farkas"]["ones"][row] = "1/3"
    save(farkas, data)
    assert cli_check(farkas) == 1
    data["farkas"]["ones"][row] = weight
    data["farkas"]["zeros"] = {"15": "1"}  # not a row where f = 0
    save(farkas, data)
    assert cli_check(farkas) == 1


def test_missing_bundle_is_bad_input(tmp_path):
    assert run(["proof", "check", str(tmp_path / "nothing")]) == 2


# -- the case list: an independent enumeration -------------------------------------------------

def brute_force_regular_monotone(k: int) -> set[tuple[int, ...]]:
    """Every truth table of k inputs, filtered by the definitions (numpy)."""
    size = 2**k
    tables = (np.arange(2**size, dtype=np.int64)[:, None] >> np.arange(size)[None, :]) & 1
    ok = np.ones(len(tables), dtype=bool)
    for p in range(size):
        for u in range(k):
            ok &= tables[:, p] <= tables[:, p | 1 << u]
        for i, j in itertools.combinations(range(k), 2):
            if not p >> i & 1 and p >> j & 1:
                ok &= tables[:, p] <= tables[:, p ^ (1 << i) ^ (1 << j)]
    return {tuple(int(x) for x in t) for t in tables[ok]}


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_regular_monotone_enumeration_matches_brute_force(k):
    assert set(regular_monotone_functions(k)) == brute_force_regular_monotone(k)


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_completeness_checker_agrees_with_the_case_split(k):
    listed = {t for t, _, _ in cases.regular_positive_functions(k)}
    found = regular_positive_threshold_functions(k)
    assert set(found) == listed
    for table, cert in found.items():
        assert is_monotone(table, k) and is_regular(table, k)
        ones = [tuple(p >> u & 1 for u in range(k)) for p in range(2**k) if table[p]]
        zeros = [tuple(p >> u & 1 for u in range(k)) for p in range(2**k) if not table[p]]
        assert cert.holds(ones, zeros)


def test_threshold_certificates_both_ways():
    # x0 x1 | x2 x3 (monotone, not regular): not threshold; the certificate says why
    table = tuple(int(bool(p & 1 and p & 2) or bool(p & 4 and p & 8)) for p in range(16))
    assert is_monotone(table, 4) and not is_regular(table, 4)
    cert = threshold_certificate(table, 4)
    assert isinstance(cert, HullPoint)
    ones = [tuple(p >> u & 1 for u in range(4)) for p in range(16) if table[p]]
    zeros = [tuple(p >> u & 1 for u in range(4)) for p in range(16) if not table[p]]
    assert cert.holds(ones, zeros)
    bad = HullPoint(dict(cert.lam), {**cert.mu, next(iter(cert.mu)): 2}, cert.point)
    assert not bad.holds(ones, zeros)
    assert separate([(1, 1)], [(0, 0), (0, 1), (1, 0)]).holds([(1, 1)], [(0, 0), (0, 1), (1, 0)])


# -- 2-asummability ----------------------------------------------------------------------------

def threshold_tables(n: int) -> set[tuple[int, ...]]:
    """Every threshold function of n inputs, by brute force over integer weights |w| <= W*(n)."""
    from realize.spec.bounds import exact_max_weight

    w = exact_max_weight(n)
    bits = (np.arange(2**n)[:, None] >> np.arange(n)[None, :]) & 1
    vectors = np.array(list(itertools.product(range(-w, w + 1), repeat=n)), dtype=np.int64)
    sums = bits @ vectors.T  # (rows, vectors)
    out = set()
    for bias in range(-n * w - 1, n * w + 1):
        for col in (sums + bias >= 0).T:
            out.add(tuple(int(x) for x in col))
    return out


@pytest.mark.parametrize("n", [2, 3, 4])
def test_threshold_columns_satisfy_the_asummability_clauses(n):
    """The theorem behind step 2-asummability, on every threshold function of n <= 4 inputs;
    for n <= 4 the converse holds too (so the relaxation is exact there)."""
    quads = asummable_quadruples(n)
    tables = threshold_tables(n)
    assert len(tables) == {2: 14, 3: 104, 4: 1882}[n]
    for t in tables:
        y = np.array(t)
        assert not np.any(y[quads[:, 0]] & y[quads[:, 1]] & (1 - y[quads[:, 2]]) & (1 - y[quads[:, 3]]))
    every = (np.arange(2 ** 2**n, dtype=np.int64)[:, None] >> np.arange(2**n)[None, :]) & 1
    violated = np.zeros(len(every), dtype=bool)
    for a, b, c, d in quads:
        violated |= (every[:, a] & every[:, b] & (1 - every[:, c]) & (1 - every[:, d])).astype(bool)
    assert int((~violated).sum()) == len(tables)


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_asummable_quadruples_match_the_definition(n):
    ours = proofs.independent_asummability(n, 1)
    theirs = {tuple(sorted((-(1 + a), -(1 + b), 1 + c, 1 + d)))
              for a, b, c, d in asummable_quadruples(n).tolist()}
    assert set(ours) == theirs and all(v == 1 for v in ours.values())


# -- check --proof, the command line, the smoke suite ------------------------------------------

def test_check_records_proof_checked_and_cli_no_check(tmp_path, capsys):
    r = check("96", "3-2-1", proof=str(tmp_path / "a"))
    data = r.to_dict()
    assert data["proof_checked"] is True and data["proof"]["route"] == "cases"
    assert "bundle" in str(r) and r.certificate is None
    code = run(["check", "96", "--arch", "3-2-1", "--proof", str(tmp_path / "b"), "--json",
                "--no-check-proof"])
    data = json.loads(capsys.readouterr().out)
    assert code == 20 and data["proof"]["checked"] is None and data["proof_checked"] is False
    assert cli_check(tmp_path / "b") == 20
    # the same folder again replaces the bundle
    assert run(["check", "96", "--arch", "3-2-1", "--proof", str(tmp_path / "b")]) == 20
    # nothing written for a realizable answer; a bad folder is bad input before solving
    assert run(["check", "96", "--arch", "3-3-1", "--proof", str(tmp_path / "c")]) == 10
    assert not (tmp_path / "c").exists()
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.txt").write_text("mine")
    assert run(["check", "96", "--arch", "3-2-1", "--proof", str(tmp_path / "d")]) == 2
    assert run(["check", "96", "--arch", "3-2-1", "--proof", str(tmp_path / "no" / "e")]) == 2


def test_certificate_rows_get_a_bundle_of_their_own(tmp_path):
    r = check("parity", "4-3-1", certificate=True, proof=str(tmp_path / "p"))
    data = manifest(tmp_path / "p")
    assert data["chain"][0]["step"] == "row-subset" and "restricts" in data
    assert r.certificate.proof_checked and check_bundle(tmp_path / "p").ok


def test_wide_single_unit_gets_a_farkas_bundle(tmp_path):
    rng = np.random.default_rng(5)
    rows = np.sort(rng.choice(256, size=40, replace=False)).astype(np.uint64)
    f = BooleanFunction(8, rows, rng.integers(0, 2, (1, 40)))
    r = check(f, "8-1", proof=str(tmp_path / "w"))  # exact mode, fan-in 8: no CNF
    assert r.proof.route == "farkas" and r.proof.proof_checked


def test_unproven_route_says_why(tmp_path, capsys):
    # z3 over reals refutes parity 4 on 4-1-1 with skip connections: no checkable route
    r = check("parity", Architecture.parse("4-1-1", skip=True), backend="smt-real",
              proof=str(tmp_path / "u"))
    assert r.status.value == "unrealizable"
    assert r.proof.route == "none" and not r.proof.proof_checked and r.proof.unproven
    assert "smt-real" in r.proof.unproven[0] and "integer bounds" in r.proof.unproven[0]
    assert cli_check(tmp_path / "u") == 1
    assert "UNPROVEN" in capsys.readouterr().out


def test_every_unrealizable_smoke_instance_gets_a_checked_bundle(tmp_path):
    instances = [i for i in load_suite(ROOT / "instances" / "smoke.jsonl") if i.expected == "unrealizable"]
    assert len(instances) >= 4
    for inst in instances:
        arch = inst.architecture()
        f = parse_function(inst.function, arch.n_inputs, base_dir=Path(inst.base_dir))
        r = check(f, arch, max_weight=inst.max_weight, max_bias=inst.max_bias, nonneg=inst.nonneg,
                  proof=str(tmp_path / inst.id))
        assert r.status.value == "unrealizable" and r.proof.proof_checked, inst.id
        assert check_bundle(tmp_path / inst.id).ok


def test_readme_section_runs_as_written(tmp_path):
    """The shell lines of README's "Checking an UNREALIZABLE answer yourself" run, in order."""
    import subprocess
    import sys

    text = (ROOT / "README.md").read_text()
    section = text.split("## Checking an UNREALIZABLE answer yourself", 1)[1].split("\n## ", 1)[0]
    commands = [ln[2:] for ln in section.splitlines() if ln.startswith("$ ")]
    assert len(commands) >= 3
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    for command in commands:
        argv = __import__("shlex").split(command)
        if argv[0] == "realize":
            argv = [sys.executable, "-m", "realize", *argv[1:]]
        elif argv[0] == "python":
            argv = [sys.executable, *argv[1:]]
        done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode in (0, 20), (command, done.stdout, done.stderr)
        assert "PROOF NOT CHECKED" not in done.stdout and "False" not in done.stdout


def test_a_realizable_question_gets_no_bundle(tmp_path):
    """A bundle is never written for a question that has a network: the plain CNF's model is
    decoded, verified, and reported as a wrong UNREALIZABLE answer."""
    from realize.errors import VerificationError

    with pytest.raises(VerificationError, match="UNREALIZABLE answer is wrong"):
        write_bundle(BooleanFunction.from_hex("8", 2), Architecture.parse("2-1"), Bounds(),
                     tmp_path / "and2")
    with pytest.raises(VerificationError):  # the case split fails over the reals, then the CNF
        write_bundle(BooleanFunction.from_hex("96", 3), Architecture.parse("3-3-1"), Bounds(),
                     tmp_path / "xor3")


def test_plain_route_refutes_a_core_of_the_rows(tmp_path):
    """x0 & (x1 | x2) with |w| <= 1 on all 8 rows: the plain route refutes a core of them, and
    the checked step row-subset ties it to the question."""
    f = parse_function("x0 & (x1 | x2)", 3)
    b = write_bundle(f, Architecture.parse("3-1"), Bounds(max_weight=1), tmp_path / "core")
    data = manifest(tmp_path / "core")
    assert b.proof_checked and data["chain"][0]["step"] == "row-subset"
    assert len(data["question"]["function"]["rows"]) < 8 and data["restricts"]["hex"] == f.to_hex()
    edited = json.loads(json.dumps(data))
    edited["restricts"]["hex"] = "e8"  # majority: differs from f on row 6, a core row
    save(tmp_path / "core", edited)
    assert cli_check(tmp_path / "core") == 1

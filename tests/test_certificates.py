"""Row certificates: unrealizable, minimal (checked independently with z3), smallest <= minimal;
DRAT proofs check and corrupted ones do not; check() and the CLI report them."""

import json
import random

import numpy as np
import pytest

from realize import Architecture, BooleanFunction, Bounds, check
from realize.backends.registry import decide
from realize.cli import run
from realize.errors import InputError
from realize.explain.certificates import check_drat, row_certificate, write_proof
from realize.results import Status


def smt_status(f, arch, bounds, positions):
    """An independent decision (z3, no CNF) on the rows at positions."""
    return decide(f.subset(positions), arch, bounds, backend="smt").status


def random_unrealizable(seed):
    """A random (partial) function that no network of the architecture computes."""
    rng = random.Random(seed)
    while True:
        n = rng.randint(2, 4)
        arch = Architecture.parse(rng.choice([f"{n}-1", f"{n}-1-1", f"{n}-1"]))
        bounds = Bounds(max_weight=rng.choice([None, 1])) if n < 4 else Bounds()
        care = [r for r in range(2**n) if rng.random() < 0.85]
        f = BooleanFunction(n, np.array(care, dtype=np.uint64),
                            np.array([[rng.randint(0, 1) for _ in care]]))
        if decide(f, arch, bounds).status is Status.UNREALIZABLE:
            return f, arch, bounds


@pytest.mark.parametrize("seed", range(3))
def test_certificates_with_hidden_symmetry_rules_under_selectors(seed):
    rng = np.random.default_rng(seed)
    arch = Architecture.parse("4-2-1")
    while True:  # a partial function (no input symmetries): only the hidden rules apply
        care = np.flatnonzero(rng.random(16) < 0.75).astype(np.uint64)
        f = BooleanFunction(4, care, rng.integers(0, 2, (1, care.size)))
        if decide(f, arch, Bounds()).status is Status.UNREALIZABLE:
            break
    cert = row_certificate(f, arch, Bounds())
    assert {"hidden-order", "hidden-negation"} <= set(cert.stats["symmetry"])
    assert smt_status(f, arch, Bounds(), cert.positions) is Status.UNREALIZABLE
    for k in range(len(cert.positions)):
        rest = cert.positions[:k] + cert.positions[k + 1:]
        assert smt_status(f, arch, Bounds(), rest) is Status.REALIZABLE


def test_xor2_on_one_unit_needs_all_four_rows():
    f = BooleanFunction.from_hex("6", 2)
    cert = row_certificate(f, Architecture.parse("2-1"), Bounds())
    assert cert.rows == [0, 1, 2, 3] and cert.values == [[0, 1, 1, 0]] and cert.verified


@pytest.mark.parametrize("seed", range(16))
def test_certificates_are_unrealizable_and_minimal(seed):
    f, arch, bounds = random_unrealizable(seed)
    cert = row_certificate(f, arch, bounds)
    assert cert.verified and cert.minimality == "subset-minimal"
    assert cert.rows == [int(f.rows[p]) for p in cert.positions]
    assert cert.values == f.values[:, cert.positions].tolist()
    assert smt_status(f, arch, bounds, cert.positions) is Status.UNREALIZABLE
    for k in range(len(cert.positions)):
        rest = cert.positions[:k] + cert.positions[k + 1:]
        assert smt_status(f, arch, bounds, rest) is Status.REALIZABLE
    smallest = row_certificate(f, arch, bounds, smallest=True)
    assert smallest.minimality == "minimum" and smallest.verified
    assert len(smallest.rows) <= len(cert.rows)
    assert smt_status(f, arch, bounds, smallest.positions) is Status.UNREALIZABLE


def test_smallest_is_strictly_smaller_when_a_large_mus_exists():
    # x0x1 v x2x3 on one unit: the 4-row argument (1100, 0011 on; 0110, 1001 off) is minimum
    f = check("x0 & x1 | x2 & x3", "4-1").function
    cert = row_certificate(f, Architecture.parse("4-1"), Bounds(), smallest=True)
    assert sorted(cert.rows) == [3, 6, 9, 12] and cert.values == [[1, 0, 0, 1]]


def test_certificate_within_cegis_rows_and_symmetry():
    # XOR3 on 3-2-1: the f-symmetry rules of the full encoding must not leak into row subsets
    r = check("96", "3-2-1", certificate=True, cegis=True)
    assert r.status is Status.UNREALIZABLE and r.certificate.verified
    assert r.certificate.rows == list(range(8))
    with pytest.raises(InputError):
        row_certificate(BooleanFunction.from_hex("8", 2), Architecture.parse("2-1"), Bounds())


def test_proofs_check_and_corrupted_proofs_do_not(tmp_path):
    f = BooleanFunction.from_hex("96", 3)
    arch = Architecture.parse("3-2-1")
    path = tmp_path / "xor3.drat"
    assert write_proof(f, arch, Bounds(), range(8), path) is True
    cnf, proof = (tmp_path / "xor3.drat.cnf").read_text(), path.read_text()
    assert check_drat(cnf, proof)
    lines = proof.splitlines()
    assert lines[-1] == "0" and len(lines) > 1
    assert not check_drat(cnf, "0\n")  # the lemmas are needed: not refutable by propagation
    assert not check_drat(cnf, "\n".join(lines[:-1]) + "\n")  # no empty clause
    # a lemma that contradicts a unit clause of the formula is neither RUP nor RAT
    unit = next(ln for ln in cnf.splitlines()[::-1] if len(ln.split()) == 2 and ln != "1 0")
    assert not check_drat(cnf, f"{-int(unit.split()[0])} 0\n" + proof)


def test_check_reports_certificate_and_proof(tmp_path):
    proof = tmp_path / "bundle"  # --proof with --certificate: a proof bundle of the certificate rows
    r = check("x0 & x1 | x2 & x3", "4-1", certificate=True, proof=str(proof))
    cert = r.to_dict()["certificate"]
    assert cert["kind"] == "rows" and cert["verified"] and cert["proof_checked"] is True
    assert (proof / "manifest.json").exists() and r.to_dict()["proof_checked"] is True
    assert smt_status(r.function, r.arch, r.bounds,
                      [int(np.searchsorted(r.function.rows, x)) for x in cert["rows"]]
                      ) is Status.UNREALIZABLE
    assert "certificate" not in check("e8", "3-1", certificate=True).to_dict()


def test_cli_prints_certificate_table(capsys):
    code = run(["check", "x0 & x1 | x2 & x3", "--arch", "4-1", "--certificate"])
    out = capsys.readouterr().out
    assert code == 20 and "subset-minimal, verified" in out
    table = [line.split() for line in out.splitlines() if "->" in line][1:]
    assert sorted(table) == [["0011", "->", "1"], ["0110", "->", "0"], ["1001", "->", "0"],
                             ["1100", "->", "1"]]
    code = run(["check", "6", "--arch", "2-1", "--smallest", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["certificate"]["rows"] == [0, 1, 2, 3]
    assert data["certificate"]["values"] == [[0, 1, 1, 0]]
    assert data["certificate"]["minimality"] == "minimum"


def test_wide_units_in_exact_mode_use_fresh_decisions():
    # fan-in 8 in exact mode: weights up to 76, beyond the CNF; the search decides subsets
    rng = np.random.default_rng(5)
    rows = np.sort(rng.choice(256, size=40, replace=False)).astype(np.uint64)
    f = BooleanFunction(8, rows, rng.integers(0, 2, (1, 40)))
    arch = Architecture.parse("8-1")
    r = check(f, arch, certificate=True)
    assert r.status is Status.UNREALIZABLE and r.certificate.verified
    assert r.certificate.minimality == "subset-minimal"
    pos = [int(np.searchsorted(f.rows, x)) for x in r.certificate.rows]
    real = Bounds(real=True)  # unbounded real weights: an independent check of exact mode
    assert decide(f.subset(pos), arch, real, backend="smt-real").status is Status.UNREALIZABLE
    for k in range(len(pos)):
        rest = f.subset(pos[:k] + pos[k + 1:])
        assert decide(rest, arch, real, backend="smt-real").status is Status.REALIZABLE
    with pytest.raises(InputError, match="max-weight"):
        check(f, arch, smallest=True)

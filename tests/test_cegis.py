"""CEGIS agrees with the full encoding; its refuted rows are unrealizable; the default rule."""

import random

import numpy as np
import pytest

from realize import Architecture, BooleanFunction, Bounds, check
from realize.backends.cegis import CEGIS_MIN_ROWS, cegis, prefer_cegis
from realize.backends.registry import decide
from realize.backends.strategy import decide_sat
from realize.cli import run
from realize.errors import InputError
from realize.options import Deadline, Options
from realize.results import Status


@pytest.mark.parametrize("seed", range(16))
def test_cegis_agrees_with_the_full_encoding(seed):
    rng = random.Random(seed)
    n = rng.randint(2, 4)
    arch = Architecture.parse(rng.choice([f"{n}-1", f"{n}-2-1", f"{n}-1-1"]))
    care = [r for r in range(2**n) if rng.random() < 0.8] or [0]
    f = BooleanFunction(n, np.array(care, dtype=np.uint64),
                        np.array([[rng.randint(0, 1) for _ in care]]))
    full = decide(f, arch, Bounds())
    d = cegis(f, arch, Bounds(), Options(), Deadline(), decide=decide_sat, initial=2, seed=seed)
    assert d.status is full.status
    if full.status is Status.REALIZABLE:
        assert not d.network.disagreements(f).any()
    else:  # the rows used are a certificate: unrealizable on their own (z3, no CNF)
        sub = f.subset(d.rows)
        assert decide(sub, arch, Bounds(), backend="smt").status is Status.UNREALIZABLE
    assert d.stats.extra["cegis_rounds"] == len(d.stats.parts) >= 1
    assert 1 <= len(d.rows) == d.stats.extra["cegis_rows"] <= f.num_rows


def test_cegis_on_a_wide_partial_function_uses_few_rows():
    rng = np.random.default_rng(3)
    n, k = 14, 600
    rows = np.sort(rng.choice(2**n, size=k, replace=False)).astype(np.uint64)
    w = rng.integers(-2, 3, n)
    bits = ((rows[:, None] >> np.arange(n, dtype=np.uint64)) & np.uint64(1)).astype(np.int64)
    s = bits @ w
    f = BooleanFunction(n, rows, (s - int(np.median(s)) >= 0).astype(np.int8)[None, :])
    r = check(f, f"{n}-1", max_weight=2)  # the default picks CEGIS for 600 rows on n-1
    cegis_stage = r.stats.find("cegis")
    assert r.status is Status.REALIZABLE and cegis_stage is not None
    assert cegis_stage.extra["cegis_rows"] < k
    assert check(f, f"{n}-1", max_weight=2, cegis=False).stats.find("cegis") is None


def test_default_rule_and_backend_check():
    wide, narrow = BooleanFunction.from_hex("0" * 128, 9), BooleanFunction.from_hex("0" * 64, 8)
    assert (wide.num_rows, narrow.num_rows) == (CEGIS_MIN_ROWS, CEGIS_MIN_ROWS // 2)
    assert prefer_cegis(wide, Architecture.parse("9-1"))
    assert not prefer_cegis(wide, Architecture.parse("9-2-1"))  # hidden units: full encoding
    assert not prefer_cegis(narrow, Architecture.parse("8-1"))
    with pytest.raises(InputError):
        check("96", "3-2-1", backend="smt", cegis=True)


def test_cli_cegis_flag(capsys):
    assert run(["check", "96", "--arch", "3-3-1", "--cegis", "--json"]) == 10
    assert '"cegis": true' in capsys.readouterr().out
    assert run(["check", "96", "--arch", "3-2-1", "--cegis", "--certificate"]) == 20
    assert "8 row(s), subset-minimal, verified" in capsys.readouterr().out


def test_cegis_timeout_gives_unknown():
    f = check("parity", "6-1", max_weight=1).function
    start = Deadline.after(0.2)
    d = cegis(f, Architecture.parse("6-5-1"), Bounds(), Options(), start, decide=decide_sat)
    assert d.status in (Status.UNKNOWN, Status.UNREALIZABLE)

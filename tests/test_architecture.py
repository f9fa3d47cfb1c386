"""The package's architecture contract (import-linter) and the seams a newcomer extends."""

import pytest

from realize import Options, Stats, check
from realize.backends.registry import BACKENDS, get_backend
from realize.readers.registry import READERS
from tests.conftest import ROOT


def test_layers_and_no_cycles():
    """pyproject.toml states the layers (specification up to the command line) and forbids import
    cycles in every package; lint-imports checks both on the code as it is."""
    cli = pytest.importorskip("importlinter.cli", reason="import-linter is not installed")
    assert cli.lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_every_backend_states_its_name_summary_and_refusals():
    for name, backend in BACKENDS.items():
        assert backend.name == name and backend.summary
        assert get_backend(name) is backend
    sat = get_backend("sat")
    from realize.spec.architecture import Architecture
    from realize.spec.bounds import Bounds
    from realize.spec.functions import BooleanFunction

    f, a = BooleanFunction.from_hex("6", 2), Architecture.parse("2-1")
    assert "integer bounds" in sat.refuses(f, a, Bounds(real=True), Options())
    assert sat.refuses(f, a, Bounds(), Options()) is None


def test_every_reader_is_in_one_table():
    names = [r.name for r in READERS]
    assert len(names) == len(set(names)) and {"pla", "csv", "hex", "family"} <= set(names)


def _walk(stats: Stats):
    yield stats
    for part in stats.parts:
        yield from _walk(part)


@pytest.mark.parametrize("function, arch, kw", [
    ("96", "3-3-1", {}),                          # the probe finds it
    ("96", "3-2-1", {}),                          # the case split refutes it
    ("6996", "4-2-1", {"max_weight": 2}),         # the plain CNF
    ("majority", "9-1", {"cegis": True}),         # CEGIS rounds
    ("x0&x1 | x2&x3 | x4&x5", "6-1-1", {"skip": True}),  # z3 beside z3 over reals
    ("96", "3-2-1", {"backend": "portfolio"}),
    ("96", "3-2-1", {"backend": "smt"}),
])
def test_stats_of_every_stage_add_up_to_its_time(function, arch, kw):
    """One schema for every stage; a composite's parts account for its time within 10% (their
    sum, or their maximum when they ran side by side), and a leaf's encoding and solving do."""
    check(function, arch, **kw)  # the first call pays for lazy imports inside numpy and z3
    r = check(function, arch, **kw)
    assert r.stats.time_s <= r.time_s
    for stage in _walk(r.stats):
        assert stage.accounted_s <= stage.time_s * 1.001 + 1e-4, stage.to_dict()
        timed = stage.parts or stage.encode_s or stage.solve_s  # a leaf that encodes or solves
        if timed:  # 5 ms of slack for timer and thread overheads on a loaded machine
            assert stage.accounted_s >= 0.9 * stage.time_s - 0.005, stage.to_dict()
    data = r.stats.to_dict()
    assert {"stage", "time_s", "encode_s", "solve_s", "vars", "clauses", "conflicts"} <= set(data)


def test_the_small_weight_probe_runs_once_per_question(monkeypatch):
    """minimize's probes include the sat strategy's |w| <= 1 question: the full check skips it."""
    from realize.apps import minimize as minimize_module
    from realize.backends import strategy

    seen = []
    real = strategy.decide_cnf

    def spy(f, arch, bounds, options, deadline, **kw):
        seen.append((arch.describe(), bounds.max_weight))
        return real(f, arch, bounds, options, deadline, **kw)

    monkeypatch.setattr(strategy, "decide_cnf", spy)
    minimize_module.minimize("96", 3)
    probes = [s for s in seen if s[1] == 1]
    assert len(probes) == len(set(probes)), seen

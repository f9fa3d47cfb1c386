"""Work on two cores: the racing portfolio (the first decisive answer wins, the loser is killed)
and the case split in worker processes (they agree with one process)."""

import multiprocessing
import time

import pytest

from realize import Architecture, BooleanFunction, Bounds, Status, check
from realize.backends import cases, racing
from realize.backends.racing import Racing, Runner, race
from realize.backends.smt import SmtBackend
from realize.backends.strategy import SatBackend
from realize.errors import InputError
from realize.options import Deadline, Options
from realize.results import Decision, Stats

pytestmark = pytest.mark.skipif(not racing.can_race(), reason="needs fork and two usable cores")

XOR3 = BooleanFunction.from_hex("96", 3)


class Stalling:
    """A backend that answers UNKNOWN after ``seconds`` (or at its deadline, if sooner)."""

    name = summary = "stalling"

    def __init__(self, seconds: float = 60.0):
        self.seconds = seconds

    def refuses(self, f, arch, bounds, options):
        return None

    def decide(self, f, arch, bounds, options, deadline):
        left = deadline.left()
        time.sleep(self.seconds if left is None else min(self.seconds, left))
        return Decision(Status.UNKNOWN, None, Stats(self.name, time_s=self.seconds))


class Failing(Stalling):
    def decide(self, f, arch, bounds, options, deadline):
        raise ValueError("broken member")


def test_refuter_wins_while_main_stalls_and_the_loser_is_killed():
    start = time.perf_counter()
    d = Racing("p", Stalling(), SmtBackend(), head_start=0.05).decide(
        XOR3, Architecture.parse("3-2-1"), Bounds(), Options(), Deadline())
    assert d.status is Status.UNREALIZABLE and d.stats.decided_by == "smt-real"
    assert [p.stage for p in d.stats.parts] == ["stalling", "race"]
    assert time.perf_counter() - start < 30 and not multiprocessing.active_children()


def test_a_relaxation_that_finds_real_weights_does_not_end_the_race():
    """smt over reals realizes XOR3 on 3-3-1 first; only the main backend's answer counts."""
    d = Racing("p", SatBackend(), SmtBackend(), head_start=1e-6).decide(
        XOR3, Architecture.parse("3-3-1"), Bounds(), Options(), Deadline())
    assert d.status is Status.REALIZABLE and d.network.function().to_hex() == "96"
    assert d.stats.decided_by != "smt-real"


def test_the_deadline_ends_a_race_nobody_wins():
    start = time.perf_counter()
    d = Racing("p", Stalling(), Stalling(), head_start=0.05).decide(
        XOR3, Architecture.parse("3-2-1"), Bounds(), Options(), Deadline.after(0.5))
    assert d.status is Status.UNKNOWN and time.perf_counter() - start < 5
    assert not multiprocessing.active_children()


def test_a_member_that_raises_raises_in_the_caller():
    runners = [Runner(Failing(), Bounds(), frozenset({Status.UNREALIZABLE}))]
    with pytest.raises(ValueError, match="broken member"):
        race(runners, XOR3, Architecture.parse("3-2-1"), Options(), Deadline())
    assert not multiprocessing.active_children()


def test_race_reports_every_decision_and_the_winner():
    runners = [Runner(SatBackend(), Bounds(), frozenset({Status.UNREALIZABLE})),
               Runner(Stalling(0.2), Bounds(), frozenset({Status.UNREALIZABLE}))]
    winner, decisions = race(runners, XOR3, Architecture.parse("3-2-1"), Options(), Deadline())
    assert winner == 0 and decisions[0].status is Status.UNREALIZABLE and decisions[1] is None


@pytest.mark.parametrize("table, arch", [("96", "3-3-1"), ("96", "3-2-1"), ("e8", "3-1"),
                                         ("6996", "4-3-1"), ("6996", "4-4-1")])
def test_the_portfolio_agrees_with_sat(table, arch):
    raced = check(table, arch, backend="portfolio")
    assert raced.status is check(table, arch).status is not Status.UNKNOWN


@pytest.mark.parametrize("table, arch", [("6996", "4-3-1"), ("6996", "4-4-1"), ("96", "3-2-1"),
                                         ("1668", "4-2-1"), ("8", "2-1-1"), ("e8", "3-3-1")])
def test_the_case_split_in_worker_processes_agrees_with_one_process(monkeypatch, table, arch):
    """No head start: every case goes to the two workers; their answer is the one-process one,
    and every case is accounted for."""
    monkeypatch.setattr(cases, "HEAD_START", -1.0)
    a = Architecture.parse(arch)
    f = BooleanFunction.from_hex(table, int(arch.split("-")[0]))
    alone = cases.decide_by_cases(f, a, Bounds(), Options(), Deadline())
    split = cases.decide_by_cases(f, a, Bounds(), Options(jobs=2), Deadline())
    assert split.status is alone.status is not Status.UNKNOWN
    assert split.stats.extra["jobs"] == 2 and not multiprocessing.active_children()
    if split.status is Status.UNREALIZABLE:
        assert split.stats.extra["cases_refuted"] == split.stats.extra["cases"]
    else:
        assert split.network.function().to_hex() == f.to_hex()


def test_workers_stop_at_the_deadline(monkeypatch):
    monkeypatch.setattr(cases, "HEAD_START", -1.0)
    f = BooleanFunction.from_hex("96696996699696696996966996696996", 7)
    start = time.perf_counter()
    d = cases.decide_by_cases(f, Architecture.parse("7-6-1"), Bounds(), Options(jobs=2),
                              Deadline.after(1.0))
    assert d.status is Status.UNKNOWN and time.perf_counter() - start < 10
    assert not multiprocessing.active_children()


def test_jobs_must_be_positive():
    with pytest.raises(InputError, match="--jobs must be a positive whole number"):
        Options(jobs=0)

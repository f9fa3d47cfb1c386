"""Reports on suite results: summary tables, PAR-2, BenchExec categories, CSV, cactus plots.

A record is one line of a result file (`realize.apps.suite`). An instance counts as *solved* when it
was answered and the answer is not wrong (category ``correct`` or ``missing``). Its PAR-2 score is
its time if solved, else twice its time limit (SAT competition rules); a backend's PAR-2 is the
sum over its records.

>>> recs = [{"suite": "s", "id": "a", "backend": "sat", "status": "realizable", "category": "correct",
...          "time": 1.0, "timeout": 10, "family": "s"},
...         {"suite": "s", "id": "b", "backend": "sat", "status": "timeout", "category": "unknown",
...          "time": 10.0, "timeout": 10, "family": "s"}]
>>> s = summarize(recs)
>>> s.by_backend["sat"]["solved"], s.by_backend["sat"]["par2"]
(1, 21.0)
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from realize.apps.outputs import write_file
from realize.apps.plots import write_plot
from realize.apps.progress import ProgressBar

SOLVED = ("correct", "missing")
#: Columns of ``--csv`` (one row per record).
#: the statuses of a result record, and the BenchExec categories of an answer
STATUSES = ("realizable", "unrealizable", "timeout", "error")
CATEGORIES = ("correct", "wrong", "unknown", "error", "missing")


def categorize(status: str, expected: str | None) -> str:
    """The BenchExec category of an answer.

    >>> categorize("realizable", "realizable"), categorize("unrealizable", "realizable")
    ('correct', 'wrong')
    >>> categorize("timeout", "realizable"), categorize("realizable", None)
    ('unknown', 'missing')
    """
    if status == "error":
        return "error"
    if status == "timeout":
        return "unknown"
    if expected is None:
        return "missing"
    return "correct" if status == expected else "wrong"



CSV_COLUMNS = ("suite", "id", "backend", "status", "expected", "category", "time", "verified",
               "timeout", "family", "tags", "reason")


def par2(record: dict[str, Any]) -> float:
    """The record's PAR-2 score: its time if solved, else twice its limit."""
    if record["category"] in SOLVED:
        return float(record["time"])
    return 2.0 * float(record.get("timeout") or record["time"])


@dataclass
class Summary:
    """Counts per backend (statuses, categories, solved, PAR-2, time), per family and backend
    (instances, solved, time), and the wrong answers."""

    backends: list[str]
    by_backend: dict[str, dict[str, Any]]
    by_family: dict[str, dict[str, dict[str, Any]]]
    wrong: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"backends": self.backends, "by_backend": self.by_backend,
                "by_family": self.by_family, "wrong": self.wrong}


def summarize(records: Iterable[dict[str, Any]]) -> Summary:
    """Tally records (see the module docstring)."""
    records = list(records)
    backends = list(dict.fromkeys(r["backend"] for r in records))
    by_backend: dict[str, dict[str, Any]] = {}
    for b in backends:
        mine = [r for r in records if r["backend"] == b]
        row: dict[str, Any] = {"instances": len(mine)}
        row.update({s: sum(r["status"] == s for r in mine) for s in STATUSES})
        row.update({c: sum(r["category"] == c for r in mine) for c in CATEGORIES})
        row["solved"] = row["correct"] + row["missing"]
        row["par2"] = round(sum(par2(r) for r in mine), 3)
        row["time"] = round(sum(float(r["time"]) for r in mine), 3)
        by_backend[b] = row
    by_family: dict[str, dict[str, dict[str, Any]]] = {}
    for r in records:
        cell = by_family.setdefault(r.get("family") or r.get("suite", ""), {}).setdefault(
            r["backend"], {"instances": 0, "solved": 0, "time": 0.0})
        cell["instances"] += 1
        cell["solved"] += r["category"] in SOLVED
        cell["time"] = round(cell["time"] + float(r["time"]), 3)
    wrong = [{k: r.get(k) for k in ("suite", "id", "backend", "status", "expected")}
             for r in records if r["category"] == "wrong"]
    return Summary(backends, by_backend, by_family, wrong)


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-align the first column, right-align the others."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                      for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()
            for row in rows]


#: Rows of the summary table (key, label); the categories unknown and error equal the statuses
#: timeout and error.
_ROWS = (("instances", "instances"), *((s, s) for s in STATUSES), ("correct", "correct"),
         ("wrong", "wrong"), ("missing", "missing (no expected)"), ("solved", "solved"))


def format_summary(summary: Summary) -> str:
    """The summary as text: one column per backend, then time per family, then wrong answers.

    >>> text = format_summary(summarize([{"id": "a", "backend": "sat", "status": "realizable",
    ...     "category": "correct", "time": 0.5, "timeout": 10, "family": "f"}]))
    >>> [line.split() for line in text.splitlines()[:2]]
    [['backend', 'sat'], ['instances', '1']]
    """
    if not summary.backends:
        return "no results"
    rows = [["backend", *summary.backends]]
    rows += [[label, *(str(summary.by_backend[b][key]) for b in summary.backends)]
             for key, label in _ROWS]
    rows.append(["PAR-2 (s)", *(f"{summary.by_backend[b]['par2']:.2f}" for b in summary.backends)])
    rows.append(["time (s)", *(f"{summary.by_backend[b]['time']:.2f}" for b in summary.backends)])
    lines = _table(rows)
    family_rows = [["family", *(f"{b} solved" for b in summary.backends),
                    *(f"{b} time (s)" for b in summary.backends)]]
    for family, cells in summary.by_family.items():
        solved = [f"{cells[b]['solved']}/{cells[b]['instances']}" if b in cells else "-"
                  for b in summary.backends]
        times = [f"{cells[b]['time']:.2f}" if b in cells else "-" for b in summary.backends]
        family_rows.append([family, *solved, *times])
    lines += ["", *_table(family_rows)]
    for w in summary.wrong:
        lines.append(f"WRONG: {w['suite']}/{w['id']} on {w['backend']}: answered {w['status']}, "
                     f"expected {w['expected']}")
    return "\n".join(lines)


def write_csv(records: Iterable[dict[str, Any]], path: str | Path) -> None:
    """One row per record, columns `CSV_COLUMNS` (tags joined by ``;``); a failed write leaves
    no file behind (`realize.apps.outputs.write_file`)."""
    records = list(records)

    def write(target: Path) -> None:
        with open(target, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_COLUMNS)
            for r in records:
                row = {**r, "tags": ";".join(r.get("tags") or [])}
                writer.writerow(["" if row.get(c) is None else row.get(c) for c in CSV_COLUMNS])

    write_file(path, write, "--csv")


#: Times below this (seconds) are drawn at it on the log-scale time axis.
MIN_PLOT_TIME = 1e-3


def cactus_plot(records: Iterable[dict[str, Any]], path: str | Path) -> None:
    """Cactus plot: instances solved within a time against that time, one line per backend
    (`write_plot`: the format by the file's extension)."""
    records = list(records)

    def draw(ax: Any) -> None:
        for b in dict.fromkeys(r["backend"] for r in records):
            times = sorted(max(float(r["time"]), MIN_PLOT_TIME) for r in records
                           if r["backend"] == b and r["category"] in SOLVED)
            ax.step([MIN_PLOT_TIME, *times], range(len(times) + 1), where="post",
                    label=f"{b} ({len(times)} solved)")
        ax.set_xlabel("time limit per instance (s)")
        ax.set_ylabel("instances solved")
        ax.set_xscale("log")
        ax.yaxis.get_major_locator().set_params(integer=True)

    write_plot(path, draw)


class Progress:
    """Shows a run's progress: on a terminal a `ProgressBar` (elapsed time, ETA) with the tally
    of categories, else one line per record."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.bar = ProgressBar(stream=self.stream) if self.stream.isatty() else None
        self.counts = dict.fromkeys(CATEGORIES, 0)

    def __call__(self, record: dict[str, Any], total: int) -> None:
        self.done += 1
        self.counts[record["category"]] += 1
        if self.bar is not None:
            tally = " ".join(f"{c} {n}" for c, n in self.counts.items() if n)
            self.bar(self.done, total, tally, force=self.done == total)
            if self.done == total:
                self.bar.close()
            return
        self.stream.write(f"[{self.done}/{total}] {record.get('suite', '')}/{record['id']} "
                          f"{record['backend']}: {record['status']} ({record['category']}, "
                          f"{float(record['time']):.2f} s)\n")
        self.stream.flush()

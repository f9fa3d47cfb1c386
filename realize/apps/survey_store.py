"""The survey's store: one SQLite file (standard library) that results go into as they finish.

A row per (question, class): the class's representative and size, the minimum or the range
found, the verified witness of the smallest realizable size (network JSON), the architectures
refuted below it and how, and the seconds spent. A chunk of classes is one transaction, so a
killed run loses at most the chunks in flight, and a resumed run skips every stored class.
The store records what it surveys (inputs, bounds); a run that asks a different survey of the
same file is refused.

>>> store = SurveyStore(":memory:", inputs=2)
>>> store.put("layered", [ClassOutcome(6, 2, 2, 2, 2, {"inputs": 2}, [], 0.01)])
>>> [(o.representative, o.minimum) for o in store.outcomes("layered")]
[(6, 2)]
>>> store.done("layered"), store.done("skip")
({6}, set())
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from realize import __version__
from realize.errors import EnvironmentFailure, InputError

#: what a store is a survey of: a second run on the same file must ask the same
IDENTITY = ("inputs", "bounds")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS classes (
    question TEXT NOT NULL,          -- 'layered' (hidden units of n-k-1) or 'skip' (units in all)
    representative INTEGER NOT NULL, -- the smallest truth table of the class
    size INTEGER NOT NULL,           -- functions in the class
    minimum INTEGER,                 -- NULL: only a range is known
    lower INTEGER NOT NULL,          -- every size below is refuted
    upper INTEGER,                   -- the smallest size found realizable (NULL: none)
    witness TEXT,                    -- network JSON at size upper, verified on every row
    steps TEXT NOT NULL,             -- JSON list: each size tried, its answer, by what, seconds
    seconds REAL NOT NULL,
    PRIMARY KEY (question, representative)
);
"""


@dataclass
class ClassOutcome:
    """What the survey found for one class (sizes count hidden units, or units in all)."""

    representative: int
    size: int
    minimum: int | None
    lower: int
    upper: int | None
    witness: dict[str, Any] | None
    steps: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def refuted(self) -> list[str]:
        """The architectures refuted on the way (every size below ``lower``)."""
        return [s["arch"] for s in self.steps if s["status"] == "unrealizable"]


class SurveyStore:
    """The SQLite file at ``path`` (``":memory:"`` for a throwaway one), created if missing,
    for a survey of ``inputs``-input functions under ``bounds`` (only ``exact`` today)."""

    def __init__(self, path: str | Path, inputs: int, bounds: str = "exact") -> None:
        self.path = str(path)
        try:
            self.db = sqlite3.connect(self.path)
            self.db.executescript(_SCHEMA)
            self._claim({"inputs": str(inputs), "bounds": bounds})
        except sqlite3.DatabaseError as err:
            raise EnvironmentFailure(f"--store {self.path}: not a survey store ({err})") from None

    def _claim(self, identity: dict[str, str]) -> None:
        held = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        clash = [f"{k} {held[k]} (this run: {v})" for k, v in identity.items()
                 if k in held and held[k] != v]
        if clash:
            raise InputError(f"--store {self.path} holds another survey: {', '.join(clash)}")
        with self.db:
            self.db.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)",
                                [*identity.items(), ("realize", __version__)])

    def put(self, question: str, outcomes: Iterable[ClassOutcome]) -> None:
        """Store ``outcomes`` in one transaction (a class stored before is replaced)."""
        rows = [(question, o.representative, o.size, o.minimum, o.lower, o.upper,
                 None if o.witness is None else json.dumps(o.witness, separators=(",", ":")),
                 json.dumps(o.steps, separators=(",", ":")), o.seconds) for o in outcomes]
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO classes VALUES "
                                    "(?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.OperationalError as err:  # a full disk, a read-only file
            raise EnvironmentFailure(f"cannot write to --store {self.path}: {err}") from None

    def done(self, question: str) -> set[int]:
        """Representatives of the classes already stored for ``question``."""
        cursor = self.db.execute("SELECT representative FROM classes WHERE question = ?",
                                 (question,))
        return {rep for (rep,) in cursor}

    def outcomes(self, question: str) -> Iterator[ClassOutcome]:
        """Every stored outcome of ``question``, by representative."""
        cursor = self.db.execute(
            "SELECT representative, size, minimum, lower, upper, witness, steps, seconds "
            "FROM classes WHERE question = ? ORDER BY representative", (question,))
        for rep, size, minimum, lower, upper, witness, steps, seconds in cursor:
            yield ClassOutcome(rep, size, minimum, lower, upper,
                               None if witness is None else json.loads(witness),
                               json.loads(steps), seconds)

    def close(self) -> None:
        self.db.close()

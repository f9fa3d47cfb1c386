"""Progress of long work on a terminal: a bar sized by the work, elapsed time and an ETA.

Library calls take a callback ``progress(done, total)`` (``total`` None when the amount of work
is unknown); `ProgressBar` is the callback the command line passes. It draws one line on
stderr, redrawn in place at most five times a second and only after the first second (a quick
answer draws nothing), and `close` ends the line.

>>> import io
>>> bar = ProgressBar(width=10, stream=io.StringIO(), clock=iter([0, 30, 30]).__next__)
>>> bar(25, 100)
>>> bar.stream.getvalue()
'\\r[##........] 25/100 30 s, ETA 1 min 30 s\\x1b[K'
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

#: progress(done, total): called now and then with the work units done so far and the number
#: there are (None when unknown in advance: the solutions of an enumeration)
Progress = Callable[[int, "int | None"], None]


def format_duration(seconds: float) -> str:
    """Seconds for a person to read.

    >>> format_duration(4.2), format_duration(95), format_duration(7380), format_duration(200000)
    ('4 s', '1 min 35 s', '2 h 03 min', '55 h 33 min')
    """
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def remaining(done: int, total: int | None, elapsed: float) -> float | None:
    """Seconds left at the rate so far (None: no total, or nothing done yet).

    >>> remaining(25, 100, 30.0), remaining(0, 100, 30.0), remaining(5, None, 1.0)
    (90.0, None, None)
    """
    if total is None or done <= 0:
        return None
    return max(0.0, (total - done) * elapsed / done)


class ProgressBar:
    """A `Progress` callback drawing one line on ``stream`` (default stderr): a bar,
    ``done/total``, the time so far and the ETA; with ``total`` None a count instead of a bar.
    ``note`` is shown after the figures (say, a tally of outcomes)."""

    def __init__(self, width: int = 30, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.width = width
        self.stream = stream if stream is not None else sys.stderr
        self.start = self.last = self._clock()
        self.drawn = False

    def __call__(self, done: int, total: int | None, note: str = "", force: bool = False) -> None:
        """Draw, unless the last drawing was under 0.2 s ago or the work began under 1 s ago
        (``force``: draw anyway, e.g. the last step)."""
        now = self._clock()
        if not force and (now - self.last < 0.2 or now - self.start < 1.0):
            return
        self.last = now
        elapsed = now - self.start
        if total is None:
            line = f"{done} so far, {format_duration(elapsed)}"
        else:
            filled = min(self.width, self.width * done // max(total, 1))
            left = remaining(done, total, elapsed)
            eta = "" if left is None or done >= total else f", ETA {format_duration(left)}"
            line = (f"[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} "
                    f"{format_duration(elapsed)}{eta}")
        try:
            self.stream.write(f"\r{line}{' ' + note if note else ''}\033[K")
            self.stream.flush()
        except OSError:
            return
        self.drawn = True

    def close(self) -> None:
        """End the progress line, if one was drawn."""
        if self.drawn:
            try:
                self.stream.write("\n")
                self.stream.flush()
            except OSError:
                pass
            self.drawn = False

"""Forked worker processes, each sending one answer down a pipe, all killed when the caller is done.

The racing portfolio (`realize.backends.racing`) and the case split's workers
(`realize.backends.cases`) start their processes here. ``multiprocessing`` is imported only when
a process starts: a small check never loads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from realize.options import Deadline

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

#: a process's no-answer: it died (or exited) without sending one
NO_ANSWER = object()


def fork_context() -> Any:
    """The ``fork`` start method's context (children inherit the caller's state)."""
    import multiprocessing

    return multiprocessing.get_context("fork")


@contextmanager
def forked(jobs: Sequence[tuple[Callable[..., None], tuple]]) -> Iterator[dict[Connection, int]]:
    """One forked process per ``(function, args)``, called as ``function(*args, conn)``; yields
    the pipes not yet read, each with its job's index. On exit every process still running is
    killed and every pipe closed."""
    context = fork_context()
    pending: dict[Connection, int] = {}
    processes = []
    try:
        for i, (target, args) in enumerate(jobs):
            parent, child = context.Pipe(duplex=False)
            p = context.Process(target=target, args=(*args, child), daemon=True)
            p.start()
            child.close()
            pending[parent] = i
            processes.append(p)
        yield pending
    finally:
        for p in processes:
            if p.is_alive():
                p.kill()
            p.join()
        for conn in pending:
            conn.close()


def answers(pending: dict[Connection, int], deadline: Deadline) -> Iterator[tuple[int, Any]]:
    """``(index, answer)`` as the answers arrive (`NO_ANSWER` for a process that died without
    one), until none is pending or the deadline passes."""
    from multiprocessing.connection import wait

    while pending and not deadline.expired():
        for conn in wait(list(pending), timeout=deadline.left()):
            i = pending.pop(conn)
            try:
                answer = conn.recv()
            except EOFError:
                answer = NO_ANSWER
            finally:
                conn.close()
            yield i, answer

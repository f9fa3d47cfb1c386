"""Dask clusters for long runs: a scheduler's address, or a LocalCluster started for the run.

`dask_client` is the one place that connects, so that a bad address or an unreachable scheduler
gives the same one-line error in every command (`suite`, `survey`). Dask cannot stop a task
that runs: time limits live inside the tasks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from realize.errors import EnvironmentFailure, InputError


@contextmanager
def dask_client(scheduler: str | None, **local: Any) -> Iterator[Any]:
    """A ``distributed.Client`` of the cluster at ``scheduler``, or of a ``LocalCluster(**local)``
    started here (and stopped on exit). Needs the ``dask`` extra."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--executor dask needs the 'dask' extra: pip install 'realize[dask]'") from None
    if not scheduler:
        with LocalCluster(dashboard_address=None, **local) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=30)
    except (OSError, TimeoutError) as err:
        raise EnvironmentFailure(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
    except Exception as err:  # distributed's parse of the address: ValueError, AssertionError
        detail = f": {err}" if str(err) else ""
        raise InputError(f"--scheduler {scheduler!r} is not a Dask scheduler address "
                         f"(e.g. tcp://host:8786){detail}") from None
    with client:
        yield client

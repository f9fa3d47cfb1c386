"""Result records returned by `realize.check` and friends."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction
from realize.spec.network import Network


class Status(StrEnum):
    """The answer to "can this architecture compute this function?"."""

    REALIZABLE = "realizable"
    UNREALIZABLE = "unrealizable"
    UNKNOWN = "unknown"

    @property
    def exit_code(self) -> int:
        """SAT-solver convention: 10 realizable, 20 unrealizable, 0 unknown."""
        return {"realizable": 10, "unrealizable": 20, "unknown": 0}[self.value]


@dataclass
class Result:
    """What `realize.check` found, with everything needed to reproduce it.

    ``network`` is set (and already verified) when REALIZABLE. ``certificate`` describes why the
    answer is UNREALIZABLE (at least which backend proved it). ``stats`` holds solver figures.
    """

    status: Status
    function: BooleanFunction
    arch: Architecture
    bounds: Bounds
    backend: str
    time_s: float
    network: Network | None = None
    certificate: dict[str, Any] | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    @property
    def realizable(self) -> bool | None:
        """True, False, or None when unknown."""
        if self.status is Status.UNKNOWN:
            return None
        return self.status is Status.REALIZABLE

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record (the ``--json`` output)."""
        data: dict[str, Any] = {
            "status": self.status.value,
            "function": self.function.to_hex() if self.function.is_complete else self.function.name,
            "n": self.function.n,
            "m": self.function.m,
            "arch": self.arch.describe() if self.arch.layers is not None else self.arch.to_dict(),
            "bounds": self.bounds.to_dict(),
            "backend": self.backend,
            "time_s": round(self.time_s, 6),
        }
        if self.network is not None:
            data["network"] = self.network.to_dict()
            data["verified"] = True
        if self.certificate is not None:
            data["certificate"] = self.certificate
        if self.reason:
            data["reason"] = self.reason
        data["stats"] = self.stats
        return data


@dataclass
class Decision:
    """What a backend returns: a status, the decoded (not yet verified) network, solver figures."""

    status: Status
    network: Network | None = None
    stats: dict[str, Any] = field(default_factory=dict)

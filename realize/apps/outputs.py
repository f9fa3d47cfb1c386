"""Files the user names for output: checked before any work, written so a failure leaves nothing.

`check_target` refuses, before a long computation, what can be known to fail (an empty name, a
folder, a missing folder, a place without write permission) and creates nothing. `write_file`
writes a file (checking it first) and turns an `OSError` of the write (a full disk) into an
`EnvironmentFailure`, removing the file it had just created. Failures that only show while writing
(a full disk) can only be reported afterwards: callers keep what was computed (print the answer,
keep the records already written).

>>> check_target("", "--save")
Traceback (most recent call last):
...
realize.errors.InputError: --save: the file name is empty
>>> check_target("no/such/net.json", "--save")
Traceback (most recent call last):
...
realize.errors.EnvironmentFailure: cannot write no/such/net.json (--save): there is no folder no/such
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from realize.errors import EnvironmentFailure, InputError


def check_target(path: str | Path, what: str = "") -> Path:
    """``path`` as a `Path` if a file can be written there; `InputError` (an empty name) or
    `EnvironmentFailure` (a folder, a missing folder, no permission) if not. Creates nothing.

    ``what`` names the option (``--save``) in the message.
    """
    name = str(path)
    label = f"{name} ({what})" if what else name
    if not name.strip():
        raise InputError(f"{what or 'output file'}: the file name is empty")
    target = Path(name)
    try:
        if target.is_dir():
            raise EnvironmentFailure(f"cannot write {label}: it is a folder")
        if target.exists():
            if not os.access(target, os.W_OK):
                raise EnvironmentFailure(f"cannot write {label}: permission denied")
            return target
        folder = target.parent
        if not folder.is_dir():
            raise EnvironmentFailure(f"cannot write {label}: there is no folder {folder}")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise EnvironmentFailure(f"cannot write {label}: permission denied in {folder}")
    except OSError as err:  # a name too long, a loop of symbolic links, ...
        raise EnvironmentFailure(f"cannot write {label}: {err.strerror or err}") from None
    return target


def check_targets(*targets: tuple[str | Path | None, str]) -> None:
    """`check_target` on every ``(path, what)`` whose path is not None."""
    for path, what in targets:
        if path is not None:
            check_target(path, what)


def write_file(path: str | Path, write: Callable[[Path], object], what: str = "") -> None:
    """``write(path)`` after `check_target`; an `OSError` becomes an `EnvironmentFailure`, and
    a file this call created is removed again, so that a failed write leaves nothing behind."""
    target = check_target(path, what)
    existed = target.exists()
    try:
        write(target)
    except OSError as err:
        if not existed and target.is_file():
            with contextlib.suppress(OSError):
                target.unlink()
        label = f"{path} ({what})" if what else str(path)
        raise EnvironmentFailure(f"cannot write {label}: {err.strerror or err}") from None


def write_text(path: str | Path, text: str, what: str = "") -> None:
    """Write ``text`` (UTF-8) to ``path`` with `write_file`."""
    write_file(path, lambda target: target.write_text(text, encoding="utf-8"), what)


__all__ = ["check_target", "check_targets", "write_file", "write_text"]

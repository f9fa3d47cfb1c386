"""Reading untrusted text: JSON files and integers, every failure an `InputError` naming it.

Every loader of user files (networks, DAG architectures, caches, suites, result files) reads
JSON through `read_json` or `parse_json`, and every integer typed by a user goes through
`parse_int`, so bad bytes, huge numbers and deep nesting give one clear line, never a traceback.

>>> parse_json('{"a": [1, 2]}', "x.json")
{'a': [1, 2]}
>>> parse_json('[' * 5000 + ']' * 5000, "x.json")
Traceback (most recent call last):
...
realize.errors.InputError: x.json: JSON nested too deeply
>>> parse_int("12", "--arch width")
12
>>> parse_int("9" * 400, "--arch width")
Traceback (most recent call last):
...
realize.errors.InputError: --arch width: 9999999999... has 400 digits (at most 100)
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from realize.errors import InputError

#: the most digits an integer read from user input may have: enough for any weight a network
#: of up to 64 inputs needs (Hastad's bound for 64 inputs has 40 digits), far below the 4300
#: digits past which Python refuses to parse an integer
MAX_DIGITS = 100


def _int_of_json(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise InputError(f"an integer of {len(text.lstrip('-'))} digits (at most {MAX_DIGITS})")
    return int(text)


def _no_constant(name: str) -> float:
    raise InputError(f"{name} is not a JSON number")


def parse_json(text: str | bytes, what: str) -> Any:
    """The JSON value of ``text`` (bytes are decoded as UTF-8, a byte-order mark allowed).

    Integers have at most `MAX_DIGITS` digits; NaN and Infinity are refused.
    """
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        elif text.startswith("\ufeff"):
            text = text[1:]
        return json.loads(text, parse_int=_int_of_json, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise InputError(f"{what}: not UTF-8 text") from None
    except RecursionError:
        raise InputError(f"{what}: JSON nested too deeply") from None
    except InputError as err:
        raise InputError(f"{what}: {err}") from None
    except (json.JSONDecodeError, ValueError) as err:
        raise InputError(f"{what}: not valid JSON ({err})") from None


def read_json(path: str | Path, what: str | None = None) -> Any:
    """The JSON value of the file at ``path``; `InputError` if it cannot be read or parsed."""
    what = what or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {what}: {err.strerror or err}") from None
    return parse_json(data, what)


def parse_int(text: str, what: str) -> int:
    """The integer ``text`` (surrounding blanks allowed), with at most `MAX_DIGITS` digits."""
    stripped = text.strip()
    digits = stripped.lstrip("+-")
    if not digits.isdigit() or not digits.isascii():
        raise InputError(f"{what}: '{stripped[:20]}' is not an integer")
    if len(digits) > MAX_DIGITS:
        raise InputError(f"{what}: {digits[:10]}... has {len(digits)} digits (at most {MAX_DIGITS})")
    return int(stripped)


def check_finite(value: Any, what: str) -> float:
    """``value`` as a float if it is a finite real number (not a bool), else `InputError`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{what} must be a finite number, got {value!r}")
    return float(value)

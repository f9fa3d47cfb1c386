"""Exceptions of the whole package, under one base `RealizeError`.

- `InputError`: bad user input (a malformed truth table, an impossible architecture, a file that
  does not parse or cannot be written); the command line prints its message on one line and
  exits with code 2.
- `UnsupportedError`: a well-formed question that the chosen method cannot serve (say, DRAT
  proofs with weights too wide for the CNF); an `InputError` too, since the user must change
  the request.
- `EnvironmentFailure`: the environment failed, not the question: a file that cannot be read
  or written (a missing folder, a folder where a file should go, a full disk) or a closed
  output pipe; an `InputError` too (exit code 2), reported with kind ``environment``.
- `VerificationError`: a witness or certificate failed its independent check. That is a bug,
  never a reported answer: exit code 1.

Anything else that escapes is a bug and exits with code 1 with its traceback.
"""


class RealizeError(Exception):
    """Base of every exception realize raises on purpose."""


class InputError(RealizeError, ValueError):
    """The user's input is malformed or inconsistent; the message names the problem."""


class UnsupportedError(InputError):
    """The question is well-formed, but the method asked for cannot decide or explain it."""


class EnvironmentFailure(InputError):
    """A file could not be read or written, a disk is full, a pipe closed: the message says which."""


class VerificationError(RealizeError, RuntimeError):
    """A witness failed its independent check: an internal error, never a reported answer."""

"""Exceptions shared by the whole package.

`InputError` is bad user input (a malformed truth table, an impossible architecture, a file that
does not parse): the command line prints its message on one line and exits with code 2.
Anything else that escapes is a bug and exits with code 1.
"""


class InputError(ValueError):
    """The user's input is malformed or inconsistent; the message names the problem."""


class VerificationError(RuntimeError):
    """A witness failed its independent check: an internal error, never a reported answer."""

"""The ``realize`` command: argument parsing and printing only; the logic lives in the library.

Exit codes follow SAT solvers: 10 realizable, 20 unrealizable, 0 unknown; 2 bad input or usage;
1 internal error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from realize import __version__
from realize.errors import InputError, VerificationError
from realize.result import Result

EXIT_INPUT = 2
EXIT_INTERNAL = 1


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise InputError(f"{self.prog}: {message}")


def add_problem_arguments(p: argparse.ArgumentParser, backend: bool = True) -> None:
    """FUNCTION, --arch and the bounds: shared by every command that poses the question."""
    p.add_argument("function", metavar="FUNCTION",
                   help="hex truth table(s) (e.g. e8 or 8,e), a family (xor, majority, "
                        "threshold:2, ...), an expression (\"x0 & (x1 | x2)\"), or a .pla/.csv file")
    p.add_argument("--arch", required=True,
                   help="layered architecture n-h1-...-m (e.g. 4-2-1) or a DAG file (.json)")
    p.add_argument("--skip", action="store_true",
                   help="skip connections: every unit also reads the inputs and all earlier layers")
    p.add_argument("--max-weight", type=int, metavar="W",
                   help="every weight in [-W, W] (default: exact mode, W*(fan-in) per unit)")
    p.add_argument("--max-bias", type=int, metavar="B", help="every bias in [-B, B]")
    p.add_argument("--nonneg", action="store_true", help="all weights >= 0")
    if backend:
        p.add_argument("--backend", default="sat", choices=["sat", "smt", "smt-real"],
                       help="sat (CNF, CaDiCaL; default), smt (z3, integers), "
                            "smt-real (z3, unbounded real weights)")
    p.add_argument("--no-symmetry", action="store_true", help="no symmetry breaking")


def _cmd_check(args: argparse.Namespace) -> int:
    from realize.check import check

    result = check(
        args.function, args.arch, skip=args.skip, max_weight=args.max_weight,
        max_bias=args.max_bias, nonneg=args.nonneg, backend=args.backend,
        timeout=args.timeout, solver=args.solver, symmetry=not args.no_symmetry,
    )
    if args.save and result.network is not None:
        result.network.save(args.save)
    if args.json:
        print(json.dumps(result.to_dict()))
    else:
        print(format_result(result))
    return result.status.exit_code


def format_result(result: Result) -> str:
    """The human-readable report of a check: the status on the first line."""
    f = result.function
    what = f.to_hex() if f.is_complete and f.n <= 8 else f"{f.name} ({f.num_rows} care rows)"
    lines = [
        result.status.value.upper(),
        f"function: {what}, {f.n} input(s), {f.m} output(s)",
        f"arch:     {result.arch.describe()}",
        f"bounds:   {result.bounds.describe()}",
        f"backend:  {result.backend}, {result.time_s:.3f} s",
    ]
    if result.network is not None:
        lines.append("network (verified on every care row):")
        lines.extend("  " + line for line in result.network.describe().splitlines())
    if result.reason:
        lines.append(f"reason:   {result.reason}")
    return "\n".join(lines)


def _cmd_eval(args: argparse.Namespace) -> int:
    from realize.network import Network

    net = Network.load(args.network)
    f = net.function()
    tables = f.to_hex().split(",")
    if args.json:
        print(json.dumps({"inputs": f.n, "outputs": f.m, "tables": tables}))
    else:
        for j, table in enumerate(tables):
            print(f"y{j}: {table}")
    return 0


def _cmd_encode(args: argparse.Namespace) -> int:
    from realize.check import make_bounds, resolve

    f, arch = resolve(args.function, args.arch, args.skip)
    if args.format == "dimacs":
        from realize.encodings.cnf import build_cnf

        bounds = make_bounds("sat", args.max_weight, args.max_bias, args.nonneg)
        text = build_cnf(f, arch, bounds, symmetry=not args.no_symmetry).to_dimacs()
    else:
        from realize.encodings.smt import build_smt

        backend = "smt-real" if args.real else "smt"
        bounds = make_bounds(backend, args.max_weight, args.max_bias, args.nonneg)
        text = build_smt(f, arch, bounds, symmetry=not args.no_symmetry).to_smt2()
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        try:
            Path(args.output).write_text(text)
        except OSError as err:
            raise InputError(f"cannot write {args.output}: {err.strerror}") from None
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="realize", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"realize {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("check", help="can the architecture compute the function?")
    add_problem_arguments(p)
    p.add_argument("--timeout", type=float, metavar="S", help="give up (UNKNOWN) after S seconds")
    p.add_argument("--solver", default="cadical195", help="pysat solver name (sat backend)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--save", metavar="FILE", help="save the witness network (JSON)")
    p.set_defaults(run=_cmd_check)

    p = sub.add_parser("eval", help="print the truth table(s) a saved network computes")
    p.add_argument("network", metavar="NETWORK.json")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_cmd_eval)

    p = sub.add_parser("encode", help="write the question as DIMACS CNF or SMT-LIB2")
    add_problem_arguments(p, backend=False)
    p.add_argument("--format", choices=["dimacs", "smt2"], default="dimacs")
    p.add_argument("--real", action="store_true", help="smt2 only: real-valued weights")
    p.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    p.set_defaults(run=_cmd_encode)
    return parser


def run(argv: Sequence[str] | None = None, parser_factory: Callable = build_parser) -> int:
    """Run the command line; returns the exit code."""
    try:
        args = parser_factory().parse_args(argv)
        return args.run(args)
    except InputError as err:
        print(f"realize: error: {err}", file=sys.stderr)
        return EXIT_INPUT
    except VerificationError as err:
        print(f"realize: internal error: {err}", file=sys.stderr)
        return EXIT_INTERNAL
    except BrokenPipeError:
        return 0


def main() -> None:
    sys.exit(run())

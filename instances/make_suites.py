"""Build the shipped suites in instances/ and establish their expected answers.

    python instances/make_suites.py [SUITE ...] [--jobs N]

Every instance is first written without ``expected`` and run on two backends, ``sat`` and
``smt`` (the same bounds). Instances in exact mode that they did not both settle then also run
on ``smt-real`` (unbounded real weights: the same question, by the exact-mode argument of
`realize.spec.bounds`). ``expected`` is written only where at least two backends answered and all answers
agree; a disagreement stops the script (it would be a bug). An instance left without
``expected``, or one the default backend took more than `HARD_SECONDS` on, gets the tag ``hard``
and a short ``timeout`` so that the suite stays quick. Everything random uses
fixed seeds, so the suites are reproducible.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from realize.apps.report import Progress
from realize.apps.suite import run_suite
from realize.readers.families import parse_family
from realize.readers.formats import write_pla
from realize.spec.functions import BooleanFunction, input_bits
from realize.spec.network import Network
from realize.spec.npn import npn_classes

HERE = Path(__file__).resolve().parent
#: Time each backend gets to establish an answer, per suite (seconds).
ESTABLISH_TIMEOUT = {"parity": 300.0, "datasets": 120.0}
#: Instances the default backend (sat) did not answer within this many seconds are "hard".
HARD_SECONDS = 60.0
#: Limit written into hard instances and those whose answer could not be established.
SHORT_TIMEOUT = 10.0


def inst(ident: str, function: str, arch: str | dict, family: str, **extra: object) -> dict:
    return {"id": ident, "function": function, "arch": arch, "family": family, **extra}


def smoke() -> list[dict]:
    """A few seconds' worth of classic questions: the README's demo."""
    dag = {"inputs": 2, "units": {"h": ["x0", "x1"], "y": ["x0", "x1", "h"]}}
    fam = "smoke"
    return [
        inst("and2-21", "8", "2-1", fam, tags=["threshold"]),
        inst("xor2-21", "6", "2-1", fam, tags=["parity"]),
        inst("xor2-221", "6", "2-2-1", fam, tags=["parity"]),
        inst("xor2-dag", "xor", dag, fam, tags=["parity", "dag"]),
        inst("maj3-31", "majority", "3-1", fam, tags=["threshold"]),
        inst("xor3-321", "96", "3-2-1", fam, tags=["parity"]),
        inst("xor3-331", "96", "3-3-1", fam, tags=["parity"]),
        inst("xor3-311-skip", "x0 ^ x1 ^ x2", "3-1-1", fam, skip=True, tags=["parity", "skip"]),
        inst("xor3-pla-331", "examples/xor3.pla", "3-3-1", fam, tags=["parity", "file"]),
        inst("and-or-31-w1", "x0 & (x1 | x2)", "3-1", fam, max_weight=1, tags=["bounds"]),
        inst("and-or-31-w2", "x0 & (x1 | x2)", "3-1", fam, max_weight=2, tags=["bounds"]),
        inst("and-or-two-outputs", "8,e", "2-2", fam, tags=["outputs"]),
        inst("maj5-51-nonneg", "majority", "5-1", fam, nonneg=True, tags=["nonneg"]),
        inst("xor2-221-nonneg", "6", "2-2-1", fam, nonneg=True, tags=["nonneg"]),
        inst("gt4-41", "comparison", "4-1", fam, tags=["threshold"]),
        inst("ip4-421", "inner-product", "4-2-1", fam, tags=["parity"]),
    ]


def npn4() -> list[dict]:
    """Every NPN class of 4-input functions (its smallest table) on 4-1-1, 4-2-1 and 4-3-1."""
    return [inst(f"{arch}/{rep:04x}", f"{rep:04x}", arch, f"npn4/{arch}", tags=[f"class-size:{size}"])
            for arch in ("4-1-1", "4-2-1", "4-3-1") for rep, size in npn_classes(4)]


def parity() -> list[dict]:
    """Parity of n = 2..6 on n-(n-1)-1 and n-n-1, with and without skip connections."""
    out = []
    for skip in (False, True):
        for n in range(2, 7):
            for hidden in (n - 1, n):
                arch = f"{n}-{hidden}-1"
                extra = {"skip": True} if skip else {}
                out.append(inst(f"xor{n}-{arch}{'-skip' if skip else ''}", "xor", arch,
                                f"parity/{'skip' if skip else 'layered'}", tags=[f"n={n}"], **extra))
    return out


def _random_unit(rng: random.Random, fan_in: int, w: int) -> tuple[list[int], int]:
    """Non-zero weights in [-w, w] and a bias that puts the threshold inside the sum's range."""
    weights = [rng.choice([v for v in range(-w, w + 1) if v]) for _ in range(fan_in)]
    low, high = sum(v for v in weights if v < 0), sum(v for v in weights if v > 0)
    return weights, -rng.randint(low + 1, high)


def _non_constant(make: Callable[[], Network]) -> str:
    """The table (hex) of the first network ``make`` draws that is not constant."""
    while True:
        table = make().function().to_hex()
        if table.strip("0") and table.strip("f"):
            return table


def planted_table(n: int, hidden: int, rng: random.Random, w: int = 3) -> str:
    """The truth table (hex) of a random n-hidden-1 network with weights in [-w, w]."""

    def make() -> Network:
        layers = []
        for rows, cols in ((hidden, n), (1, hidden)):
            units = [_random_unit(rng, cols, w) for _ in range(rows)]
            layers.append({"weights": [u[0] for u in units], "bias": [u[1] for u in units]})
        return Network.from_dict({"inputs": n, "skip": False, "layers": layers})

    return _non_constant(make)


def random_suite() -> list[dict]:
    """Uniformly random tables and tables of random n-2-1 networks (planted), n = 5..8, fixed
    seeds. Uniform tables of 8 inputs get ``max_weight`` 2 (exact mode takes minutes there)."""
    out = []
    for n in range(5, 9):
        rng = random.Random(1000 + n)
        uniform_archs = (f"{n}-2-1", f"{n}-3-1") if n == 5 else (f"{n}-1-1", f"{n}-2-1")
        bounds = {"max_weight": 2} if n == 8 else {}
        for k in range(2):
            table = f"{rng.getrandbits(2**n):0{2**n // 4}x}"
            for arch in uniform_archs:
                out.append(inst(f"uniform{n}-{k}/{arch}", table, arch, f"random/uniform-n{n}",
                                tags=["uniform", f"seed:{1000 + n}"], **bounds))
        for k in range(3):
            table = planted_table(n, 2, rng)
            for arch in (f"{n}-1-1", f"{n}-2-1"):
                out.append(inst(f"planted{n}-{k}/{arch}", table, arch, f"random/planted-n{n}",
                                tags=["planted-2", f"seed:{1000 + n}"]))
    return out


def _sample(f: BooleanFunction, count: int, rng: np.random.Generator) -> BooleanFunction:
    positions = np.sort(rng.choice(f.num_rows, size=min(count, f.num_rows), replace=False))
    return f.subset(positions)


def _write_csv(f: BooleanFunction, path: Path) -> None:
    bits = input_bits(f.rows, f.n)
    lines = [",".join([*(f"x{i}" for i in range(f.n)), "y"])]
    lines += [",".join(map(str, [*bits[k], int(f.values[0][k])])) for k in range(f.num_rows)]
    path.write_text("\n".join(lines) + "\n")


def datasets() -> list[dict]:
    """Partial functions (sampled rows) written as CSV and PLA files in instances/data/."""
    data = HERE / "data"
    data.mkdir(exist_ok=True)
    rng = np.random.default_rng(7)
    prng = random.Random(7)
    specs: list[tuple[str, BooleanFunction, int, str]] = []
    for n, count in ((8, 96), (12, 160)):
        planted = planted_table(n, 2, prng, w=2)
        f = BooleanFunction.from_hex(planted, n)
        specs.append((f"planted{n}", f, count, "csv"))
    for name, n, count in (("majority", 11, 200), ("parity", 10, 64), ("comparison", 16, 120),
                           ("inner-product", 12, 150)):
        family = parse_family(name, n)
        specs.append((f"{name}{n}", BooleanFunction(n, family.rows, family.values, name), count,
                      "pla" if n >= 12 else "csv"))
    out = []
    for name, full, count, fmt in specs:
        f = _sample(full, count, rng)
        path = data / f"{name}.{fmt}"
        if fmt == "csv":
            _write_csv(f, path)
        else:
            write_pla(f, path)
        for arch, w in ((f"{f.n}-1", 2), (f"{f.n}-1", 4), (f"{f.n}-2-1", 2)):
            out.append(inst(f"{name}/{arch}-w{w}", f"data/{name}.{fmt}", arch, f"datasets/{name}",
                            max_weight=w, tags=[fmt, f"rows:{f.num_rows}"]))
    return out


def _random_monotone(n: int, rng: random.Random) -> str:
    terms: set[tuple[int, ...]] = set()
    count = rng.randint(3, 5)
    while len(terms) < count:
        terms.add(tuple(sorted(rng.sample(range(n), rng.randint(2, 3)))))
    return " | ".join("(" + " & ".join(f"x{i}" for i in t) + ")" for t in sorted(terms))


def monotone() -> list[dict]:
    """Non-negative weights (--nonneg): monotone and non-monotone functions."""
    out = [
        inst("maj5/5-1", "majority", "5-1", "monotone/named", nonneg=True),
        inst("th2/4-1", "threshold:2", "4-1", "monotone/named", nonneg=True),
        inst("x0x1|x2x3/4-1", "x0 & x1 | x2 & x3", "4-1", "monotone/named", nonneg=True),
        inst("x0x1|x2x3/4-2-1", "x0 & x1 | x2 & x3", "4-2-1", "monotone/named", nonneg=True),
        inst("xor3/3-3-1", "xor", "3-3-1", "monotone/non-monotone", nonneg=True),
        inst("~x0/2-1", "~x0 & x1", "2-1", "monotone/non-monotone", nonneg=True),
        inst("gt4/4-2-1", "comparison", "4-2-1", "monotone/non-monotone", nonneg=True),
    ]
    rng = random.Random(2024)
    for n in (5, 6):
        for k in range(4):
            expr = _random_monotone(n, rng)
            for arch in (f"{n}-1", f"{n}-2-1"):
                out.append(inst(f"dnf{n}-{k}/{arch}", expr, arch, f"monotone/dnf-n{n}", nonneg=True))
    return out


def _random_dag(n: int, units: int, rng: random.Random) -> dict:
    names = [f"x{i}" for i in range(n)]
    spec = {}
    for u in range(units):
        name = "y" if u == units - 1 else f"h{u}"
        spec[name] = sorted(rng.sample(names, min(len(names), rng.randint(2, 3))))
        names.append(name)
    return {"inputs": n, "units": spec, "outputs": ["y"]}


def _planted_dag(spec: dict, rng: random.Random) -> str:
    """The table of random weights (in [-2, 2]) on a DAG."""

    def make() -> Network:
        units = {}
        for name, srcs in spec["units"].items():
            weights, bias = _random_unit(rng, len(srcs), 2)
            units[name] = {"inputs": srcs, "weights": weights, "bias": bias}
        return Network.from_dict({"inputs": spec["inputs"], "outputs": spec["outputs"],
                                  "units": units})

    return _non_constant(make)


def dag() -> list[dict]:
    """DAG architectures, from files (instances/dags/) and inline; planted and random tables."""
    dags = HERE / "dags"
    dags.mkdir(exist_ok=True)
    files = {
        "xor2-gadget": {"inputs": 2, "units": {"h": ["x0", "x1"], "y": ["x0", "x1", "h"]}},
        "cascade4": {"inputs": 4, "units": {"h0": ["x0", "x1"], "h1": ["h0", "x2"],
                                            "y": ["h1", "x3"]}},
        "tree4": {"inputs": 4, "units": {"h0": ["x0", "x1"], "h1": ["x2", "x3"], "y": ["h0", "h1"]}},
        "xor4-tree": {"inputs": 4, "units": {
            "a": ["x0", "x1"], "g0": ["x0", "x1", "a"], "b": ["x2", "x3"], "g1": ["x2", "x3", "b"],
            "c": ["g0", "g1"], "y": ["g0", "g1", "c"]}, "outputs": ["y"]},
    }
    for name, spec in files.items():
        (dags / f"{name}.json").write_text(json.dumps(spec, indent=1) + "\n")
    out = []
    questions = {"xor2-gadget": ["xor", "8", "9"], "cascade4": ["xor", "x0 & x1 | x2 & x3",
                                                                "((x0 & x1) | x2) & x3"],
                 "tree4": ["x0 & x1 | x2 & x3", "(x0 | x1) & (x2 | x3)", "xor"],
                 "xor4-tree": ["xor", "xnor", "majority"]}
    for name, functions in questions.items():
        for k, text in enumerate(functions):
            out.append(inst(f"{name}/{k}", text, f"dags/{name}.json", f"dag/{name}", tags=["file"]))
    rng = random.Random(99)
    for k in range(6):
        n = rng.randint(4, 5)
        spec = _random_dag(n, rng.randint(3, 4), rng)
        planted = _planted_dag(spec, rng)
        uniform = f"{rng.getrandbits(2**n):0{2**n // 4}x}"
        out.append(inst(f"random{k}/planted", planted, spec, "dag/random", tags=["inline"]))
        out.append(inst(f"random{k}/uniform", uniform, spec, "dag/random", tags=["inline"]))
    return out


SUITES: dict[str, Callable[[], list[dict]]] = {
    "smoke": smoke, "npn4": npn4, "parity": parity, "random": random_suite,
    "datasets": datasets, "monotone": monotone, "dag": dag,
}


def _write(path: Path, instances: list[dict]) -> None:
    path.write_text("".join(json.dumps(i) + "\n" for i in instances))


def _answers(path: Path, backends: str, jobs: int, timeout: float,
             times: dict[str, float]) -> dict[str, dict[str, str]]:
    """Answers per instance id and backend; ``times`` gets the default backend's times."""
    run = run_suite([path], backends=backends, jobs=jobs, timeout=timeout, on_record=Progress())
    answers: dict[str, dict[str, str]] = {}
    for r in run.records:
        if r["status"] == "error":
            sys.exit(f"{path.name}: {r['id']} on {r['backend']}: {r.get('reason')}")
        if r["status"] in ("realizable", "unrealizable"):
            answers.setdefault(r["id"], {})[r["backend"]] = r["status"]
        if r["backend"] == "sat":
            times[r["id"]] = r["time"] if r["status"] != "timeout" else float("inf")
    return answers


def establish(name: str, jobs: int) -> None:
    """Write suite ``name`` with the expected answers two backends agree on."""
    instances = SUITES[name]()
    timeout = ESTABLISH_TIMEOUT.get(name, 60.0)
    pending = HERE / f".{name}.pending.jsonl"  # beside the suite: the same relative paths
    sat_times: dict[str, float] = {}
    try:
        _write(pending, instances)
        answers = _answers(pending, "sat,smt", jobs, timeout, sat_times)
        exact = [i for i in instances if len(answers.get(i["id"], {})) < 2
                 and "max_weight" not in i and "max_bias" not in i]
        if exact:
            _write(pending, exact)
            for ident, got in _answers(pending, "smt-real", jobs, timeout, sat_times).items():
                answers.setdefault(ident, {}).update(got)
    finally:
        pending.unlink(missing_ok=True)
    unsettled, hard = [], []
    for i in instances:
        got = answers.get(i["id"], {})
        if len(set(got.values())) > 1:
            sys.exit(f"{name}: backends disagree on {i['id']}: {got}")
        if len(got) >= 2:
            i["expected"] = next(iter(got.values()))
        else:
            unsettled.append(f"{i['id']} ({', '.join(f'{b}: {s}' for b, s in got.items()) or 'none'})")
        if len(got) < 2 or sat_times[i["id"]] > HARD_SECONDS:
            i["timeout"] = SHORT_TIMEOUT
            i["tags"] = [*i.get("tags", []), "hard"]
            hard.append(f"{i['id']} (sat: {sat_times[i['id']]:.1f} s)")
    _write(HERE / f"{name}.jsonl", instances)
    print(f"{name}: {len(instances)} instances; without expected answer: {len(unsettled)}"
          + "".join(f"\n  {u}" for u in unsettled) + f"\nwith a {SHORT_TIMEOUT:g} s timeout: "
          + str(len(hard)) + "".join(f"\n  {h}" for h in hard))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("suites", nargs="*", metavar="SUITE",
                        help=f"suites to build (default: all of {', '.join(SUITES)})")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    unknown = set(args.suites) - set(SUITES)
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
    for name in args.suites or SUITES:
        establish(name, args.jobs)


if __name__ == "__main__":
    main()

"""A checked proof bundle for every UNREALIZABLE answer of the shipped suites.

    python -m benchmarks.bundles                       # every instances/*.jsonl, 600 s each
    python -m benchmarks.bundles --limit 60 --out /tmp/bundles.json

Each instance whose expected answer is ``unrealizable`` runs as its own
``realize check ... --proof DIR --json`` process (killed after ``--limit`` seconds: writing and
checking a bundle has no time limit of its own), one after the other. A record per instance
(route, parts, DRAT lines, bytes, solve and check seconds, ``proof_checked``) is saved to
``--out`` as it lands; a rerun with the same ``--out`` skips the instances already recorded.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from realize.apps.suite import Instance, load_suite

ROOT = Path(__file__).resolve().parent.parent


def command(inst: Instance, folder: Path) -> list[str]:
    """The ``realize check`` command line of a suite instance, writing its bundle to folder."""
    arch = inst.arch
    if not isinstance(arch, str):  # an inline DAG: the command line takes it as a file
        path = folder.with_suffix(".arch.json")
        path.write_text(json.dumps(arch))
        arch = str(path)
    out = [sys.executable, "-m", "realize", "check", inst.function, "--arch", arch,
           "--proof", str(folder), "--json"]
    out += ["--skip"] if inst.skip else []
    out += ["--max-weight", str(inst.max_weight)] if inst.max_weight is not None else []
    out += ["--max-bias", str(inst.max_bias)] if inst.max_bias is not None else []
    out += ["--nonneg"] if inst.nonneg else []
    return out


def run(inst: Instance, limit: float, work: Path) -> dict:
    folder = work / inst.id.replace("/", "_")
    start = time.perf_counter()
    try:
        done = subprocess.run(command(inst, folder), capture_output=True, text=True,
                              timeout=limit, cwd=inst.base_dir)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "wall_s": round(time.perf_counter() - start, 2)}
    record: dict = {"wall_s": round(time.perf_counter() - start, 2), "exit": done.returncode}
    try:
        result = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {**record, "status": "error", "stderr": done.stderr.strip()[-300:]}
    proof = result.get("proof") or {}
    return {**record, "status": result.get("status"), "proof_checked": result.get("proof_checked"),
            "route": proof.get("route"), "parts": proof.get("parts"), "images": proof.get("images"),
            "lines": proof.get("lines"), "bytes": proof.get("bytes"),
            "solve_s": (proof.get("stats") or {}).get("solve_s"),
            "check_s": (proof.get("stats") or {}).get("check_s"), "unproven": proof.get("unproven")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suites", nargs="*",
                        default=sorted(str(p) for p in (ROOT / "instances").glob("*.jsonl")))
    parser.add_argument("--limit", type=float, default=600.0, help="seconds per instance")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "bundles.json"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    records = json.loads(out.read_text()) if out.exists() else {}
    todo = [inst for suite in args.suites for inst in load_suite(suite)
            if not inst.error and inst.expected == "unrealizable"]
    with tempfile.TemporaryDirectory() as tmp:
        for number, inst in enumerate(todo, 1):
            key = f"{inst.suite}/{inst.id}"
            if key not in records:
                records[key] = run(inst, args.limit, Path(tmp))
                out.write_text(json.dumps(records, indent=1) + "\n")
            r = records[key]
            print(f"[{number}/{len(todo)}] {key}: {r['status']}, route {r.get('route')}, "
                  f"checked {r.get('proof_checked')}, {r['wall_s']} s", flush=True)
    checked = [k for k in records if records[k].get("proof_checked")]
    routes = Counter(records[k].get("route") for k in checked)
    print(f"{len(checked)} of {len(records)} UNREALIZABLE answers with a checked bundle "
          f"({', '.join(f'{n} {r}' for r, n in routes.most_common())}); not checked: "
          f"{sorted(set(records) - set(checked))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

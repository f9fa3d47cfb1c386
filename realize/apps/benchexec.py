"""Suite results as BenchExec result XML, so that BenchExec's ``table-generator`` compares
realize with other tools (and one backend with another) instance by instance.

One file per backend (one BenchExec run set each): a ``<result>`` root with the attributes
BenchExec writes, the columns used, a ``<systeminfo>``, and one ``<run>`` per instance, named
``suite/id``, with the ``status``, ``category``, ``cputime`` and ``walltime`` columns (times in
seconds with an ``s``, as BenchExec writes them). The property is ``realizable``: the status is
``true`` (REALIZABLE), ``false`` (UNREALIZABLE), ``unknown`` (a time limit ran out) or
``ERROR (reason)``.

The category is realize's, with one difference: a correct answer counts as ``correct`` only if
realize checked it independently (a REALIZABLE answer always is: its witness is evaluated on
every row; the record says ``verified``); otherwise it is ``correct-unconfirmed``, BenchExec's
category for a right answer whose evidence was not checked. A suite answers UNREALIZABLE from
the solver's refutation without a proof, so its right UNREALIZABLE answers are unconfirmed.
A record's time is wall time; realize does not measure a suite instance's CPU time apart from
it, so ``cputime`` repeats it.

>>> rec = {"suite": "s", "id": "xor3", "backend": "sat", "status": "unrealizable",
...        "expected": "unrealizable", "category": "correct", "time": 0.5, "verified": None}
>>> run = result_tree([rec], "sat").find("run")
>>> run.get("name"), [(c.get("title"), c.get("value")) for c in run.findall("column")][:2]
('s/xor3', [('status', 'false'), ('category', 'correct-unconfirmed')])
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from realize import __version__
from realize.apps.outputs import check_target, write_file
from realize.errors import InputError

#: BenchExec's result format, as its own files declare it
DOCTYPE = ('<!DOCTYPE result PUBLIC "+//IDN sosy-lab.org//DTD BenchExec result 3.0//EN" '
           '"https://www.sosy-lab.org/benchexec/result-3.0.dtd">')
STATUS = {"realizable": "true", "unrealizable": "false", "timeout": "unknown"}
COLUMNS = ("status", "category", "cputime", "walltime")


def benchexec_status(record: dict[str, Any]) -> str:
    """BenchExec's status of a record.

    >>> benchexec_status({"status": "error", "reason": "bad file"})
    'ERROR (bad file)'
    """
    if record["status"] == "error":
        return f"ERROR ({record.get('reason') or 'no reason given'})"
    return STATUS[record["status"]]


def benchexec_category(record: dict[str, Any]) -> str:
    """realize's category, with unchecked right answers ``correct-unconfirmed``."""
    if record["category"] == "correct" and record.get("verified") is not True:
        return "correct-unconfirmed"
    return record["category"]


def result_tree(records: Iterable[dict[str, Any]], backend: str) -> ElementTree.Element:
    """The ``<result>`` element of the ``backend``'s records: the run set ``<suites>.<backend>``."""
    mine = [r for r in records if r["backend"] == backend]
    name = "+".join(sorted({r.get("suite") or "suite" for r in mine})) or "realize"
    limits = {r.get("timeout") for r in mine} - {None}
    now = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    root = ElementTree.Element("result", {
        "benchmarkname": name, "name": f"{name}.{backend}", "tool": "realize",
        "toolmodule": "realize", "version": __version__, "generator": f"realize {__version__}",
        "options": f"--backend {backend}", "date": now.replace("T", " "), "starttime": now,
        "endtime": now, "timelimit": f"{max(limits):g}s" if limits else "-", "memlimit": "-",
        "cpuCores": str(os.cpu_count() or 1),
    })
    columns = ElementTree.SubElement(root, "columns")
    for title in COLUMNS:
        ElementTree.SubElement(columns, "column", {"title": title})
    info = ElementTree.SubElement(root, "systeminfo", {"hostname": platform.node() or "unknown"})
    ElementTree.SubElement(info, "os", {"name": f"{platform.system()} {platform.release()}"})
    ElementTree.SubElement(info, "cpu", {"cores": str(os.cpu_count() or 1),
                                         "model": platform.processor() or "unknown"})
    ElementTree.SubElement(info, "ram", {"size": "-"})
    ElementTree.SubElement(info, "environment")
    for r in mine:
        run = ElementTree.SubElement(root, "run", {
            "name": f"{r.get('suite', '')}/{r['id']}", "files": "[]", "properties": "realizable",
            **({"expectedVerdict": STATUS[r["expected"]]} if r.get("expected") else {}),
        })
        seconds = f"{float(r['time']):.6f}s"
        values = (benchexec_status(r), benchexec_category(r), seconds, seconds)
        for title, value in zip(COLUMNS, values, strict=True):
            ElementTree.SubElement(run, "column", {"title": title, "value": value,
                                                   **({"hidden": "true"} if title == "category" else {})})
    return root


def write_benchexec(records: list[dict[str, Any]], path: str | Path) -> list[Path]:
    """Write one result file per backend: ``path`` itself for one backend, else ``path`` with
    ``.<backend>`` before its suffix. Returns the files written."""
    path = Path(path)
    if path.suffix != ".xml":
        raise InputError(f"--benchexec: the file name must end in .xml, not {path.name!r}")
    backends = list(dict.fromkeys(r["backend"] for r in records))
    if not backends:
        raise InputError("--benchexec: there are no records to write")
    targets = {b: path if len(backends) == 1 else path.with_suffix(f".{b}.xml") for b in backends}
    for target in targets.values():
        check_target(target, "--benchexec")
    for backend, target in targets.items():
        tree = result_tree(records, backend)
        ElementTree.indent(tree)
        text = f'<?xml version="1.0" ?>\n{DOCTYPE}\n{ElementTree.tostring(tree, encoding="unicode")}\n'
        write_file(target, lambda t, text=text: t.write_text(text, encoding="utf-8"), "--benchexec")
    return list(targets.values())

"""Exported witnesses compute what the network computes, checked by other means.

- Pure Python (always): the BLIF, Verilog and AIGER files are read back by the small evaluators
  below (truth tables as bit masks, nothing from realize.writers) and compared with
  `Network.evaluate` on every row.
- ABC (``berkeley-abc``, skipped when absent): ``cec`` of the BLIF, the Verilog and the binary
  AIGER against the network's truth table written as a PLA; yosys (skipped when absent) reads the
  Verilog, the ASCII AIGER and the BLIF, and ABC compares what it writes with the BLIF.
- onnxruntime (skipped when absent) runs the ONNX model on every row.

The networks: witnesses of ``realize.check`` on random functions of 3 to 5 inputs, random
networks (layered, with skip connections, DAGs with odd unit names, constant units and an output
listed twice), and witnesses of the shipped suites' realizable instances (a sample; all of them
under ``-m slow``).
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import realize
from realize.apps.suite import load_suite
from realize.cli import run
from realize.readers.formats import write_pla
from realize.readers.registry import parse_function
from realize.spec.functions import all_rows
from realize.spec.network import Network
from realize.writers.registry import WRITERS, export_network

ROOT = Path(__file__).resolve().parent.parent
ABC = shutil.which("berkeley-abc") or shutil.which("abc")
YOSYS = shutil.which("yosys")
needs_abc = pytest.mark.skipif(ABC is None, reason="ABC is not installed (apt-get install berkeley-abc)")
needs_yosys = pytest.mark.skipif(ABC is None or YOSYS is None,
                                 reason="yosys and ABC are not both installed (apt-get install yosys)")


# -- networks -------------------------------------------------------------------------------------

def random_dag(rng: random.Random, n: int) -> Network:
    """Units with names that are no identifiers or are Verilog keywords, fan-ins of 0 to 4 (with
    earlier units), biases that make some units constant, an output listed twice."""
    names = ["wire", "a b", "h", "module", "y", "u0", "#7"][: rng.randint(2, 7)]
    units, sources = {}, [f"x{i}" for i in range(n)]
    for name in names:
        fanin = rng.sample(sources, rng.randint(0, min(4, len(sources))))
        units[name] = {"inputs": fanin, "weights": [rng.randint(-3, 3) for _ in fanin],
                       "bias": rng.randint(-6, 5)}
        sources.append(name)
    outputs = [*rng.sample(names, rng.randint(1, len(names))), names[-1]]
    return Network.from_dict({"inputs": n, "units": units, "outputs": outputs})


def random_layered(rng: random.Random, n: int) -> Network:
    widths = [n, *(rng.randint(1, 4) for _ in range(rng.randint(0, 2))), rng.randint(1, 3)]
    arch = realize.Architecture.layered(widths, skip=rng.random() < 0.5)
    weights = tuple(tuple(rng.randint(-3, 3) for _ in fanin) for fanin in arch.fanins)
    return Network(arch, weights, tuple(rng.randint(-5, 4) for _ in arch.fanins))


def witnesses(seed: int, count: int) -> list[Network]:
    """Witnesses of realize.check on random functions of 3 to 5 inputs."""
    rng, found = random.Random(seed), []
    while len(found) < count:
        n = rng.randint(3, 5)
        table = f"{rng.getrandbits(2**n):0{2**n // 4}x}"
        arch = rng.choice([f"{n}-{n + 2}-1", f"{n}-3-2-1"])
        result = realize.check(table, arch, timeout=30)
        if result.realizable:
            found.append(result.network)
    return found


RNG = random.Random(15)
NETWORKS = {
    **{f"witness{k}": net for k, net in enumerate(witnesses(15, 6))},
    **{f"layered{k}": random_layered(RNG, RNG.randint(1, 5)) for k in range(8)},
    **{f"dag{k}": random_dag(RNG, RNG.randint(1, 4)) for k in range(8)},
}


def table(net: Network) -> list[list[int]]:
    """The reference: what Network.evaluate gives on every row, per output."""
    return net.evaluate(all_rows(net.arch.n_inputs)).tolist()


# -- evaluators of the files, truth tables as bit masks over the 2^n rows ----------------------------

def input_masks(n: int) -> list[int]:
    return [sum(1 << x for x in range(2**n) if x >> i & 1) for i in range(n)]


def unpack(masks: list[int], n: int) -> list[list[int]]:
    return [[mask >> x & 1 for x in range(2**n)] for mask in masks]


def eval_blif(text: str, n: int) -> list[list[int]]:
    full = (1 << 2**n) - 1
    lines = [ln.split() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    inputs = next(ln[1:] for ln in lines if ln[0] == ".inputs")
    outputs = next(ln[1:] for ln in lines if ln[0] == ".outputs")
    value = dict(zip(inputs, input_masks(n), strict=True))
    for k, line in enumerate(lines):
        if line[0] != ".names":
            continue
        *ins, out = line[1:]
        value[out] = 0
        for cube in lines[k + 1:]:
            if cube[0].startswith("."):
                break
            chars, bit = (cube[0], cube[1]) if ins else ("", cube[0])
            assert bit == "1"
            product = full
            for c, name in zip(chars, ins, strict=True):
                product &= {"1": value[name], "0": full & ~value[name], "-": full}[c]
            value[out] |= product
    return unpack([value[name] for name in outputs], n)


def eval_verilog(text: str, n: int) -> list[list[int]]:
    full = (1 << 2**n) - 1
    header = re.search(r"module \w+\((.*?)\);", text, re.S).group(1)
    ports = [p.strip() for p in header.split(",") if p.strip()]
    value = dict(zip([f"x{i}" for i in range(n)], input_masks(n), strict=True))
    assert ports[:n] == list(value)
    for name, expr in re.findall(r"assign (\S+) = (.*?);", text):
        python = expr.replace("1'b0", "0").replace("1'b1", "(-1)")
        value[name] = full & eval(python, {}, dict(value))  # ~ & | on masks, as in Verilog
    return unpack([value[p] for p in ports[n:]], n)


def eval_aiger(data: bytes, n: int) -> list[list[int]]:
    """ASCII (aag) or binary (aig) AIGER without latches."""
    full = (1 << 2**n) - 1
    head, _, rest = data.partition(b"\n")
    kind, m, i, latches, o, a = head.split()
    m, i, o, a = int(m), int(i), int(o), int(a)
    assert int(latches) == 0 and i == n
    lines = rest.split(b"\n")
    if kind == b"aag":
        inputs = [int(x) for x in lines[:i]]
        outputs = [int(x) for x in lines[i:i + o]]
        gates = [tuple(int(x) for x in ln.split()) for ln in lines[i + o:i + o + a]]
    else:
        inputs = [2 * (k + 1) for k in range(i)]
        outputs = [int(x) for x in lines[:o]]
        stream = b"\n".join(lines[o:])
        gates, pos = [], 0
        for k in range(a):
            deltas = []
            for _ in range(2):
                delta, shift = 0, 0
                while True:
                    byte = stream[pos]
                    pos += 1
                    delta |= (byte & 0x7F) << shift
                    shift += 7
                    if byte < 0x80:
                        break
                deltas.append(delta)
            lhs = 2 * (i + k + 1)
            gates.append((lhs, lhs - deltas[0], lhs - deltas[0] - deltas[1]))
    var = {0: 0}
    var.update({lit // 2: mask for lit, mask in zip(inputs, input_masks(n), strict=True)})

    def lit(x: int) -> int:
        return full & ~var[x // 2] if x & 1 else var[x // 2]

    for lhs, r0, r1 in gates:
        assert lhs % 2 == 0 and lhs // 2 not in var and lhs // 2 <= m
        var[lhs // 2] = lit(r0) & lit(r1)
    return unpack([lit(x) for x in outputs], n)


# -- the checks -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NETWORKS)
def test_files_read_back_compute_the_network(name):
    net = NETWORKS[name]
    n, expected = net.arch.n_inputs, table(net)
    assert eval_blif(export_network(net, "blif"), n) == expected
    assert eval_verilog(export_network(net, "verilog"), n) == expected
    assert eval_aiger(export_network(net, "aiger").encode(), n) == expected
    assert eval_aiger(export_network(net, "aig"), n) == expected
    assert Network.from_dict(json.loads(export_network(net, "json"))) == net


def abc(script: str, cwd: Path) -> str:
    proc = subprocess.run([ABC, "-c", script], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def abc_equivalent(net: Network, folder: Path) -> list[str]:
    """ABC's verdict on the BLIF, the Verilog and the binary AIGER against the truth table (a PLA
    of `Network.evaluate`, inputs and outputs matched by order): one line each."""
    for suffix in (".blif", ".v", ".aig"):
        next(w for w in WRITERS if w.suffix == suffix).save(net, folder / f"net{suffix}")
    write_pla(net.function(), folder / "f.pla")
    out = abc("cec -n net.blif f.pla; cec -n net.v f.pla; cec -n net.aig f.pla", folder)
    return [ln for ln in out.splitlines() if "quivalent" in ln.lower()]


def assert_abc_equivalent(net: Network, folder: Path) -> None:
    verdicts = abc_equivalent(net, folder)
    assert len(verdicts) == 3 and all(v.startswith("Networks are equivalent") for v in verdicts), verdicts


@needs_abc
@pytest.mark.parametrize("name", NETWORKS)
def test_abc_finds_the_files_equivalent_to_the_truth_table(name, tmp_path):
    assert_abc_equivalent(NETWORKS[name], tmp_path)


@needs_abc
def test_abc_sees_a_wrong_file(tmp_path):
    """The check can fail: the network with its output unit negated is not equivalent."""
    net = NETWORKS["witness0"]
    *weights, w = net.weights
    *biases, b = net.biases
    wrong = Network(net.arch, (*weights, tuple(-x for x in w)), (*biases, -b - 1))
    write_pla(net.function(), tmp_path / "f.pla")
    next(w for w in WRITERS if w.name == "blif").save(wrong, tmp_path / "wrong.blif")
    assert "NOT EQUIVALENT" in abc("cec -n wrong.blif f.pla", tmp_path)


@needs_yosys
@pytest.mark.parametrize("name", ["witness1", "layered3", "dag2", "dag5"])
def test_yosys_reads_the_verilog_aiger_and_blif(name, tmp_path):
    net = NETWORKS[name]
    for suffix in (".blif", ".v", ".aag"):
        next(w for w in WRITERS if w.suffix == suffix).save(net, tmp_path / f"net{suffix}")
    for source, read in [("net.v", "read_verilog net.v; synth -top network"),
                         ("net.aag", "read_aiger net.aag"), ("net.blif", "read_blif net.blif")]:
        subprocess.run([YOSYS, "-q", "-p", f"{read}; write_blif {source}.blif"], cwd=tmp_path,
                       check=True, capture_output=True, timeout=120)
    out = abc("; ".join(f"cec net.blif {s}.blif" for s in ("net.v", "net.aag", "net.blif")), tmp_path)
    assert out.count("Networks are equivalent") == 3, out  # inputs and outputs matched by name


def suite_witnesses(sample: int | None) -> list[tuple[str, str]]:
    """(suite file name, id) of the shipped realizable instances: all, or a random ``sample``."""
    instances = [(path.name, inst.id) for path in sorted((ROOT / "instances").glob("*.jsonl"))
                 for inst in load_suite(path) if inst.expected == "realizable" and not inst.error]
    return instances if sample is None else random.Random(15).sample(instances, sample)


def check_suite_instance(suite: str, ident: str, folder: Path) -> None:
    inst = next(i for i in load_suite(ROOT / "instances" / suite) if i.id == ident)
    arch = inst.architecture()
    f = parse_function(inst.function, arch.n_inputs, base_dir=Path(inst.base_dir))
    result = realize.check(f, arch, max_weight=inst.max_weight, max_bias=inst.max_bias,
                           nonneg=inst.nonneg, backend=inst.backend or "sat", timeout=inst.timeout or 600)
    if result.status is realize.Status.UNKNOWN:
        pytest.skip(f"{ident}: no witness within the time limit (a loaded machine?)")
    assert result.realizable
    assert_abc_equivalent(result.network, folder)
    assert eval_blif(export_network(result.network, "blif"), arch.n_inputs) == table(result.network)


SAMPLE = suite_witnesses(12)


@needs_abc
@pytest.mark.parametrize("suite, ident", SAMPLE)
def test_shipped_witnesses_sample(suite, ident, tmp_path):
    check_suite_instance(suite, ident, tmp_path)


@needs_abc
@pytest.mark.slow
@pytest.mark.parametrize("suite, ident", [s for s in suite_witnesses(None) if s not in SAMPLE])
def test_shipped_witnesses_all(suite, ident, tmp_path):
    check_suite_instance(suite, ident, tmp_path)


@pytest.mark.parametrize("name", NETWORKS)
def test_onnxruntime_reproduces_the_truth_table(name):
    ort = pytest.importorskip("onnxruntime", reason="onnxruntime is not installed (realize[onnx])")
    pytest.importorskip("onnx", reason="onnx is not installed (realize[onnx])")
    net = NETWORKS[name]
    rows = all_rows(net.arch.n_inputs)
    x = ((rows[:, None] >> np.arange(net.arch.n_inputs, dtype=np.uint64)) & np.uint64(1)).astype(np.float32)
    session = ort.InferenceSession(export_network(net, "onnx"), providers=["CPUExecutionProvider"])
    (y,) = session.run(["y"], {"x": x})
    assert y.dtype == np.float32 and y.T.astype(int).tolist() == table(net)


def test_onnx_refuses_weights_float32_cannot_hold():
    pytest.importorskip("onnx", reason="onnx is not installed (realize[onnx])")
    net = Network(realize.Architecture.layered([1, 1]), ((2**24,),), (-1,))
    with pytest.raises(realize.UnsupportedError, match="float32"):
        export_network(net, "onnx")


# -- the command line -------------------------------------------------------------------------------

def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_save_writes_the_format_its_suffix_names(capsys, tmp_path):
    code, _, _ = cli(capsys, "check", "e8", "--arch", "3-1", "--save", str(tmp_path / "maj3"))
    net = Network.load(tmp_path / "maj3")  # no suffix: JSON
    assert code == 10 and net.function().to_hex() == "e8"
    for writer in WRITERS:
        if writer.needs is not None:
            pytest.importorskip(writer.needs)
        target = tmp_path / f"maj3{writer.suffix}"
        code, out, err = cli(capsys, "check", "e8", "--arch", "3-1", "--save", str(target))
        data = export_network(net, writer.name)
        assert code == 10 and err == ""
        assert target.read_bytes() == (data if isinstance(data, bytes) else data.encode())


def test_save_with_an_unknown_suffix_is_refused_before_the_work(capsys, tmp_path, monkeypatch):
    import realize.apps.minimize
    import realize.pipeline

    for module, name in [(realize.pipeline, "check"), (realize.apps.minimize, "minimize")]:
        monkeypatch.setattr(module, name, lambda *a, **k: pytest.fail("solved anyway"))
    for argv in (["check", "e8", "--arch", "3-1"], ["minimize", "e8"]):
        code, out, err = cli(capsys, *argv, "--save", str(tmp_path / "maj3.txt"))
        assert code == 2 and out == "" and len(err.splitlines()) == 1
        assert "the suffix .txt names no network format" in err
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def saved(tmp_path) -> Path:
    path = tmp_path / "xor3.json"
    realize.check("96", "3-3-1").network.save(path)
    return path


def test_export_to_stdout_and_to_a_file(capsys, saved, tmp_path):
    net = Network.load(saved)
    code, out, err = cli(capsys, "export", str(saved), "--format", "blif")
    assert code == 0 and err == "" and out == export_network(net, "blif")
    assert eval_blif(out, 3) == table(net)
    code, out, err = cli(capsys, "export", str(saved), "-o", str(tmp_path / "x.aig"))  # by suffix
    assert code == 0 and out == "" and (tmp_path / "x.aig").read_bytes() == export_network(net, "aig")
    code, out, _ = cli(capsys, "export", str(saved), "--format", "verilog", "-o", str(tmp_path / "x.txt"))
    assert code == 0 and (tmp_path / "x.txt").read_text() == export_network(net, "verilog")


@pytest.mark.parametrize("argv, words", [
    (["{missing}", "--format", "blif"], "cannot read network file"),
    (["{bad}", "--format", "blif"], "not valid JSON"),
    (["{net}", "--format", "edif"], "invalid choice: 'edif'"),
    (["{net}"], "name the format (--format)"),
    (["{net}", "-o", "{dir}/x.edif"], "the suffix .edif names no network format"),
    (["{net}", "--format", "aig"], "aig is a binary format"),
    (["{net}", "--format", "blif", "-o", "{dir}/no/x.blif"], "there is no folder"),
    (["{wide}", "--format", "verilog"], "unit y0 reads 17 inputs"),
])
def test_export_errors_are_one_line_and_exit_2(capsys, saved, tmp_path, argv, words):
    (tmp_path / "bad.json").write_text("{")
    Network(realize.Architecture.layered([17, 1]), ((1,) * 17,), (-17,)).save(tmp_path / "wide.json")
    names = {"missing": tmp_path / "missing.json", "bad": tmp_path / "bad.json", "net": saved,
             "dir": tmp_path, "wide": tmp_path / "wide.json"}
    code, out, err = cli(capsys, "export", *(a.format(**names) for a in argv))
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith("realize: error: ") and words in err

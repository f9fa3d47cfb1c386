"""The data model: bounds, architectures, networks, the verifier."""

import json

import numpy as np
import pytest

from realize.errors import InputError, VerificationError
from realize.spec.architecture import Architecture, parse_architecture
from realize.spec.bounds import Bounds, exact_max_weight
from realize.spec.functions import BooleanFunction, input_bits
from realize.spec.network import Network
from realize.verify import verify_witness


def test_exact_weights_match_reference(known):
    ref = known["max_weight_needed"]
    assert [exact_max_weight(m) for m in ref["fan_in"]] == ref["W"]


def test_bias_range_is_lossless_and_tight():
    # with |w| <= W over m inputs the sum lies in [-mW, mW]: bias -mW-1 gives constant 0,
    # bias mW constant 1, and no wider range is needed
    for m in range(1, 6):
        w = exact_max_weight(m)
        assert Bounds().bias_range(m) == (-m * w - 1, m * w)
    assert Bounds(nonneg=True).bias_range(3) == (-3 * 2 - 1, 0)
    assert Bounds(max_weight=2, max_bias=1).bias_range(5) == (-1, 1)


def test_bounds_reject_nonsense():
    with pytest.raises(InputError):
        Bounds(max_weight=-1)
    with pytest.raises(InputError):
        Bounds(max_weight=2, real=True)


def test_hex_order_matches_abc_and_kitty():
    # AND2 = 8, OR2 = e, XOR2 = 6, MAJ3 = e8, XOR3 = 96; x0 alone = 2 (n=1) and aa (n=3)
    def table(h, n):
        return BooleanFunction.from_hex(h, n).values[0].tolist()

    bits = input_bits(np.arange(8, dtype=np.uint64), 3)
    assert table("8", 2) == [0, 0, 0, 1]
    assert table("e", 2) == [0, 1, 1, 1]
    assert table("6", 2) == [0, 1, 1, 0]
    assert table("e8", 3) == [int(r.sum() >= 2) for r in bits]
    assert table("96", 3) == [int(r.sum() % 2) for r in bits]
    assert table("2", 1) == [0, 1]
    assert table("aa", 3) == bits[:, 0].tolist()


@pytest.mark.parametrize("text", ["e", "e8e", "zz", "", "1ff"])
def test_hex_of_wrong_length_or_digits_is_rejected(text):
    with pytest.raises(InputError):
        BooleanFunction.from_hex(text, 3)


def test_layered_architecture_shapes():
    a = Architecture.parse("3-2-2")
    assert a.m == 2 and a.num_units == 4 and a.hidden_units == (0, 1)
    assert a.fanins[2] == (3, 4)
    s = Architecture.parse("3-2-2-1", skip=True)
    assert s.fanins[2] == (0, 1, 2, 3, 4) and s.fanins[4] == (0, 1, 2, 3, 4, 5, 6)
    assert Architecture.parse("4-1").hidden_units == ()
    assert Architecture.parse("4-3-1").interchangeable_groups() == [[0, 1, 2]]


@pytest.mark.parametrize("text", ["4", "4-0-1", "a-1", "4--1", "4-2-1-", "99-1"])
def test_bad_architecture_strings(text):
    with pytest.raises(InputError):
        Architecture.parse(text)


def test_a_layered_chain_of_any_length_is_never_taken_for_a_file(tmp_path, monkeypatch):
    chain = "2-" + "-".join(["1"] * 130)  # 262 characters: too long for a file name
    assert parse_architecture(chain).num_units == 130
    assert parse_architecture(chain, skip=True).fanins[-1] == tuple(range(2 + 129))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "2-1").write_text("not json")  # a file of that name does not matter
    assert parse_architecture("2-1").describe() == "2-1"


@pytest.mark.parametrize("text", ["x" * 300, "nothere", "4-2-1\0", "\0",
                                  "2-\u0663-1", "٣-1", "4 - 1", "-".join(["1"] * 200) + "-x"])
def test_bad_arch_text_is_one_short_line(text):
    with pytest.raises(InputError) as err:
        parse_architecture(text)
    message = str(err.value)
    assert "\n" not in message and len(message) < 200, message


def test_a_dag_file_name_too_long_is_an_input_error():
    with pytest.raises(InputError, match="cannot read architecture file a+.json: File name too long"):
        parse_architecture("a" * 300 + ".json")


def test_architecture_widths_are_bounded_before_conversion():
    big = "1" + "0" * 4400
    for text in (f"2-{big}-1", f"{big}-1", f"2-1-{'9' * 101}"):
        with pytest.raises(InputError, match=r"architecture width: \d+\.\.\. has \d+ digits"):
            parse_architecture(text)
    with pytest.raises(InputError, match="0 to 64 inputs, not 65"):
        parse_architecture("65-1")
    with pytest.raises(InputError, match="0 to 64 inputs, not 1" + "0" * 60):
        parse_architecture("1" + "0" * 60 + "-1")
    assert parse_architecture("064-001").n_inputs == 64  # leading zeros are fine


def test_dag_architecture_from_file(tmp_path):
    path = tmp_path / "arch.json"
    path.write_text(json.dumps({"inputs": 3, "units": {
        "y": ["h0", "h1", "x0"], "h0": ["x0", "x1"], "h1": ["x1", "x2"]}}))
    a = parse_architecture(str(path))
    assert a.unit_names == ("h0", "h1", "y") and a.outputs == (2,)
    assert a.fanins == ((0, 1), (1, 2), (3, 4, 0))
    assert set(a.graph.edges) >= {("x0", "h0"), ("h0", "y")}
    assert a.interchangeable_groups() == []  # different sources


@pytest.mark.parametrize("data, words", [
    ({"inputs": 2, "units": {"a": ["b"], "b": ["a"]}}, "cycle"),
    ({"inputs": 2, "units": {"a": ["x5"]}}, "x5"),
    ({"inputs": 2, "units": {"a": ["x0"]}, "outputs": ["z"]}, "'z'"),
    ({"units": {"a": ["x0"]}}, "inputs"),
])
def test_bad_dag_architectures(data, words):
    with pytest.raises(InputError, match=words):
        Architecture.from_dict(data)


def test_network_json_round_trip_and_evaluation(tmp_path):
    data = {"inputs": 2, "skip": True, "layers": [
        {"weights": [[1, 1]], "bias": [-2]},               # h = x0 & x1
        {"weights": [[1, 1, -2]], "bias": [-1]}]}          # y = x0 + x1 - 2h >= 1: XOR
    net = Network.from_dict(data)
    assert net.to_dict() == data
    assert net.function().to_hex() == "6"
    path = tmp_path / "net.json"
    net.save(path)
    assert Network.load(path) == net
    dag = Network.from_dict({"inputs": 2, "units": {
        "h": {"inputs": ["x0", "x1"], "weights": [1, 1], "bias": -2},
        "y": {"inputs": ["x0", "x1", "h"], "weights": [1, 1, -2], "bias": -1}}})
    assert dag.function() == net.function()
    assert Network.from_dict(dag.to_dict()) == dag


def test_eval_names_each_output_by_its_unit(tmp_path, capsys):
    """A DAG network's outputs keep the names of their units, in the order of "outputs"."""
    from realize.cli import run

    dag = {"inputs": 2, "units": {
        "h": {"inputs": ["x0", "x1"], "weights": [1, 1], "bias": -2},
        "y": {"inputs": ["x0", "x1", "h"], "weights": [1, 1, -2], "bias": -1},
        "c": {"inputs": ["x0"], "weights": [1], "bias": -1}}, "outputs": ["y", "h", "c"]}
    path = tmp_path / "dag.json"
    path.write_text(json.dumps(dag))
    assert run(["eval", str(path)]) == 0
    assert capsys.readouterr().out == "y: 6\nh: 8\nc: a\n"
    assert run(["eval", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["names"] == ["y", "h", "c"] and data["tables"] == ["6", "8", "a"]
    layered = tmp_path / "net.json"
    Network(Architecture.parse("2-2"), ((1, 1), (1, 1)), (-2, -1)).save(layered)
    assert run(["eval", str(layered)]) == 0
    assert capsys.readouterr().out == "y0: 8\ny1: e\n"


@pytest.mark.parametrize("data", [
    {"inputs": 2, "layers": [{"weights": [[1, 1.5]], "bias": [0]}]},
    {"inputs": 2, "layers": [{"weights": [[1]], "bias": [0]}]},
    {"inputs": 2, "layers": [{"weights": [[1, 1]], "bias": []}]},
    {"inputs": 2},
    {"layers": []},
])
def test_bad_networks(data):
    with pytest.raises(InputError):
        Network.from_dict(data)


SKIP_AND2 = {"inputs": 2, "skip": True,  # AND2 on 2-1-1: the output unit copies h
             "layers": [{"weights": [[1, 1]], "bias": [-2]}, {"weights": [[0, 0, 1]], "bias": [-1]}]}


@pytest.mark.parametrize("skip", ["yes", "false", "true", 1, 0, None, [], {}])
def test_skip_must_be_a_json_boolean(skip):
    """Only true and false: "false" is a non-empty string, which bool() took for true."""
    with pytest.raises(InputError, match="'skip' must be true or false"):
        Network.from_dict({**SKIP_AND2, "skip": skip})
    assert Network.from_dict(SKIP_AND2).function().to_hex() == "8"
    assert Network.from_dict({**SKIP_AND2, "skip": True}).arch.skip


def _layered_unit(weights, bias, inputs=2):
    return {"inputs": inputs, "layers": [{"weights": [weights], "bias": [bias]}]}


def _dag_unit(weights, bias, inputs=2, outputs=("y",)):
    return {"inputs": inputs, "units": {"y": {"inputs": ["x0", "x1"], "weights": weights,
                                              "bias": bias}},
            "outputs": list(outputs) if isinstance(outputs, tuple) else outputs}


@pytest.mark.parametrize("make", [_layered_unit, _dag_unit])
@pytest.mark.parametrize("weights, bias, inputs", [
    ([True, 1], 0, 2),       # a bool is no weight
    ([1, 1], False, 2),      # nor a bias
    ([1.0, 1], 0, 2),        # a float is no integer, even a whole one
    ([1, 1], 0.5, 2),
    ([1, "1"], 0, 2),
    ([1, None], 0, 2),
    ([1, 1], [0], 2),
    ([1, 1], 0, True),       # inputs: a bool is no count
    ([1, 1], 0, 2.0),
    ([1, 1], 0, "2"),
])
def test_network_fields_must_have_their_json_types(make, weights, bias, inputs):
    with pytest.raises(InputError):
        Network.from_dict(make(weights, bias, inputs))


@pytest.mark.parametrize("outputs", [[["y"]], [1], [None], "y", []])
def test_dag_outputs_must_be_unit_names(outputs):
    with pytest.raises(InputError, match="'outputs'|is not a unit"):
        Network.from_dict(_dag_unit([1, 1], 0, outputs=outputs))
    with pytest.raises(InputError, match="'outputs'|is not a unit"):
        Architecture.from_dict({"inputs": 2, "units": {"y": ["x0"]}, "outputs": outputs})


def test_the_json_loaders_accept_good_files(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(_layered_unit([2**80, 1], -(2**80))))  # ints beyond int64 load
    assert Network.load(path).function().to_hex() == "a"
    dag = tmp_path / "dag.json"
    dag.write_bytes(b"\xef\xbb\xbf" + json.dumps({"inputs": 1, "units": {"y": ["x0"]}}).encode())
    assert Architecture.from_file(dag).num_units == 1  # a byte-order mark is allowed


BAD_JSON_FILES = {
    "huge-int": (b'{"inputs": ' + b"1" * 5000 + b"}", "digits"),
    "deep-nesting": (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
    "non-utf8": (b'{"inputs": 2, "name": "caf\xe9"}', "not UTF-8"),
    "not-json": (b"{inputs: 2", "not valid JSON"),
    "nan": (b'{"inputs": NaN}', "NaN is not a JSON number"),
    "empty": (b"", "not valid JSON"),
}


@pytest.mark.parametrize("load", [Network.load, Architecture.from_file, parse_architecture],
                         ids=["network", "architecture", "--arch"])
@pytest.mark.parametrize("label", BAD_JSON_FILES)
def test_the_json_loaders_refuse_bad_files_in_one_line(tmp_path, load, label):
    content, words = BAD_JSON_FILES[label]
    path = tmp_path / "f.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=words) as err:
        load(str(path))
    assert "\n" not in str(err.value) and str(path) in str(err.value)


@pytest.mark.parametrize("load", [Network.load, Architecture.from_file])
def test_the_json_loaders_refuse_missing_files_and_folders(tmp_path, load):
    for path in (tmp_path / "missing.json", tmp_path):
        with pytest.raises(InputError, match="cannot read"):
            load(path)


def test_verifier_rejects_wrong_and_out_of_bounds_witnesses():
    arch = Architecture.parse("2-1")
    and2 = BooleanFunction.from_hex("8", 2)
    verify_witness(Network(arch, ((1, 1),), (-2,)), and2, Bounds())
    with pytest.raises(VerificationError, match="disagrees"):
        verify_witness(Network(arch, ((1, 1),), (-1,)), and2, Bounds())
    with pytest.raises(VerificationError, match="bounds"):
        verify_witness(Network(arch, ((2, 2),), (-4,)), and2, Bounds())
    # a partial function only constrains its care rows
    verify_witness(Network(arch, ((1, 1),), (-1,)), and2.subset([0, 3]), Bounds())

"""Writers: a witness `Network` in the formats of other tools (`realize.writers.registry`).

- `realize.writers.logic`: each unit as the Boolean function of its inputs, as a cover: BLIF and
  structural Verilog (ABC, yosys);
- `realize.writers.aiger`: the same as an and-inverter graph, AIGER ASCII and binary;
- `realize.writers.onnx_model`: the network itself, integer weights and all, as ONNX.
"""

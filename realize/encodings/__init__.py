"""Encodings of the realizability question for SAT and SMT solvers (one module each)."""

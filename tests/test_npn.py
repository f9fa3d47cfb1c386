"""NPN classification: class counts against OEIS, orbits against a brute-force definition."""

import itertools
import random

import numpy as np
import pytest

from realize.apps.threshold_enum import threshold_tables
from realize.errors import InputError
from realize.spec.npn import (
    canonical_forms,
    equivalence_classes,
    npn_canonical,
    npn_classes,
    npn_orbit,
    orbit_classes,
)


def transform(table: int, n: int, order: tuple[int, ...], mask: int, negate: bool) -> int:
    """g(x) = f(y) with y_i = x_order[i] ^ mask_i, optionally negated: the definition, bit by bit."""
    out = 0
    for x in range(2**n):
        y = sum((((x >> order[i]) & 1) ^ ((mask >> i) & 1)) << i for i in range(n))
        out |= (((table >> y) & 1) ^ negate) << x
    return out


def brute_orbit(table: int, n: int) -> set[int]:
    return {
        transform(table, n, order, mask, negate)
        for order in itertools.permutations(range(n))
        for mask in range(2**n)
        for negate in (False, True)
    }


@pytest.mark.parametrize("n", range(5))
def test_class_counts_match_oeis(known, n):
    classes = npn_classes(n)
    entry = known["npn_classes_all_functions"]
    assert len(classes) == entry["count"][entry["n"].index(n)]
    assert sum(size for _, size in classes) == 2 ** (2**n)
    assert [rep for rep, _ in classes] == sorted(rep for rep, _ in classes)


@pytest.mark.parametrize(("n", "expected"), list(enumerate([2, 4, 12, 80, 3984])))
def test_permutation_classes_match_oeis(n, expected):
    """OEIS A000612: functions of n inputs up to permuting the inputs."""
    classes = equivalence_classes(n, negations=False)
    assert len(classes) == expected
    assert sum(size for _, size in classes) == 2 ** (2**n)
    forms = canonical_forms(n, negations=False)
    for table in range(0, 2 ** (2**n), 97):
        orbit = {transform(table, n, order, 0, False) for order in itertools.permutations(range(n))}
        assert int(forms[table]) == min(orbit)


@pytest.mark.parametrize("n", range(5))
def test_threshold_functions_fall_into_known_number_of_classes(known, n):
    entry = known["npn_classes_threshold_functions"]
    classes = {npn_canonical(int(t), n) for t in threshold_tables(n)}
    assert len(classes) == entry["count"][entry["n"].index(n)]


@pytest.mark.parametrize("n", [2, 3, 4])
def test_orbit_is_the_definition_and_class_size(n):
    rng = random.Random(n)
    sizes = dict(npn_classes(n))
    for table in rng.sample(range(2 ** (2**n)), 12):
        orbit = npn_orbit(table, n)
        assert orbit == brute_orbit(table, n)
        assert npn_canonical(table, n) == min(orbit)
        assert sizes[min(orbit)] == len(orbit)


def test_canonical_is_constant_on_orbits_and_is_a_member():
    forms = canonical_forms(3)
    for table in range(256):
        assert forms[table] in npn_orbit(table, 3)
        assert {int(forms[t]) for t in npn_orbit(table, 3)} == {int(forms[table])}


def test_five_and_six_inputs_use_the_orbit():
    xor5 = 0x96696996
    assert npn_orbit(xor5, 5) == {xor5, 0xFFFFFFFF ^ xor5}
    and6 = 1 << 63
    assert npn_canonical(and6, 6) == 1          # the class of NOR6 (only row 0 is 1)
    assert len(npn_orbit(and6, 6)) == 2 * 64


def test_bad_input():
    with pytest.raises(InputError):
        npn_canonical(16, 2)
    with pytest.raises(InputError):
        npn_classes(6)
    with pytest.raises(InputError):
        npn_orbit(1, 7)


@pytest.mark.parametrize("n", range(5))
def test_orbit_classes_agree_with_canonical_forms(n: int) -> None:
    reps, sizes = orbit_classes(n)
    assert [(int(r), int(s)) for r, s in zip(reps, sizes, strict=True)] == npn_classes(n)


def test_the_shipped_classes_of_five_inputs(known) -> None:
    """616,126 classes (OEIS A000370) of 2^32 functions; the threshold functions of 5 inputs
    (94,572, OEIS A000609) fall into 63 of them (OEIS A001529); random tables' canonical forms
    are representatives, with the sizes of their orbits."""
    classes = npn_classes(5)
    reps = np.array([r for r, _ in classes], dtype=np.uint64)
    sizes = np.array([s for _, s in classes], dtype=np.int64)
    assert len(reps) == known["npn_classes_all_functions"]["count"][5] == 616126
    assert int(sizes.sum()) == 2**32 and np.all(np.diff(reps.astype(np.int64)) > 0)
    threshold = np.isin(reps, threshold_tables(5))
    assert int(threshold.sum()) == known["npn_classes_threshold_functions"]["count"][5] == 63
    assert int(sizes[threshold].sum()) == known["threshold_functions"]["count"][5]
    rng = np.random.default_rng(0)
    for table in rng.integers(0, 2**32, size=20).tolist():
        i = int(np.searchsorted(reps, npn_canonical(table, 5)))
        assert reps[i] == npn_canonical(table, 5) and sizes[i] == len(npn_orbit(table, 5))


@pytest.mark.slow
def test_orbits_make_the_shipped_classes_of_five_inputs() -> None:
    """About 10 minutes and 2.3 GB: the shipped file is what `orbit_classes(5)` computes."""
    reps, sizes = orbit_classes(5)
    assert list(zip(reps.tolist(), sizes.tolist(), strict=True)) == npn_classes(5)

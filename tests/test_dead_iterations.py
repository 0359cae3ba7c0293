"""A loop whose only side effect is a ZeroDivisionError check that cannot fire (1.0 / (k * k)
for k from 1, below 2**31) is versioned so the C compiler may delete the iterations whose
results are overwritten (internal/opt/divcheck.go). Results and exceptions stay CPython's,
on both sides of the version test."""

import os

import pytest

import sejit

pytestmark = pytest.mark.skipif(
    os.environ.get("SEJIT_DISABLE") == "1", reason="SEJIT_DISABLE=1: jit returns the function"
)


def last_inverse_square(lo, hi):
    x = -1.0
    for k in range(lo, hi):
        x = 1.0 / (k * k)
    return x


def last_inverse_shifted(n):
    x = -1.0
    for k in range(n):
        x = 1.0 / (k * k + 1)
    return x


def inverse_sum(n):
    s = 0.0
    for k in range(1, n + 1):
        s += 1.0 / (k * k)
    return s


def int_floor_div(n):
    x = 0
    for k in range(1, n):
        x = 1000000 // (3 * k)
    return x


@pytest.mark.parametrize("lo,hi", [(1, 1), (1, 2), (1, 10), (1, 100000), (5, 9),
                                   # the stop passes 2**31: the checked copy runs
                                   (2**31 - 2, 2**31 + 2)])
def test_results_match_cpython(lo, hi):
    assert sejit.jit(last_inverse_square)(lo, hi) == last_inverse_square(lo, hi)


@pytest.mark.parametrize("n", [0, 1, 7, 100000])
def test_other_forms_match_cpython(n):
    assert sejit.jit(last_inverse_shifted)(n) == last_inverse_shifted(n)
    assert sejit.jit(inverse_sum)(n) == inverse_sum(n)
    assert sejit.jit(int_floor_div)(n) == int_floor_div(n)


@pytest.mark.parametrize("lo,hi", [(0, 5), (-3, 2), (0, 2**31 + 5)])
def test_zero_divisor_still_raises(lo, hi):
    with pytest.raises(ZeroDivisionError) as want:
        last_inverse_square(lo, min(hi, 10))
    with pytest.raises(ZeroDivisionError) as got:
        sejit.jit(last_inverse_square)(lo, hi)
    assert str(got.value) == str(want.value)


def test_long_dead_loop_result():
    n = 10**8
    assert sejit.jit(last_inverse_square)(1, n + 1) == 1.0 / (n * n)

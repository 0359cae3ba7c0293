"""Edge cases of issue 5's kernel speed-ups, each against CPython/NumPy.

- min/max reductions run as vector candidates with a NaN flag (cgen/reduce.go): NaN at every
  position, all-NaN, infinities, signed zeros, both float widths, sizes around the 8-element
  block and the 16-element threshold, fused with a sum (np.mean), empty arrays;
- int() of a float is one conversion tested against INT64_MIN (lower/f2i.go): NaN raises
  ValueError and infinity OverflowError as in CPython, -2**63 converts, math.floor/ceil/trunc
  and round() likewise; inside a loop the effects before the bad element are kept;
- integer // and % take a 32-bit division when both operands fit (prelude): negative operands,
  values around 2**31, 2**32 and 2**63, unsigned arrays;
- the guards pass (opt/guards.go): indices a guard proves lose their check, others keep it and
  raise IndexError; negative indices inside a guard still wrap; short-circuit operands that
  could fail are not evaluated early.
"""

import math

import numpy as np
import pytest
from conftest import check, check_raises, jitted, quiet

# ---------------------------------------------------------------------------------------------
# min / max / mean


def minmaxmean(x):
    return np.min(x), np.max(x), np.mean(x)


def min_only(x):
    return np.min(x)


def max_then_sum(x):
    return np.max(x), np.sum(x)


SIZES = [1, 2, 7, 8, 9, 15, 16, 17, 23, 24, 31, 33, 64, 100]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n", SIZES)
def test_minmax_plain(n, dtype):
    x = np.random.default_rng(n).standard_normal(n).astype(dtype)
    check(minmaxmean, x)
    check(max_then_sum, x)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n", [1, 8, 9, 16, 17, 33])
def test_minmax_nan_at_every_position(n, dtype):
    base = np.random.default_rng(n).standard_normal(n).astype(dtype)
    for i in range(n):
        x = base.copy()
        x[i] = np.nan
        got = jitted(minmaxmean)(x)
        assert all(math.isnan(v) for v in got), (i, got)
        check(min_only, x)
        check(max_then_sum, x)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n", [1, 16, 40])
def test_minmax_all_nan_and_two_nans(n, dtype):
    check(minmaxmean, np.full(n, np.nan, dtype=dtype))
    x = np.arange(n, dtype=dtype)
    x[0] = x[-1] = np.nan
    check(minmaxmean, x)


@pytest.mark.parametrize("n", [3, 16, 41])
def test_minmax_infinities_and_signed_zeros(n):
    x = np.zeros(n)
    x[n // 2] = -np.inf
    x[-1] = np.inf
    check(minmaxmean, x)
    y = np.full(n, np.inf)
    check(minmaxmean, y)
    z = np.zeros(n)
    z[1::2] = -0.0
    got = jitted(min_only)(z)
    assert got == 0.0  # which zero NumPy returns for a tie is not specified either


def test_minmax_extreme_first_or_last():
    for n in (16, 17, 100):
        x = np.linspace(1.0, 2.0, n)
        x[0] = -5.0
        check(minmaxmean, x)
        x = np.linspace(1.0, 2.0, n)
        x[-1] = -5.0
        check(minmaxmean, x)


def test_minmax_strided_view():
    x = np.random.default_rng(3).standard_normal(101)
    check(minmaxmean, x[::3])
    y = x[::2].copy()
    y[17] = np.nan
    check(min_only, x[::2].copy())
    check(minmaxmean, y)


@pytest.mark.parametrize("fn", [minmaxmean, min_only, max_then_sum])
def test_minmax_empty_raises(fn):
    check_raises(fn, np.zeros(0), exc=ValueError)


# ---------------------------------------------------------------------------------------------
# int() of a float


def to_int(x):
    return int(x)


def floor_ceil_trunc(x):
    return math.floor(x), math.ceil(x), math.trunc(x)


def rounded(x):
    return round(x)


FINITE = [0.0, -0.0, 0.5, -0.5, 1.9999, -1.9999, 1e18, -1e18, 2.0**62, -(2.0**63), 9.2e18, -9.2e18]


@pytest.mark.parametrize("v", FINITE)
def test_int_of_finite(v):
    check(to_int, v)
    check(floor_ceil_trunc, v)
    check(rounded, v)


@pytest.mark.parametrize("fn", [to_int, floor_ceil_trunc, rounded])
@pytest.mark.parametrize("v", [math.nan, math.inf, -math.inf])
def test_int_of_nan_inf_raises_like_cpython(fn, v):
    with quiet():
        try:
            fn(v)
        except (ValueError, OverflowError) as e:
            want = e
    err = check_raises(fn, v, exc=type(want))
    assert str(err) == str(want)


@pytest.mark.parametrize("v", [2.0**63, 1e300, -1e300, -(2.0**63) * 2])
def test_int_out_of_int64_raises_overflow(v):
    # CPython returns a big int; sejit's int is 64-bit, so it raises instead of wrapping.
    with pytest.raises(OverflowError):
        jitted(to_int)(v)


def bin_counts(x, counts, lo, hi):
    nbins = counts.shape[0]
    scale = nbins / (hi - lo)
    for i in range(x.shape[0]):
        b = int((x[i] - lo) * scale)
        if 0 <= b < nbins and x[i] >= lo:
            counts[b] += 1


@pytest.mark.parametrize("bad,exc", [(np.nan, ValueError), (np.inf, OverflowError), (-np.inf, OverflowError)])
def test_int_in_loop_raises_after_earlier_effects(bad, exc):
    x = np.linspace(-1.0, 1.0, 50)
    x[30] = bad
    py_counts, jit_counts = np.zeros(8, np.int64), np.zeros(8, np.int64)
    with quiet():
        with pytest.raises(exc):
            bin_counts(x, py_counts, -1.0, 1.0)
    with pytest.raises(exc):
        jitted(bin_counts)(x, jit_counts, -1.0, 1.0)
    np.testing.assert_array_equal(jit_counts, py_counts)


def test_histogram_matches():
    x = np.random.default_rng(5).standard_normal(5000)
    x[::97] = 4.0  # the top edge: dropped (b == nbins)
    x[::89] = -4.0
    check(bin_counts, x, np.zeros(64, np.int64), -4.0, 4.0)
    check(bin_counts, x, np.zeros(1, np.int64), -1.0, 1.0)
    check(bin_counts, x, np.zeros(0, np.int64), -1.0, 1.0)


# ---------------------------------------------------------------------------------------------
# // and %


def divmod_all(a, b):
    return a // b, a % b, divmod(a, b)


EDGE_INTS = [0, 1, 2, 7, -1, -7, 2**31 - 1, 2**31, -(2**31), 2**32 - 1, 2**32, 2**32 + 1, -(2**32),
             2**62, 2**63 - 1, -(2**63)]


@pytest.mark.parametrize("b", [v for v in EDGE_INTS if v != 0])
def test_floor_div_mod_edges(b):
    for a in EDGE_INTS:
        if a == -(2**63) and b == -1:
            continue  # 2**63 does not fit in int64
        check(divmod_all, a, b)


def mod_arrays(a, b):
    return a % b, a // b


@pytest.mark.parametrize("dtype", [np.int64, np.uint64, np.int32])
def test_array_mod_near_32_bits(dtype):
    info = np.iinfo(dtype)
    vals = [v for v in [1, 3, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**32 + 5, 2**62, -5, -(2**31), -(2**32) - 3]
            if info.min <= v <= info.max]
    a = np.array([x for x in vals for _ in vals], dtype=dtype)
    b = np.array([y for _ in vals for y in vals], dtype=dtype)
    check(mod_arrays, a, b)


def count_primes(n):
    count = 0
    for m in range(2, n):
        if m % 2 == 0:
            if m == 2:
                count += 1
            continue
        is_prime = True
        d = 3
        while d * d <= m:
            if m % d == 0:
                is_prime = False
                break
            d += 2
        if is_prime:
            count += 1
    return count


def test_primes_and_big_moduli():
    check(count_primes, 2000)
    check(count_primes, 0)


def mod_loop(start, n, d):
    s = 0
    for m in range(start, start + n):
        s = s ^ (m % d) ^ (m // d)  # xor: stays in int64
    return s


@pytest.mark.parametrize("start", [-(2**32) - 5, -(2**31) - 5, -5, 2**31 - 5, 2**32 - 5, 2**63 - 20])
@pytest.mark.parametrize("d", [3, -3, 2**31, 2**32 - 1, -(2**32)])
def test_mod_crossing_32_bit_boundaries(start, d):
    check(mod_loop, start, 10, d)


# ---------------------------------------------------------------------------------------------
# guards


def unproved_index(x, counts):
    nbins = counts.shape[0]
    for i in range(x.shape[0]):
        b = int(x[i])
        if b < nbins + 1:
            counts[b] += 1


def wrapped_index(x, counts):
    nbins = counts.shape[0]
    for i in range(x.shape[0]):
        b = int(x[i])
        if -nbins <= b < nbins:
            counts[b] += 1


def reassigned_index(x, counts):
    nbins = counts.shape[0]
    for i in range(x.shape[0]):
        b = int(x[i])
        if 0 <= b < nbins:
            b = b + 2
            counts[b] += 1


def other_array_bound(x, counts, other):
    n = other.shape[0]
    for i in range(x.shape[0]):
        b = int(x[i])
        if 0 <= b < n:
            counts[b] += 1


def test_guard_that_does_not_prove_keeps_the_check():
    counts = np.zeros(4, np.int64)
    check(unproved_index, np.array([0.0, 3.0, -2.0]), counts)
    check_raises(unproved_index, np.array([0.0, 4.0]), counts, exc=IndexError)
    check_raises(unproved_index, np.array([-5.0]), counts, exc=IndexError)
    check(wrapped_index, np.array([-4.0, -1.0, 0.0, 3.0, 9.0, -9.0]), counts)
    check(reassigned_index, np.array([0.0, 1.0]), counts)
    check_raises(reassigned_index, np.array([0.0, 3.0]), counts, exc=IndexError)
    check(other_array_bound, np.array([0.0, 3.0]), counts, np.zeros(4))
    check_raises(other_array_bound, np.array([0.0, 5.0]), counts, np.zeros(9), exc=IndexError)


def short_circuit_index(x, m):
    c = 0
    for i in range(m):
        if i < x.shape[0] and x[i] > 0:
            c += 1
    return c


def short_circuit_div(a, b):
    c = 0
    for i in range(a):
        if b != 0 and i // b > 1:
            c += 1
        if b == 0 or i % b == 0:
            c += 10
    return c


def test_short_circuit_operands_that_could_fail_are_not_evaluated_early():
    check(short_circuit_index, np.array([1.0, -1.0, 2.0]), 10)
    check(short_circuit_div, 20, 0)
    check(short_circuit_div, 20, 3)


def sunk_else(x, counts):
    for i in range(x.shape[0]):
        b = int(x[i])
        if 0 <= b < counts.shape[0]:
            counts[b] += 1
        else:
            counts[0] -= 1


@pytest.mark.parametrize("kernel", [sunk_else, unproved_index])
@pytest.mark.parametrize("bad,exc", [(np.nan, ValueError), (np.inf, OverflowError), (-np.inf, OverflowError)])
def test_conversion_checks_keep_their_place(kernel, bad, exc):
    # The guards pass moves int()'s checks into the else branch only when the guard rejects the
    # conversion's sentinel; either way the exception comes after the same effects as CPython's.
    x = np.array([0.0, 1.0, -3.0, 2.0, bad, 1.0])
    py_counts, jit_counts = np.zeros(4, np.int64), np.zeros(4, np.int64)
    with quiet():
        with pytest.raises(exc):
            kernel(x, py_counts)
    with pytest.raises(exc):
        jitted(kernel)(x, jit_counts)
    np.testing.assert_array_equal(jit_counts, py_counts)
    check(sunk_else, np.array([0.0, 7.0, -1.0, 3.0]), np.zeros(4, np.int64))


# ---------------------------------------------------------------------------------------------
# Checks the loop leaves unchanged (opt/boundscheck.go): tested once before the loop, or, when
# that test fails, the loop keeps its checks and raises at the iteration CPython does, after the
# effects of the iterations before it.


def invariant_index(x, out, j):
    for i in range(x.shape[0]):
        out[i] = x[i] * 2.0
        if i == 3:
            out[i] += x[j]
    return out.sum()


def invariant_column(pos, k):
    s = 0.0
    for i in range(pos.shape[0]):
        for j in range(pos.shape[0]):
            s += pos[j, k] - pos[i, k]
    return s


@pytest.mark.parametrize("j", [0, 5, -1, -6])
def test_invariant_index_in_bounds(j):
    check(invariant_index, np.arange(6.0), np.zeros(6), j)


@pytest.mark.parametrize("j", [6, -7, 100])
def test_invariant_index_out_of_bounds_keeps_earlier_effects(j):
    x = np.arange(6.0)
    want, got = np.zeros(6), np.zeros(6)
    with pytest.raises(IndexError) as e1:
        invariant_index(x, want, j)
    with pytest.raises(IndexError) as e2:
        jitted(invariant_index)(x, got, j)
    assert str(e1.value) == str(e2.value)
    np.testing.assert_array_equal(got, want)  # out[0..3] written before the failing read


@pytest.mark.parametrize("k", [0, 2, -1, 3])
def test_invariant_column(k):
    pos = np.random.default_rng(0).standard_normal((7, 3))
    if -3 <= k < 3:
        check(invariant_column, pos, k)
    else:
        check_raises(invariant_column, pos, k, exc=IndexError)


# Loops counting down (range(start, stop, -1)): the loop variable above a constant stop of -1 or
# more needs no wrap-around, and the checks are tested once before the loop from both ends; a
# failing test runs the checked loop, which raises where CPython does after the earlier stores.


def back_substitute(dp, cp, x, start, stop):
    for i in range(start, stop, -1):
        x[i] = dp[i] - cp[i] * x[i + 1]
    return x


def back_offset(x, out, start):
    for i in range(start, 1, -2):
        out[i - 2] = x[i] + x[i - 2]
    return out


@pytest.mark.parametrize("start,stop", [(8, -1), (5, 2), (0, -1), (-1, -1), (3, 5), (9, -1),
                                        (8, -3), (-2, -12), (4, -11)])
def test_counting_down(start, stop):
    rng = np.random.default_rng(3)
    dp, cp = rng.standard_normal(10), rng.standard_normal(10)
    want = np.arange(10.0)
    try:
        back_substitute(dp, cp, want, start, stop)
    except IndexError:
        check_raises(back_substitute, dp, cp, np.arange(10.0), start, stop, exc=IndexError)
        got = np.arange(10.0)
        with pytest.raises(IndexError):
            jitted(back_substitute)(dp, cp, got, start, stop)
        np.testing.assert_array_equal(got, want)  # the stores before the failing index
        return
    check(back_substitute, dp, cp, np.arange(10.0), start, stop)


@pytest.mark.parametrize("start", [9, 8, 2, 1, 11, -3])
def test_counting_down_by_two(start):
    check(back_offset, np.arange(10.0), np.zeros(10), start) if start < 10 else \
        check_raises(back_offset, np.arange(10.0), np.zeros(10), start, exc=IndexError)


def upper_pairs(x, n, c):
    s = x[0] * 0.0
    for i in range(n - 1):
        for j in range(i + 1, n):
            s += x[i] * x[j] + x[j - c]
    return s


@pytest.mark.parametrize("n,c", [(8, 0), (8, 1), (8, 3), (0, 1), (9, 0), (12, 2), (8, -1), (8, 9)])
def test_counting_up_from_a_loop_variable(n, c):
    x = np.random.default_rng(4).standard_normal(8)
    try:
        upper_pairs(x, n, c)
    except IndexError:
        check_raises(upper_pairs, x, n, c, exc=IndexError)
        return
    check(upper_pairs, x, n, c)


# Conditional stores to an address the condition loaded run as selects (opt/ifconvert.go); the
# results, the counts and the stores that must not happen are compared with CPython.


def swap_pass(a):
    swaps = 0
    swapped = False
    for j in range(len(a) - 1):
        if a[j] > a[j + 1]:
            tmp = a[j]
            a[j] = a[j + 1]
            a[j + 1] = tmp
            swaps += 1
            swapped = True
    return swaps, swapped


def clamp_running_max(a, b):
    m = a[0]
    for j in range(len(a)):
        if a[j] < b[j]:
            a[j] = b[j] * 2
            m = a[j] + m
    return m


def store_elsewhere(a, k):
    for j in range(len(a)):
        if a[j] > 100.0:
            a[j + k] = -1.0  # not loaded by the condition: keeps its branch and its check
    return a


@pytest.mark.parametrize("make", [
    lambda: np.random.default_rng(5).integers(-50, 50, size=40),
    lambda: np.random.default_rng(6).standard_normal(33),
    lambda: np.array([3.0, np.nan, 1.0, -np.inf, np.nan, 2.0]),
    lambda: np.arange(10, dtype=np.int32)[::-1].copy(),
    lambda: np.arange(20.0)[::2],
    lambda: np.zeros(1),
])
def test_compare_and_swap(make):
    check(swap_pass, make())
    check(clamp_running_max, make(), make()[::-1].copy())


@pytest.mark.parametrize("k", [0, 5, 100, -100])
def test_conditional_store_not_loaded(k):
    x = np.arange(10.0)
    check(store_elsewhere, x, k)  # no element exceeds 100: no store, no IndexError
    y = np.arange(10.0)
    y[3] = 500.0
    if -10 <= 3 + k < 10:
        check(store_elsewhere, y, k)
    else:
        check_raises(store_elsewhere, y, k, exc=IndexError)

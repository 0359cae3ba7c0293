"""Conformance: several integer index arrays in one index, a tuple variable as an index, tuple
comparisons, the ufunc methods reduce/accumulate/outer, conjugate, and imports inside a function
body (issue 14). See tests/conformance.py.
"""

import numpy as np
import pytest
from conformance import Cases
from sejit import jit

cases = Cases(__name__)


def m34(dtype=np.float64):
    return np.arange(12, dtype=dtype).reshape(3, 4) - 4


def m234():
    return np.arange(24.0).reshape(2, 3, 4)


I3 = np.array([0, 2, -1])
J3 = np.array([1, 3, 0])
REP = np.array([1, 1, 0, 1])
IJ = (
    lambda: (m34(), I3.copy(), J3.copy()),
    lambda: (m34(np.int32), np.array([2, 2, 0], dtype=np.int32), np.array([-4, 3, 3], dtype=np.int16)),
    lambda: (np.asfortranarray(m34()), np.array([1]), J3.copy()),
    lambda: (m34()[:, ::-1], np.array([], dtype=np.int64), np.array([], dtype=np.int64)),
    lambda: (np.arange(20.0).reshape(4, 5)[::2, 1:], np.array([1, -2]), np.array([3, -1])),
)


# --------------------------------------------------------------------------- several index arrays


@cases.add("arr.multi-index", *IJ)
def mi_read(a, i, j):
    return a[i, j]


@cases.add("arr.multi-index", *IJ)
def mi_store(a, i, j):
    a[i, j] = 7
    return a


@cases.add("arr.multi-index", *IJ)
def mi_store_array(a, i, j):
    a[i, j] = np.arange(len(i)) * 2
    return a


@cases.add("arr.multi-index", *IJ)
def mi_aug(a, i, j):
    a[i, j] += 5
    return a


@cases.add("arr.multi-index", lambda: (np.zeros((3, 3)), REP.copy(), np.array([2, 2, 1, 2])))
def mi_repeated(a, i, j):
    a[i, j] += 1.0  # buffered: each repeated element gets one addition
    b = np.zeros((3, 3))
    b[i, j] = np.arange(4.0)  # the last write wins
    return a, b


@cases.add("arr.multi-index", lambda: (m34(), I3.copy(), J3.copy()), lambda: (m34(), np.array([1]), J3.copy()))
def mi_broadcast(a, i, j):
    return a[i[:, None], j], a[i[:, None], j[None, :]], a[i, j[:, None]]


@cases.add("arr.multi-index", lambda: (m34(), np.array([[0, 1], [2, 2]]), np.array([[3, 0], [1, 1]])))
def mi_2d_indices(a, i, j):
    b = a.copy()
    b[i, j] = -1.0
    return a[i, j], b


@cases.add("arr.multi-index", lambda: (m34(), I3.copy()), lambda: (m34(np.int64), np.array([-3, 1])))
def mi_scalar_mix(a, i):
    return a[i, 2], a[i, -1], a[-1, i + 1]


@cases.add("arr.multi-index", lambda: (m234(), np.array([0, 1, 1]), np.array([2, 0, 1])))
def mi_3d(a, i, j):
    r1 = a[i, j]          # the advanced axes first, the last axis kept
    r2 = a[:, i, j[::-1]]  # the advanced block after a slice
    r3 = a[i, :, j]       # separated: NumPy moves the broadcast axes first
    r4 = a[0, j, i + 1]   # an integer joins the broadcast
    r5 = a[i, 1:, j]
    return r1, r2, r3, r4, r5


@cases.add("arr.multi-index", lambda: (m234(), np.array([0, 1, 1]), np.array([2, 0, 1])))
def mi_3d_store(a, i, j):
    a[i, j] = 0.5
    a[:, j, i + 2] += 10.0
    a[i, :, j] = -a[i, :, j]
    return a


@cases.add("arr.multi-index", lambda: (np.arange(5.0), np.array([[0, -1], [2, 2]])),
           lambda: (m34(), np.array([[2], [0]])), lambda: (m234(), np.zeros((2, 2, 1), dtype=np.int32)))
def mi_one_nd_array(a, i):
    b = a.copy()
    b[i] = -1
    b[i] += 1
    return a[i], b


@cases.add("arr.multi-index", lambda: (m234(), np.array([1, 0, 3])))
def mi_separated_by_int(a, i):
    b = a.copy()
    b[0, :, i] = 9.0
    return a[0, :, i], a[1, 1:, i], a[:, 0, i], b


@cases.add("arr.fancy", lambda: (m34(), np.array([0, 2])))
def fancy_next_to_newaxis(a, i):
    # One 1-D index array beside None keeps its simpler path.
    return a[i, np.newaxis], a[i, None], a[:, None, i]


@cases.add("arr.multi-index", lambda: (np.arange(5.0), np.array([[0, 7]])), raises=IndexError)
def mi_one_nd_out_of_bounds(a, i):
    return a[i]


@cases.add("arr.multi-index", lambda: (m34(), I3.copy(), J3.copy()))
def mi_in_expression(a, i, j):
    return np.sum(a[i, j] * 2.0 + 1.0), a[i, j].max(), (a[i, j] > 0).sum()


@cases.add("arr.multi-index", lambda: (m34(), np.array([0, 3]), J3[:2].copy()), raises=IndexError, match=True)
def mi_out_of_bounds_row(a, i, j):
    return a[i, j]


@cases.add("arr.multi-index", lambda: (m34(), I3.copy(), np.array([1, 4, 0])), raises=IndexError, match=True)
def mi_out_of_bounds_col(a, i, j):
    return a[i, j]


@cases.add("arr.multi-index", lambda: (m34(), I3.copy(), np.array([-5, 0, 0])), raises=IndexError)
def mi_out_of_bounds_negative(a, i, j):
    a[i, j] = 1.0
    return a


@cases.add("arr.multi-index", lambda: (m34(), I3.copy(), np.array([1, 2])), raises=IndexError)
def mi_shape_mismatch(a, i, j):
    return a[i, j]


@cases.add("arr.multi-index", lambda: (m34(), I3.copy(), J3.copy()), raises=ValueError)
def mi_store_shape_mismatch(a, i, j):
    a[i, j] = np.ones(2)
    return a


@cases.add("arr.multi-index", lambda: (m34(), np.array([0, 9]), J3[:2].copy()), raises=IndexError)
def mi_store_checks_first(a, i, j):
    a[i, j] = 1.0  # nothing is written before the IndexError
    return a


# --------------------------------------------------------------------------- tuple as an index


@cases.add("arr.tuple-index", lambda: (m34(), 1, 2), lambda: (m34(np.int32), -1, -4))
def tuple_index(a, i, j):
    idx = (i, j)
    v = a[idx]
    a[idx] = 100
    idx2 = (j, i)
    return v, a, a.T[idx2]


@cases.add("arr.tuple-index", lambda: (m34(), 0, 3))
def tuple_index_aug(a, i, j):
    idx = (i, j)
    a[idx] += 2.5
    a[idx] *= 2
    return a


@cases.add("arr.tuple-index", lambda: (m34(), I3.copy(), J3.copy()))
def tuple_of_arrays_index(a, i, j):
    idx = (i, j)
    r = a[idx]
    a[idx] = -1.0
    return r, a


@cases.add("arr.tuple-index", lambda: (m234(), 1))
def tuple_index_partial(a, k):
    idx = (k, 2)
    return a[idx]


@cases.add("arr.tuple-index", lambda: (m34(), 3, 0), raises=IndexError, match=True)
def tuple_index_out_of_bounds(a, i, j):
    idx = (i, j)
    return a[idx]


# --------------------------------------------------------------------------- tuple comparisons

PAIRS = ((1, 2, 1, 3), (1, 2, 1, 2), (2, 0, 1, 9), (-1, 5, -1, 4), (0, 0, 0, 0))


@cases.add("py.tuple-compare", *PAIRS)
def tuple_compare_all(a, b, c, d):
    x = (a, b)
    y = (c, d)
    return (x < y, x <= y, x > y, x >= y, x == y, x != y,
            (a, b) < (c, d), (a,) == (c,), (a, b, 1) > (c, d))


@cases.add("py.tuple-compare", (1.5, 2, 1.5, 2.5), (0.0, -1, -0.0, -1), (3.0, 1, 2.0, 7))
def tuple_compare_mixed(a, b, c, d):
    return (a, b) < (c, d), (a, b) == (c, d), (a, b) >= (c, d), (a, b) != (c, 2)


@cases.add("py.tuple-compare", (1, 2, 3), (1, 2, 2), (0, 9, 9))
def tuple_compare_lengths(a, b, c):
    return ((a, b) < (a, b, c), (a, b, c) <= (a, b), (a, b) == (a, b, c), (a, b) != (a, b, c),
            (a, b, c) > (a, b), () < (a,), () == ())


@cases.add("py.tuple-compare", (1, 2), (2, 1), (3, 3))
def tuple_compare_nested(a, b):
    return ((a, (b, 1)) < (a, (b, 2)), ((a, b), 1) == ((a, b), 1), ((a, b), 0) > ((b, a), 0))


@cases.add("py.tuple-compare", (5,), (0,), (1,))
def tuple_compare_loop(n):
    # The lexicographic maximum of (i * 7 % 5, i) over a range.
    best = (-1, -1)
    for i in range(n):
        cand = (i * 7 % 5, i)
        if cand > best:
            best = cand
    return best


# --------------------------------------------------------------------------- ufunc methods

RED = (
    lambda: (m34(),),
    lambda: (m34(np.int32),),
    lambda: (np.asfortranarray(m34(np.int64)),),
    lambda: (m234()[:, ::2, :],),
)


@cases.add("uf.methods", *RED)
def ufunc_reduce(a):
    return (np.add.reduce(a), np.multiply.reduce(a, axis=1), np.maximum.reduce(a),
            np.minimum.reduce(a, -1), np.add.reduce(a, axis=None), np.add.reduce(a, 0, keepdims=True))


@cases.add("uf.methods", lambda: (np.arange(6.0) - 2,), lambda: (np.array([3, -1, 7], dtype=np.int16),),
           lambda: (np.array([True, False, True]),))
def ufunc_reduce_1d(a):
    return np.add.reduce(a), np.multiply.reduce(a), np.maximum.reduce(a), np.minimum.reduce(a)


@cases.add("uf.methods", lambda: (np.array([[True, False], [True, True]]),), lambda: (m34() > 0,))
def ufunc_logical_reduce(m):
    return (np.logical_and.reduce(m), np.logical_or.reduce(m), np.logical_and.reduce(m, axis=1),
            np.logical_or.reduce(m, axis=None))


@cases.add("uf.methods", *RED)
def ufunc_accumulate(a):
    return np.add.accumulate(a), np.multiply.accumulate(a, axis=1), np.add.accumulate(a, -1)


@cases.add("uf.methods", lambda: (np.arange(5, dtype=np.int8),), lambda: (np.array([True, True, False]),))
def ufunc_accumulate_small(a):
    return np.add.accumulate(a), np.multiply.accumulate(a)


@cases.add("uf.methods", lambda: (np.arange(4.0), np.arange(3.0) - 1),
           lambda: (np.arange(3, dtype=np.int32), np.array([2, -2], dtype=np.int64)))
def ufunc_outer(a, b):
    return (np.add.outer(a, b), np.multiply.outer(a, b), np.subtract.outer(b, a), np.maximum.outer(a, b),
            np.greater.outer(a, b), np.minimum.outer(b, a))


@cases.add("uf.methods", lambda: (m34(), np.arange(2.0)), lambda: (np.arange(3.0), m34()))
def ufunc_outer_ranks(a, b):
    return np.add.outer(a, b), np.multiply.outer(a, 2.0)


@cases.add("uf.methods", lambda: (np.zeros(0),), raises=ValueError)
def ufunc_reduce_empty(a):
    return np.maximum.reduce(a)


@cases.add("uf.methods", lambda: (np.zeros(5), np.array([0, 0, 1, 4, -1]), np.arange(5.0)),
           lambda: (np.arange(6, dtype=np.int64), np.array([5, 5, 5]), np.array([1, 2, 3])))
def ufunc_at_1d(a, i, v):
    np.add.at(a, i, v)  # unbuffered: a repeated index adds every time
    np.multiply.at(a, i[:2], 2)
    np.subtract.at(a, 0, 1)
    np.add.at(a, i, 1)
    return a


@cases.add("uf.methods", lambda: (np.zeros((3, 4)), np.array([0, 0, 2]), np.array([1, 1, 3])))
def ufunc_at_2d(a, i, j):
    np.add.at(a, (i, j), 1.0)
    idx = (i, j)
    np.subtract.at(a, idx, np.array([0.5, 0.25, 2.0]))
    np.add.at(a, 2, np.arange(4.0))  # a whole row
    np.add.at(a, i, np.ones(4))      # rows, repeated
    return a


@cases.add("uf.methods", lambda: (np.zeros(3), np.array([0, 3])), raises=IndexError, match=True)
def ufunc_at_out_of_bounds(a, i):
    np.add.at(a, i, 1.0)
    return a


# --------------------------------------------------------------------------- conjugate


@cases.add("uf.conj", lambda: (np.array([1 + 2j, -3 - 1j, 0j]),), lambda: (np.arange(4.0),),
           lambda: (np.array([1, -2], dtype=np.int32),), lambda: (np.array([True, False]),),
           lambda: (np.array([[1 - 1j, 2j]], dtype=np.complex64),))
def conj_arrays(a):
    return np.conjugate(a), np.conj(a), a.conjugate(), a.conj(), np.conjugate(a * 2)


@cases.add("uf.conj", (1 + 2j,), (-0.5 - 3j,), (2.5,))
def conj_scalar(z):
    return z.conjugate() * 2, np.conjugate(z)


@cases.add("uf.conj", lambda: (np.array([1 + 2j, 3 - 1j]),))
def conj_norm(a):
    return np.sum(a * a.conjugate()).real


# --------------------------------------------------------------------------- imports


@cases.add("py.import", lambda: (np.arange(5.0),))
def import_numpy(a):
    import numpy as np

    return np.sin(a) + np.sum(a)


@cases.add("py.import", (2.0,), (9.0,))
def import_math(x):
    import math

    return math.sqrt(x) + math.floor(x)


@cases.add("py.import", lambda: (np.arange(4.0),))
def import_from(a):
    from numpy import cos
    from numpy import sum as total
    from math import exp

    return cos(a), total(a), exp(1.0)


@cases.add("py.import", lambda: (np.arange(4.0) + 1,))
def import_submodule(a):
    import numpy.linalg as la
    import cmath

    return la.norm(a), cmath.sqrt(-1.0)


# --------------------------------------------------------------------------- ufunc out


@cases.add("uf.out", lambda: (np.arange(4.0), np.arange(4.0) + 1, np.zeros(4)),
           lambda: (np.arange(6.0).reshape(2, 3), np.arange(3.0), np.zeros((2, 3))))
def ufunc_out_positional(a, b, c):
    np.multiply(a, b, c)
    r1 = c.copy()
    np.sin(a, c)
    r2 = c.copy()
    d = np.add(a, b, c)
    d += 1.0
    np.subtract(a, b, out=c)
    return r1, r2, d, c


@cases.add("uf.out", lambda: (np.arange(5), np.zeros(5)), lambda: (np.arange(5, dtype=np.int32), np.zeros(5, dtype=np.int64)))
def ufunc_out_casts(a, c):
    np.add(a, 1, c)  # int into a float or wider int output: same_kind allows it
    np.maximum(c, 2, out=c)
    return c


@cases.add("uf.out", lambda: (np.arange(4.0),))
def ufunc_out_in_place(a):
    np.add(a, a[::-1], a)  # the output overlaps an input
    np.negative(a, a)
    return a


@cases.add("uf.out", lambda: (np.arange(4.0), np.zeros(4)))
def ufunc_out_returned(a, c):
    for k in range(3):
        np.add(c, a, c)
    return np.sqrt(c, c)


@cases.add("uf.out", lambda: (np.arange(4.0), np.zeros(3)), raises=ValueError)
def ufunc_out_bad_shape(a, c):
    np.add(a, 1.0, c)
    return c


# --------------------------------------------------------------------------- einsum


def fm(*shape, dtype=np.float64):
    return (np.arange(int(np.prod(shape)), dtype=dtype).reshape(shape) % 7 - 3).astype(dtype)


@cases.add("la.einsum", lambda: (fm(3, 3),), lambda: (fm(4, 4, dtype=np.int32),), lambda: (fm(3, 3)[::-1, ::2][:2],))
def einsum_one(a):
    # Transposes and diagonals are copies here where NumPy may return views, so each result is
    # combined into a new array before it is compared.
    return (np.einsum("ij->", a), np.einsum("ij->j", a), np.einsum("ij->i", a), np.einsum("ij->ji", a) + 0,
            np.einsum("ji", a) + 0, np.einsum("ij", a) * 1)


@cases.add("la.einsum", lambda: (fm(3, 3),), lambda: (fm(4, 4, dtype=np.int64),), lambda: (np.asfortranarray(fm(2, 2)),))
def einsum_trace(a):
    return np.einsum("ii", a), np.einsum("ii->i", a) + 0, np.einsum("ii->", a)


@cases.add("la.einsum", lambda: (fm(3, 4), fm(4, 5)), lambda: (fm(3, 4, dtype=np.int32), fm(4, 2, dtype=np.int32)),
           lambda: (fm(2, 3, dtype=np.int64), fm(3, 2, dtype=np.float64)), lambda: (fm(3, 4, dtype=np.float32), fm(4, 2, dtype=np.float32)))
def einsum_matmul(a, b):
    return np.einsum("ij,jk->ik", a, b), np.einsum("ij,jk", a, b), np.einsum("ij,jk->ki", a, b)


@cases.add("la.einsum", lambda: (fm(3, 4), fm(4)), lambda: (fm(2, 3, dtype=np.int32), fm(3, dtype=np.int32)))
def einsum_matvec(a, v):
    return np.einsum("ij,j->i", a, v), np.einsum("j,ij->i", v, a), np.einsum("j,j", v, v), np.einsum("i,j->ij", v, v)


@cases.add("la.einsum", lambda: (fm(3, 4), fm(3, 4)), lambda: (fm(2, 2, dtype=np.int16), fm(2, 2, dtype=np.int16)))
def einsum_products(a, b):
    return np.einsum("ij,ij->ij", a, b), np.einsum("ij,ij->", a, b), np.einsum("ij,ij->i", a, b), np.einsum("ij,ik->jk", a, b)


@cases.add("la.einsum", lambda: (fm(2, 3), fm(3, 4), fm(4, 2)))
def einsum_three(a, b, c):
    return np.einsum("ij,jk,kl->il", a, b, c), np.einsum("ij,jk,ki->", a, b, c), np.einsum("ij,jk,kl", a, b, c)


@cases.add("la.einsum", lambda: (fm(2, 3, 4), fm(2, 4, 5)))
def einsum_batched(a, b):
    return np.einsum("bij,bjk->bik", a, b), np.einsum("bij,bjk->b", a, b), np.einsum("bij->bji", a) + 0


@cases.add("la.einsum", lambda: (fm(1, 3), fm(4, 3)), lambda: (fm(4, 1), fm(4, 3)))
def einsum_stretch(a, b):
    return np.einsum("ij,ij->ij", a, b), np.einsum("ij,ij->j", a, b)


@cases.add("la.einsum", lambda: (fm(3), fm(1)))
def einsum_stretch_1d(a, b):
    return np.einsum("i,i->i", a, b), np.einsum("i,i->i", b, a)


@cases.add("la.einsum", lambda: (np.array([True, False, True]), np.array([False, False, True])),
           lambda: (np.array([1 + 1j, 2j]), np.array([3 - 1j, 1j])))
def einsum_dtypes(a, b):
    return np.einsum("i,i", a, b), np.einsum("i,j->ij", a, b)


@cases.add("la.einsum", lambda: (fm(3, 4),))
def einsum_folded_subscripts(a):
    # A string held in a variable is a compile-time constant, as a literal.
    s = "ij->j"
    return np.einsum(s, a)


@cases.add("la.einsum", lambda: (fm(3, 4), fm(3, 4)), raises=ValueError)
def einsum_shape_mismatch(a, b):
    return np.einsum("ij,jk->ik", a, b)


@cases.add("la.einsum", lambda: (fm(3, 4),), raises=ValueError)
def einsum_too_many_subscripts(a):
    return np.einsum("ijk->i", a)


@cases.add("la.einsum", lambda: (fm(3, 4),), raises=ValueError)
def einsum_bad_output(a):
    return np.einsum("ij->k", a)


@cases.add("la.einsum", lambda: (fm(3, 4),), raises=ValueError)
def einsum_too_few_operands(a):
    return np.einsum("ij,jk->ik", a)


# --------------------------------------------------------------------------- batched matmul


@cases.add("la.matmul-stack", lambda: (fm(2, 3, 4), fm(2, 4, 5)), lambda: (fm(2, 3, 4), fm(4, 5)),
           lambda: (fm(1, 3, 4, dtype=np.int32), fm(2, 4, 2, dtype=np.int32)), lambda: (fm(4, 3), fm(2, 3, 2)),
           lambda: (fm(2, 1, 2, 3), fm(3, 3, 2)))
def matmul_stack(a, b):
    return a @ b, np.matmul(a, b)


@cases.add("la.matmul-stack", lambda: (fm(2, 3, 4), fm(4)), lambda: (fm(3), fm(2, 3, 4)))
def matmul_stack_vector(a, b):
    return a @ b


@cases.add("la.matmul-stack", lambda: (fm(2, 3, 4), fm(3, 4, 2)), lambda: (fm(2, 3, 4), fm(2, 3, 5)), raises=ValueError)
def matmul_stack_mismatch(a, b):
    return a @ b


# --------------------------------------------------------------------------- x.shape = ...


@cases.add("arr.shape-assign", lambda: (np.arange(12.0).reshape(3, 4),), lambda: (np.arange(6).reshape(2, 3),))
def shape_assign(a):
    b = a.copy()
    b.shape = (b.shape[1], b.shape[0])
    b[0, 1] = 100
    return b, a


@cases.add("arr.shape-assign", lambda: (np.arange(12.0).reshape(3, 4),), raises=ValueError)
def shape_assign_bad(a):
    b = a + 1
    b.shape = (5, 3)
    return b


@cases.add("arr.fancy", lambda: (np.arange(15.0).reshape(3, 5), 0, 2), lambda: (np.arange(6).reshape(3, 2), 2, 2))
def list_display_index(M, k, p):
    A = M.copy()
    A[[k, p]] = A[[p, k]]          # the row swap of Gaussian elimination
    A[:, [1, 0]] = A[:, [0, 1]]
    A[[0, -1], [1, 0]] = 7
    return A, A[[k, 1], 1], A[:, [-1, 0, 0]], M[:, 0][[True, False, True]], M[[-1]], M[[]]


@cases.add("arr.fancy", lambda: (np.arange(6.0).reshape(3, 2),), raises=IndexError)
def list_display_index_bounds(M):
    return M[[0, 3]]


@cases.add("uf.methods", lambda: (np.array([[3.0, 1.0, 4.0], [1.0, np.nan, 9.0], [2.0, 6.0, 5.0]]),),
           lambda: (np.array([[3, -1, 4, 1], [5, 9, -2, 6]], dtype=np.int32),),
           lambda: (np.asfortranarray(np.arange(12.0).reshape(3, 4)[:, ::-1]),),
           lambda: (np.zeros((0, 3)),))
def running_extremes(x):
    return (np.maximum.accumulate(x), np.maximum.accumulate(x, axis=1), np.minimum.accumulate(x, 0),
            np.minimum.accumulate(x * 2, axis=-1), np.maximum.accumulate(x.ravel()))


@cases.add("uf.methods", lambda: (np.array([True, False, True]), np.array([0.5, -1.0, 2.5, 2.0])))
def running_extremes_1d(b, v):
    return np.maximum.accumulate(b), np.minimum.accumulate(b), np.maximum.accumulate(v[::-1])


@cases.add("arr.shape-assign", lambda: (np.arange(12.0).reshape(3, 4),), lambda: (np.arange(6).reshape(2, 3),))
def shape_assign_chain(a):
    # A chain of targets (npbench's mandelbrot2: Xi.shape = Yi.shape = C.shape = xn * yn): the
    # value once, then each target in turn, the rank changing from 2 to 1.
    b = a.copy()
    c = a * 2
    b.shape = c.shape = m = b.size
    b[0] = 50
    return b, c, m, b[-1] + c[1]


@cases.add("arr.shape-assign", lambda: (np.arange(12.0).reshape(3, 4),), raises=ValueError)
def shape_assign_chain_bad(a):
    b = a.copy()
    c = a[:2] * 2
    b.shape = c.shape = a.size
    return b, c


def _row_numbers(n, m):
    r = np.empty((n, m), dtype=np.int64)
    for i in range(n):
        r[i, :] = i
    return r


@cases.add("arr.fancy", lambda: (np.linspace(0.0, 1.0, 5), 3), lambda: (np.arange(4), 1))
def index_by_helper_result(t, m):
    # The index array comes from a compiled helper: it is unknown in the first pass over this
    # function, which must not type t[idx] as one element then.
    idx = _row_numbers(t.shape[0], m)
    g = t[idx]
    return g, g.sum(), t[_row_numbers(2, 2)]


test_conformance = cases.test()


def ufunc_out_bad_cast(a, c):
    np.divide(a, 2, c)
    return c


def test_ufunc_out_bad_cast():
    # NumPy raises its UFuncTypeError, a TypeError; sejit refuses the cast when compiling, with
    # NumPy's message and the position.
    a, c = np.arange(4), np.zeros(4, dtype=np.int64)
    with pytest.raises(TypeError) as want:
        ufunc_out_bad_cast(a, c)
    with pytest.raises(TypeError) as got:
        jit(ufunc_out_bad_cast)(a, c)
    assert str(want.value) in str(got.value)


# --------------------------------------------------------------------------- positioned refusals


def einsum_ellipsis(a):
    return np.einsum("...i->i", a)


def reduce_of_subtract(a):
    return np.subtract.reduce(a)


def out_inside_expression(a, c):
    return np.add(a, 1.0, c) * 2


def import_os(a):
    import os

    return a


def tuple_compare_with_call(a):
    return (np.sum(a), 1) < (2.0, 1)


def mask_next_to_index_array(a):
    return a[a[:, 0] > 0, np.array([0, 1, 2])]


def shape_of_parameter(a):
    a.shape = (2, 6)
    return a


REFUSED = [
    pytest.param(einsum_ellipsis, '"...i->i"', id="einsum-ellipsis"),
    pytest.param(reduce_of_subtract, "np.subtract.reduce(a)", id="reduce-of-subtract"),
    pytest.param(out_inside_expression, "np.add(a, 1.0, c)", id="out-inside-expression"),
    pytest.param(import_os, "import os", id="import-os"),
    pytest.param(tuple_compare_with_call, "(np.sum(a), 1)", id="tuple-compare-with-call"),
    pytest.param(mask_next_to_index_array, "a[:, 0] > 0", id="mask-next-to-index-array"),
    pytest.param(shape_of_parameter, "a.shape", id="shape-of-parameter"),
]


@pytest.mark.parametrize("fn,snippet", REFUSED)
def test_refused_with_position(fn, snippet):
    import inspect

    from sejit import UnsupportedError

    args = (np.arange(12.0).reshape(3, 4),) if fn is not out_inside_expression else (np.arange(3.0), np.zeros(3))
    with pytest.raises(UnsupportedError) as err:
        jit(fn)(*args)
    lines, first = inspect.getsourcelines(fn)
    line = first + next(k for k, text in enumerate(lines) if snippet in text)
    msg = str(err.value)
    assert f"{__file__}:{line}:" in msg, msg

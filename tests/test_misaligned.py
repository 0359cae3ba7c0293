"""Arrays whose data or strides are not multiples of their item size (np.frombuffer at an odd
offset, fields of packed record arrays, arrays distributed unpickles inside a message): the
runtime gives the kernel an aligned copy and writes back what the kernel may have written
(_runtime.c, realign_args). Every test is differential: CPython on one misaligned buffer, the
jitted function on an identical one, comparing results and every byte of the buffers."""

import os

import numpy as np
import pytest

import sejit

pytestmark = pytest.mark.skipif(
    os.environ.get("SEJIT_DISABLE") == "1", reason="SEJIT_DISABLE=1: jit returns the function"
)


def buffer(nbytes, fill=None, seed=0):
    """A bytearray of nbytes, filled with reproducible bytes."""
    rng = np.random.default_rng(seed)
    return bytearray(rng.integers(0, 256, nbytes, dtype=np.uint8).tobytes())


def view(buf, dtype, n, offset=1, shape=None, values=None):
    a = np.frombuffer(buf, dtype=dtype, count=n, offset=offset)
    if shape is not None:
        a = a.reshape(shape)
    if values is not None:
        a[...] = values
    assert a.ctypes.data % a.itemsize != 0 or a.itemsize == 1
    return a


def twins(nbytes, make, seed=0):
    """make(buf) on two identical buffers: (buf, args) for CPython and for jit."""
    b1, b2 = buffer(nbytes, seed=seed), buffer(nbytes, seed=seed)
    return (b1, make(b1)), (b2, make(b2))


def poly(x, y, a):
    x1 = x - a
    y[:] = x1 + x1 * x1


def inc(x):
    x += 1


def ident(x):
    return x


def tail(x):
    return x[1:]


def total(x):
    return x.sum()


def carry(x, y):
    for i in range(x.shape[0]):
        y[i] = x[i] * 2 + 1


def axpy_slices(x, y, a):
    y[:] = a * x + y


def dot(a, b):
    return (a * b).sum()


def fails_midway(x):
    for i in range(x.shape[0]):
        if x[i] > 3:
            raise ValueError("too big")
        x[i] = x[i] * 10


DTYPES = [np.float64, np.float32, np.int32, np.complex128]


@pytest.mark.parametrize("dt", DTYPES)
def test_read_only_input_and_written_output(dt):
    n = 9
    isz = np.dtype(dt).itemsize
    vals = np.arange(n).astype(dt) * dt(3) - dt(5)
    make = lambda b: (view(b, dt, n, 1, values=vals), view(b, dt, n, 1 + n * isz + 2))
    (b1, (x1, y1)), (b2, (x2, y2)) = twins(2 * n * isz + 8, make)
    f = sejit.jit(poly)
    poly(x1, y1, 2)
    assert f(x2, y2, 2) is None
    np.testing.assert_array_equal(y2, y1)
    assert b2 == b1
    # Read-only input: fine, only y is written.
    x2.flags.writeable = False
    f(x2, y2, 3)
    poly(x1, y1, 3)
    assert b2 == b1


@pytest.mark.parametrize("dt", DTYPES)
def test_in_place_and_2d(dt):
    isz = np.dtype(dt).itemsize
    make = lambda b: view(b, dt, 12, 3, shape=(3, 4), values=np.arange(12).reshape(3, 4))
    (b1, x1), (b2, x2) = twins(12 * isz + 8, make)
    f = sejit.jit(inc)
    for a1, a2 in ((x1, x2), (x1.T, x2.T), (x1[::2, ::-3], x2[::2, ::-3]), (x1[1], x2[1])):
        inc(a1)
        f(a2)
        assert b2 == b1
    assert sejit.jit(total)(x2) == total(x1)


def test_returned_argument_is_the_argument():
    buf = buffer(8 * 7 + 1)
    x = view(buf, np.float64, 7, values=np.arange(7.0))
    assert sejit.jit(ident)(x) is x
    v = sejit.jit(tail)(x)
    assert np.shares_memory(v, x) and v.ctypes.data == x.ctypes.data + 8
    v[0] = 42.0
    assert x[1] == 42.0
    # A non-contiguous one gets a C-ordered copy; what comes back is still its memory.
    m = view(buffer(8 * 12 + 1), np.float64, 12, shape=(3, 4), values=np.arange(12.0).reshape(3, 4))
    for a in (m.T, m[:, ::2], m[::-1, 1:]):
        r = sejit.jit(ident)(a)
        assert r is a
        t = sejit.jit(tail)(a)
        assert np.shares_memory(t, a) and t.strides == a[1:].strides
        assert t.ctypes.data == a[1:].ctypes.data
        np.testing.assert_array_equal(t, a[1:])


def test_record_array_field():
    rec = np.zeros(5, dtype=[("a", np.int32), ("b", np.float64)])  # packed: stride 12
    rec["b"] = np.arange(5.0)
    want = rec.copy()
    inc(want["b"])
    field = rec["b"]
    sejit.jit(inc)(field)
    assert rec.tobytes() == want.tobytes()
    assert sejit.jit(ident)(field) is field


def test_overlapping_misaligned_views_keep_aliasing():
    def make(b):
        return view(b, np.float64, 10, values=np.arange(10.0) % 3)

    # A loop that reads what it wrote through the alias, and an array statement (NumPy's
    # snapshot semantics, the overlap guard's business).
    for fn, args in ((carry, lambda a: (a[:-1], a[1:])), (carry, lambda a: (a[1:], a[:-1])),
                     (axpy_slices, lambda a: (a[:-1], a[1:], 2.0)),
                     (axpy_slices, lambda a: (a, a, 2.0))):
        (b1, a1), (b2, a2) = twins(8 * 10 + 1, make)
        fn(*args(a1))
        sejit.jit(fn)(*args(a2))
        assert b2 == b1, fn.__name__


def test_same_misaligned_array_twice():
    (b1, a1), (b2, a2) = twins(8 * 6 + 1, lambda b: view(b, np.float64, 6, values=1.0))
    carry(a1, a1)
    sejit.jit(carry)(a2, a2)
    assert b2 == b1


def test_aligned_and_misaligned_views_of_one_buffer():
    # x aligned, y misaligned over the same bytes: no placement aligns both, and the elements
    # overlap, so no copy keeps the meaning: a clear TypeError, nothing written.
    buf = bytearray(8 * 8)
    x = np.frombuffer(buf, np.float64, 7, 0)
    y = np.frombuffer(buf, np.float64, 7, 1)
    with pytest.raises(TypeError, match="shares memory with another argument"):
        sejit.jit(carry)(x, y)
    assert buf == bytearray(8 * 8)
    # Read only, both: copies cannot change anything.
    buf = bytearray(np.arange(8, dtype=np.uint8).repeat(8).tobytes())
    x2 = np.frombuffer(buf, np.float64, 7, 0)
    y2 = np.frombuffer(buf, np.float64, 7, 1)
    assert sejit.jit(dot)(x2, y2) == dot(x2, y2)


def test_kernel_error_keeps_partial_writes():
    (b1, a1), (b2, a2) = twins(8 * 6 + 1, lambda b: view(b, np.float64, 6, values=[1, 2, 5, 1, 1, 1]))
    with pytest.raises(ValueError, match="too big"):
        fails_midway(a1)
    with pytest.raises(ValueError, match="too big"):
        sejit.jit(fails_midway)(a2)
    assert b2 == b1


def test_aligned_calls_after_misaligned_ones():
    f = sejit.jit(poly)
    x, y = np.linspace(0, 1, 7), np.empty(7)
    xm = view(buffer(8 * 7 + 1), np.float64, 7, values=x)
    ym = view(buffer(8 * 7 + 1), np.float64, 7)
    for _ in range(3):  # the fast path, then the general one, then the fast one again
        f(x, y, 0.5)
        f(xm, ym, 0.5)
        np.testing.assert_array_equal(ym, y)

"""In-place operators compute in the promoted dtype, then cast to the target's (NumPy's rule):
x[0] *= 1.5 on an int array stores int(x[0] * 1.5), not x[0] * int(1.5)."""

import numpy as np
import pytest
from conftest import check


def element_inplace(x):
    x[0] *= 1.5
    x[1] += 0.75
    x[-1] -= 0.5
    return x


def slice_inplace(x):
    x[1:] *= 2
    return x


def scalar_inplace(n):
    s = 0
    for i in range(n):
        s += i / 2
    return s


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.float32, np.float64])
def test_element_inplace_promotes(dtype):
    check(element_inplace, np.array([3, 3, 4, 5], dtype=dtype))
    check(slice_inplace, np.array([3, 3, 4, 5], dtype=dtype))


def test_scalar_inplace_promotes():
    check(scalar_inplace, 5)

"""Harris corner response of a grey image: central-difference gradients, a 3x3 box sum of the
structure tensor, then det - k * trace**2."""
import numpy as np

GROUP = "image"
NUMPY = True
SIZES = (24, 1500)


def box3(a):
    s = a[:-2, :-2] + a[:-2, 1:-1] + a[:-2, 2:]
    s = s + a[1:-1, :-2] + a[1:-1, 1:-1] + a[1:-1, 2:]
    s = s + a[2:, :-2] + a[2:, 1:-1] + a[2:, 2:]
    return s


def harris(img, k):
    gx = (img[1:-1, 2:] - img[1:-1, :-2]) * 0.5
    gy = (img[2:, 1:-1] - img[:-2, 1:-1]) * 0.5
    sxx = box3(gx * gx)
    syy = box3(gy * gy)
    sxy = box3(gx * gy)
    det = sxx * syy - sxy ** 2
    trace = sxx + syy
    return det - k * trace ** 2


ENTRY = harris


def make_args(n):
    rng = np.random.default_rng(103)
    img = rng.random((n, n))
    img[n // 4:n // 2, n // 4:n // 2] += 2.0
    return (img, 0.05)

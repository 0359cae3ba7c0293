"""A 3x3 box blur of a grey image: nine shifted slices summed, borders left at zero."""
import numpy as np

GROUP = "image"
NUMPY = True
SIZES = (32, 1024)


def blur3x3(img):
    out = np.zeros_like(img)
    out[1:-1, 1:-1] = (img[:-2, :-2] + img[:-2, 1:-1] + img[:-2, 2:]
                       + img[1:-1, :-2] + img[1:-1, 1:-1] + img[1:-1, 2:]
                       + img[2:, :-2] + img[2:, 1:-1] + img[2:, 2:]) / 9.0
    return out


ENTRY = blur3x3


def make_args(n):
    rng = np.random.default_rng(31)
    return (rng.random((n, n + 3)),)

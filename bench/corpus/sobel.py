"""Sobel edge magnitude: the two 3x3 kernels written as nested lists, a loop over pixels."""
import numpy as np

GROUP = "image"
NUMPY = False
SIZES = (24, 400)


def sobel(img):
    kx = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    ky = np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])
    h, w = img.shape
    out = np.zeros((h, w))
    for i in range(1, h - 1):
        for j in range(1, w - 1):
            patch = img[i - 1:i + 2, j - 1:j + 2]
            gx = np.sum(kx * patch)
            gy = np.sum(ky * patch)
            out[i, j] = np.sqrt(gx * gx + gy * gy)
    return out


ENTRY = sobel


def make_args(n):
    rng = np.random.default_rng(32)
    return (rng.random((n, n + 5)),)

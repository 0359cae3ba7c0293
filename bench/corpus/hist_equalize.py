"""Histogram equalisation of an 8-bit-style image: np.histogram, cumsum, np.interp."""
import numpy as np

GROUP = "image"
NUMPY = True
SIZES = (64, 2048)
RTOL = 1e-9


def hist_equalize(img, nbins):
    hist, edges = np.histogram(img.ravel(), nbins, (0.0, 1.0))
    cdf = np.cumsum(hist).astype(np.float64)
    cdf = cdf / cdf[-1]
    centers = 0.5 * (edges[:-1] + edges[1:])
    out = np.interp(img.ravel(), centers, cdf)
    return out.reshape(img.shape)


ENTRY = hist_equalize


def make_args(n):
    rng = np.random.default_rng(161)
    return (rng.random((n, n)) ** 2, 64)

"""Hough transform of the edge pixels of a binary image: votes in (rho, theta) space, with
precomputed cos/sin tables; returns the accumulator and its strongest cell."""
import numpy as np

GROUP = "image"
NUMPY = False
SIZES = (20, 600)


def hough_lines(edges, ntheta):
    h, w = edges.shape
    diag = int(np.ceil(np.sqrt(h * h + w * w)))
    thetas = np.linspace(-np.pi / 2, np.pi / 2, ntheta, endpoint=False)
    cos_t = np.cos(thetas)
    sin_t = np.sin(thetas)
    acc = np.zeros((2 * diag + 1, ntheta), dtype=np.int64)
    ys, xs = np.nonzero(edges)
    for p in range(len(xs)):
        for t in range(ntheta):
            rho = int(round(xs[p] * cos_t[t] + ys[p] * sin_t[t])) + diag
            acc[rho, t] += 1
    best = np.argmax(acc)
    return acc, best // ntheta - diag, best % ntheta


ENTRY = hough_lines


def make_args(n):
    rng = np.random.default_rng(183)
    img = rng.random((n, n)) < 0.01
    for i in range(n):
        img[i, (n // 3 + i // 2) % n] = True
    return (img, 90)

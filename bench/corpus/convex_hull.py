"""Convex hull of points in the plane by Andrew's monotone chain; the hull is a list of
(x, y) tuples."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (50, 200000)


def cross(o, a, b):
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(xs, ys):
    pts = sorted([(xs[i], ys[i]) for i in range(len(xs))])
    lower = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    return np.array(hull)


ENTRY = convex_hull


def make_args(n):
    rng = np.random.default_rng(141)
    return (rng.standard_normal(n), rng.standard_normal(n))

"""Euclidean distance matrix of a point cloud by broadcasting to 3-D and summing the last
axis."""
import numpy as np

GROUP = "ml"
NUMPY = True
SIZES = (40, 1500)


def pairwise_dist(X):
    return np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1))


ENTRY = pairwise_dist


def make_args(n):
    rng = np.random.default_rng(121)
    return (rng.random((n, 3)),)

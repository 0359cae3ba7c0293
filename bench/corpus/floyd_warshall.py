"""Floyd-Warshall all-pairs shortest paths: one np.minimum with a broadcast row and column
per intermediate vertex."""
import numpy as np

GROUP = "algorithms"
NUMPY = True
SIZES = (40, 500)


def floyd_warshall(dist):
    n = dist.shape[0]
    d = dist.copy()
    for k in range(n):
        d = np.minimum(d, d[:, k:k + 1] + d[k:k + 1, :])
    return d


ENTRY = floyd_warshall


def make_args(n):
    rng = np.random.default_rng(84)
    w = rng.random((n, n)) * 10.0
    w[rng.random((n, n)) > 0.2] = np.inf
    np.fill_diagonal(w, 0.0)
    return (w,)

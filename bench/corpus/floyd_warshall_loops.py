"""Floyd-Warshall as three nested loops on an integer path-length matrix (PolyBench's
floyd-warshall)."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (30, 300)
OUTPUTS = (0,)


def floyd_warshall_loops(path):
    n = path.shape[0]
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if path[i, k] + path[k, j] < path[i, j]:
                    path[i, j] = path[i, k] + path[k, j]


ENTRY = floyd_warshall_loops


def make_args(n):
    rng = np.random.default_rng(85)
    return (rng.integers(1, 1000, size=(n, n)).astype(np.int64),)

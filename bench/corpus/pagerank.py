"""PageRank by power iteration on a dense link matrix, with dangling nodes and damping."""
import numpy as np

GROUP = "linalg"
NUMPY = True
SIZES = (30, 2000)
RTOL = 1e-9


def pagerank(adj, d, tol, maxiter):
    n = adj.shape[0]
    outdeg = adj.sum(axis=1)
    dangling = outdeg == 0
    P = adj / np.where(dangling, 1.0, outdeg)[:, None]
    r = np.full(n, 1.0 / n)
    for it in range(maxiter):
        r_new = d * (P.T @ r + r[dangling].sum() / n) + (1.0 - d) / n
        if np.abs(r_new - r).sum() < tol:
            return r_new, it
        r = r_new
    return r, maxiter


ENTRY = pagerank


def make_args(n):
    rng = np.random.default_rng(110)
    adj = (rng.random((n, n)) < 4.0 / n).astype(np.float64)
    adj[3, :] = 0.0
    return (adj, 0.85, 1e-12, 200)

"""Breadth-first search on an adjacency matrix, level-synchronous: a boolean frontier array
expanded by any() over the rows of the frontier."""
import numpy as np

GROUP = "algorithms"
NUMPY = True
SIZES = (60, 2000)


def bfs_frontier(adj, source):
    n = adj.shape[0]
    dist = np.full(n, -1, dtype=np.int64)
    frontier = np.zeros(n, dtype=np.bool_)
    frontier[source] = True
    dist[source] = 0
    level = 0
    while frontier.any():
        level += 1
        reach = adj[frontier].any(axis=0)
        frontier = reach & (dist < 0)
        dist[frontier] = level
    return dist


ENTRY = bfs_frontier


def make_args(n):
    rng = np.random.default_rng(83)
    adj = rng.random((n, n)) < 3.0 / n
    return (adj | adj.T, 0)

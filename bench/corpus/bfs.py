"""Breadth-first search on an adjacency matrix: a Python list as the queue, distances in an
array (-1: unreached)."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (60, 2000)


def bfs(adj, source):
    n = adj.shape[0]
    dist = np.full(n, -1, dtype=np.int64)
    dist[source] = 0
    queue = [source]
    while queue:
        u = queue.pop(0)
        for v in range(n):
            if adj[u, v] and dist[v] < 0:
                dist[v] = dist[u] + 1
                queue.append(v)
    return dist


ENTRY = bfs


def make_args(n):
    rng = np.random.default_rng(82)
    adj = rng.random((n, n)) < 3.0 / n
    return (adj | adj.T, 0)

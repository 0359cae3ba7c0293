"""Dijkstra's shortest paths on a dense weighted graph (inf: no edge), the O(n^2) version with
a visited array."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (30, 3000)


def dijkstra(w, source):
    n = w.shape[0]
    dist = np.full(n, np.inf)
    visited = np.zeros(n, dtype=np.bool_)
    dist[source] = 0.0
    for _ in range(n):
        u = -1
        best = np.inf
        for v in range(n):
            if not visited[v] and dist[v] < best:
                best = dist[v]
                u = v
        if u == -1:
            break
        visited[u] = True
        for v in range(n):
            if w[u, v] < np.inf and dist[u] + w[u, v] < dist[v]:
                dist[v] = dist[u] + w[u, v]
    return dist


ENTRY = dijkstra


def make_args(n):
    rng = np.random.default_rng(138)
    w = np.where(rng.random((n, n)) < 5.0 / n, rng.random((n, n)) * 10.0, np.inf)
    return (w, 0)

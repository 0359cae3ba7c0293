"""Topological order of a DAG given as an edge array (Kahn's algorithm): in-degrees in a list,
a list of adjacency lists, a queue."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (50, 200000)


def topo_sort(n, edges):
    indeg = [0] * n
    adj = [[] for _ in range(n)]
    for k in range(len(edges)):
        u, v = edges[k]
        adj[u].append(v)
        indeg[v] += 1
    queue = [u for u in range(n) if indeg[u] == 0]
    order = []
    head = 0
    while head < len(queue):
        u = queue[head]
        head += 1
        order.append(u)
        for v in adj[u]:
            indeg[v] -= 1
            if indeg[v] == 0:
                queue.append(v)
    return order


ENTRY = topo_sort


def make_args(n):
    rng = np.random.default_rng(140)
    a = rng.integers(0, n, size=3 * n)
    b = rng.integers(0, n, size=3 * n)
    keep = a != b
    lo = np.minimum(a, b)[keep]
    hi = np.maximum(a, b)[keep]
    return (n, np.stack([lo, hi], axis=1))

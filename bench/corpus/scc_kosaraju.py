"""Strongly connected components of a directed graph (Kosaraju): a recursive depth-first search
fills an empty list with the post-order, a second one on the reversed graph collects each
component's members into an empty list, adjacency lists built from an edge array."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
# The searches recurse once per vertex on a path: the full size stays under CPython's default
# recursion limit.
SIZES = (60, 900)


def _post_order(adj, u, seen, order):
    seen[u] = True
    for v in adj[u]:
        if not seen[v]:
            _post_order(adj, v, seen, order)
    order.append(u)


def _collect(radj, u, label, c, members):
    label[u] = c
    members.append(u)
    for v in radj[u]:
        if label[v] < 0:
            _collect(radj, v, label, c, members)


def scc(n, edges):
    adj = [[] for _ in range(n)]
    radj = [[] for _ in range(n)]
    for k in range(edges.shape[0]):
        u = edges[k, 0]
        v = edges[k, 1]
        adj[u].append(v)
        radj[v].append(u)
    seen = [False] * n
    order = []
    for u in range(n):
        if not seen[u]:
            _post_order(adj, u, seen, order)
    label = np.full(n, -1, dtype=np.int64)
    sizes = []
    roots = []
    c = 0
    for i in range(n - 1, -1, -1):
        u = order[i]
        if label[u] < 0:
            members = []
            _collect(radj, u, label, c, members)
            sizes.append(len(members))
            roots.append(min(members))
            c += 1
    return c, label, sizes, roots, order


ENTRY = scc


def make_args(n):
    rng = np.random.default_rng(147)
    m = 2 * n
    a = rng.integers(0, n, size=m)
    b = rng.integers(0, n, size=m)
    keep = a != b
    return (n, np.stack([a[keep], b[keep]], axis=1))

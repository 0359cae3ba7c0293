"""Connected components of an edge list with union-find (path halving, union by size),
parents and sizes in Python lists."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (100, 1000000)


def find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def union_find(n, edges):
    parent = list(range(n))
    size = [1] * n
    ncomp = n
    for e in range(edges.shape[0]):
        a = find(parent, edges[e, 0])
        b = find(parent, edges[e, 1])
        if a != b:
            if size[a] < size[b]:
                a, b = b, a
            parent[b] = a
            size[a] += size[b]
            ncomp -= 1
    return ncomp, max(size)


ENTRY = union_find


def make_args(n):
    rng = np.random.default_rng(139)
    return (n, rng.integers(0, n, size=(n // 2 + n // 4, 2)))

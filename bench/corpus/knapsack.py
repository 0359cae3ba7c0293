"""0/1 knapsack by dynamic programming over capacities, one row updated backwards."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (20, 2000)


def knapsack(weights, values, capacity):
    best = np.zeros(capacity + 1, dtype=np.int64)
    for i in range(len(weights)):
        w = weights[i]
        v = values[i]
        for c in range(capacity, w - 1, -1):
            if best[c - w] + v > best[c]:
                best[c] = best[c - w] + v
    return best[capacity]


ENTRY = knapsack


def make_args(n):
    rng = np.random.default_rng(137)
    return (rng.integers(1, 50, size=n), rng.integers(1, 100, size=n), 10 * n)

"""All pairs of positions whose values add up to a target, with a dict from value to the
positions seen so far (first one kept)."""
import numpy as np

GROUP = "strings"
NUMPY = False
SIZES = (200, 1000000)


def two_sum(values, target):
    seen = {}
    pairs_i = []
    pairs_j = []
    for j in range(len(values)):
        want = target - values[j]
        if want in seen:
            pairs_i.append(seen[want])
            pairs_j.append(j)
        if values[j] not in seen:
            seen[values[j]] = j
    return np.array(pairs_i, dtype=np.int64), np.array(pairs_j, dtype=np.int64)


ENTRY = two_sum


def make_args(n):
    rng = np.random.default_rng(148)
    return (rng.integers(0, 5 * n, size=n), 5 * n // 2)

"""Levenshtein distance between two words, with two rows of the table kept as lists."""
import numpy as np

GROUP = "strings"
NUMPY = False
SIZES = (12, 200)


def edit_distance(s, t):
    prev = list(range(len(t) + 1))
    for i in range(1, len(s) + 1):
        cur = [i] + [0] * len(t)
        for j in range(1, len(t) + 1):
            cost = 0 if s[i - 1] == t[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        prev = cur
    return prev[len(t)]


ENTRY = edit_distance


def make_args(n):
    rng = np.random.default_rng(136)
    letters = "acgt"
    s = "".join(letters[k] for k in rng.integers(0, 4, size=n))
    t = "".join(letters[k] for k in rng.integers(0, 4, size=n + 3))
    return (s, t)

"""The starting value below n with the longest Collatz chain, lengths cached in an array."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (1000, 3000000)


def collatz(limit):
    cache = np.zeros(limit, dtype=np.int64)
    cache[1] = 1
    best = 1
    best_len = 1
    for start in range(2, limit):
        x = start
        steps = 0
        while x >= limit or cache[x] == 0:
            if x % 2 == 0:
                x //= 2
            else:
                x = 3 * x + 1
            steps += 1
        length = steps + cache[x]
        cache[start] = length
        if length > best_len:
            best_len = length
            best = start
    return best, best_len


ENTRY = collatz


def make_args(n):
    return (n,)

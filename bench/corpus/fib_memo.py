"""Number of ways to climb n stairs taking 1, 2 or 3 steps, memoised in a dict, modulo a
prime."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (50, 2000)


def ways(n, memo, mod):
    if n < 0:
        return 0
    if n == 0:
        return 1
    if n in memo:
        return memo[n]
    r = (ways(n - 1, memo, mod) + ways(n - 2, memo, mod) + ways(n - 3, memo, mod)) % mod
    memo[n] = r
    return r


def fib_memo(n):
    memo = {}
    total = 0
    for k in range(0, n + 1, 50):
        total = (total + ways(k, memo, 1000000007)) % 1000000007
    return ways(n, memo, 1000000007), total


ENTRY = fib_memo


def make_args(n):
    return (n,)

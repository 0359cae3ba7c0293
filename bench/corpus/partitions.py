"""The number of integer partitions p(n) for every n up to a bound, by the coin-change
dynamic programme, modulo a prime."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (100, 20000)


def partitions(nmax, mod):
    p = [0] * (nmax + 1)
    p[0] = 1
    for part in range(1, nmax + 1):
        for total in range(part, nmax + 1):
            p[total] = (p[total] + p[total - part]) % mod
    return p[nmax], sum(p) % mod


ENTRY = partitions


def make_args(n):
    return (n, 1000000007)

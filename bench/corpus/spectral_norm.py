"""The spectral norm of the infinite matrix a(i, j) = 1 / ((i + j)(i + j + 1) / 2 + i + 1),
by power iteration with explicit loops (the benchmark-game program)."""
import math

import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (40, 1500)


def eval_a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def mult_av(v, out):
    n = v.shape[0]
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(i, j) * v[j]
        out[i] = s


def mult_atv(v, out):
    n = v.shape[0]
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += eval_a(j, i) * v[j]
        out[i] = s


def spectral_norm(n):
    u = np.ones(n)
    v = np.zeros(n)
    tmp = np.zeros(n)
    for _ in range(10):
        mult_av(u, tmp)
        mult_atv(tmp, v)
        mult_av(v, tmp)
        mult_atv(tmp, u)
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return math.sqrt(vbv / vv)


ENTRY = spectral_norm


def make_args(n):
    return (n,)

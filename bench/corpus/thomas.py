"""Implicit (backward Euler) heat equation in 1-D: a tridiagonal system per step solved with
the Thomas algorithm."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (50, 20000)
RTOL = 1e-9


def thomas(a, b, c, d):
    n = len(d)
    cp = np.empty(n)
    dp = np.empty(n)
    cp[0] = c[0] / b[0]
    dp[0] = d[0] / b[0]
    for i in range(1, n):
        m = b[i] - a[i] * cp[i - 1]
        cp[i] = c[i] / m
        dp[i] = (d[i] - a[i] * dp[i - 1]) / m
    x = np.empty(n)
    x[n - 1] = dp[n - 1]
    for i in range(n - 2, -1, -1):
        x[i] = dp[i] - cp[i] * x[i + 1]
    return x


def implicit_heat(u0, r, nsteps):
    n = len(u0)
    a = np.full(n, -r)
    b = np.full(n, 1 + 2 * r)
    c = np.full(n, -r)
    a[0] = 0.0
    c[n - 1] = 0.0
    u = u0.copy()
    for step in range(nsteps):
        u = thomas(a, b, c, u)
    return u


ENTRY = implicit_heat


def make_args(n):
    x = np.linspace(0.0, 1.0, n)
    return (np.exp(-100 * (x - 0.5) ** 2), 0.5, 50)

"""Alternating-direction implicit heat solver: Thomas-algorithm sweeps along columns, then
rows, each vectorised across the other axis with slices."""
import numpy as np

GROUP = "stencil"
NUMPY = False
SIZES = (20, 300)
OUTPUTS = (0,)
RTOL = 1e-9


def adi(u, tsteps):
    n = u.shape[0]
    v = np.empty_like(u)
    p = np.empty_like(u)
    q = np.empty_like(u)
    dx = 1.0 / n
    dt = 1.0 / tsteps
    mul1 = 2.0 * dt / (dx * dx)
    mul2 = 1.0 * dt / (dx * dx)
    a = -mul1 / 2.0
    b = 1.0 + mul1
    c = a
    d = -mul2 / 2.0
    e = 1.0 + mul2
    f = d
    for t in range(tsteps):
        # implicit along axis 0
        v[0, :] = 1.0
        v[-1, :] = 1.0
        p[0, 1:-1] = 0.0
        q[0, 1:-1] = 1.0
        for i in range(1, n - 1):
            den = a * p[i - 1, 1:-1] + b
            p[i, 1:-1] = -c / den
            q[i, 1:-1] = (-d * u[i, :-2] + (1.0 + 2.0 * d) * u[i, 1:-1] - f * u[i, 2:]
                          - a * q[i - 1, 1:-1]) / den
        for i in range(n - 2, 0, -1):
            v[i, 1:-1] = p[i, 1:-1] * v[i + 1, 1:-1] + q[i, 1:-1]
        # implicit along axis 1
        u[:, 0] = 1.0
        u[:, -1] = 1.0
        p[1:-1, 0] = 0.0
        q[1:-1, 0] = 1.0
        for j in range(1, n - 1):
            den = d * p[1:-1, j - 1] + e
            p[1:-1, j] = -f / den
            q[1:-1, j] = (-a * v[:-2, j] + (1.0 + 2.0 * a) * v[1:-1, j] - c * v[2:, j]
                          - d * q[1:-1, j - 1]) / den
        for j in range(n - 2, 0, -1):
            u[1:-1, j] = p[1:-1, j] * u[1:-1, j + 1] + q[1:-1, j]


ENTRY = adi


def make_args(n):
    i = np.arange(n, dtype=np.float64)[:, None]
    j = np.arange(n, dtype=np.float64)[None, :]
    return ((i + n - j) / n, max(n // 5, 2))

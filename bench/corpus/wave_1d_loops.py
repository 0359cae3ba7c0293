"""String vibration: the 1-D wave equation by finite differences, explicit loops, three time
levels rotated by swapping references."""
import numpy as np

GROUP = "stencil"
NUMPY = False
SIZES = (50, 5000)


def wave_1d_loops(u0, c, nsteps):
    n = u0.shape[0]
    prev = u0.copy()
    cur = u0.copy()
    nxt = np.zeros(n)
    c2 = c * c
    for t in range(nsteps):
        for i in range(1, n - 1):
            nxt[i] = 2 * cur[i] - prev[i] + c2 * (cur[i + 1] - 2 * cur[i] + cur[i - 1])
        nxt[0] = 0.0
        nxt[n - 1] = 0.0
        prev, cur, nxt = cur, nxt, prev
    return cur


ENTRY = wave_1d_loops


def make_args(n):
    x = np.linspace(0.0, 1.0, n)
    return (np.sin(np.pi * x) + 0.2 * np.sin(5 * np.pi * x), 0.9, n)

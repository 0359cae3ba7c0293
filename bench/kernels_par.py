"""prange versions of bench/kernels.py's loop kernels, for the sejit[parallel] variant.

The same algorithms as kernels.py, with the loop whose iterations are independent written
as ``prange``: suite.py times ``jit(parallel=True)`` of the function here named like the
kernel, where there is one, and of the kernel itself otherwise (array-expression kernels need
no prange: their fused loops run in parallel above a size threshold). A separate file, so that
Numba and Pythran, which compile kernels.py as a whole, never see sejit's prange.
"""

import math

try:
    from sejit import prange
except ImportError:  # the kernels still run as plain Python
    prange = range


def pisum():
    s = 0.0
    for j in range(1, 501):
        s = 0.0
        for k in prange(1, 10001):
            s += 1.0 / (k * k)
    return s


def mandelbrot(counts, x0, x1, y0, y1, maxiter):
    h = counts.shape[0]
    w = counts.shape[1]
    for i in prange(h):
        ci = y0 + (y1 - y0) * i / h
        for j in range(w):
            cr = x0 + (x1 - x0) * j / w
            zr = 0.0
            zi = 0.0
            k = 0
            while k < maxiter and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                k += 1
            counts[i, j] = k


def nbody(pos, vel, mass, dt, soft):
    n = pos.shape[0]
    for i in prange(n):
        ax = 0.0
        ay = 0.0
        az = 0.0
        for j in range(n):
            dx = pos[j, 0] - pos[i, 0]
            dy = pos[j, 1] - pos[i, 1]
            dz = pos[j, 2] - pos[i, 2]
            r2 = dx * dx + dy * dy + dz * dz + soft * soft
            inv = mass[j] / (r2 * math.sqrt(r2))
            ax += dx * inv
            ay += dy * inv
            az += dz * inv
        vel[i, 0] += dt * ax
        vel[i, 1] += dt * ay
        vel[i, 2] += dt * az
    for i in prange(n):
        pos[i, 0] += dt * vel[i, 0]
        pos[i, 1] += dt * vel[i, 1]
        pos[i, 2] += dt * vel[i, 2]

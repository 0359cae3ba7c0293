"""The benchmark kernels, written as a scientist would write them, in the subset sejit
compiles today (README, "What compiles in this version").

Every kernel here is compiled unchanged by sejit, Numba and Pythran, and run as plain Python
for the reference result. A kernel that would naturally use something sejit does not compile
yet (``axis=``, broadcasting a size-1 axis, ``for x in array``) is written with explicit loops
instead; bench/suite.py's table notes where. Vectorised NumPy forms, for the "numpy" column,
are the ``np_*`` functions at the end: used only where a natural one exists.

Pythran needs an export line per kernel; bench/suite.py writes them from the signatures in
suite.py, so this file stays plain Python.
"""

import math

import numpy as np

# ---------------------------------------------------------------------------------------------
# Streaming array expressions


def poly(x, y, a):
    # DESIGN §1's kernel.
    x1 = x - a
    y[:] = x1 + x1 * x1


def quad(x, y):
    # HOPE's quad: a quadratic evaluated on an array.
    y[:] = 2.0 * x**2 + 3.0 * x + 4.0


def poly10(x, y):
    # A 10th-order polynomial in Horner form.
    y[:] = 1.0 + x * (0.9 + x * (0.8 + x * (0.7 + x * (0.6 + x * (0.5 + x * (
        0.4 + x * (0.3 + x * (0.2 + x * (0.1 + x * 0.05)))))))))


def chain(x, y, z, out):
    # An array-expression chain with several named temporaries.
    s = x + y
    d = x - y
    p = s * d
    q = p / (z + 1.0)
    r = q - 0.5 * z
    out[:] = r * r + s


def mathmix(x, out):
    # Element-wise transcendental mix.
    out[:] = np.sin(x) * np.cos(x) + np.exp(-x) * np.sqrt(x) + np.log(x + 1.0)


# ---------------------------------------------------------------------------------------------
# Reductions


def sumsq(x):
    return np.sum(x * x)


def minmaxmean(x):
    return np.min(x), np.max(x), np.mean(x)


# ---------------------------------------------------------------------------------------------
# HOPE's benchmark set (loops)


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def pisum():
    # Julia's and HOPE's pisum: 500 repeats of the sum of 1/k^2 for k = 1..10000.
    s = 0.0
    for j in range(1, 501):
        s = 0.0
        for k in range(1, 10001):
            s += 1.0 / (k * k)
    return s


def star_psf(density, cx, cy, xs, ws, r50, beta):
    # A Moffat profile integrated over each pixel of a 2-D grid with an n-point
    # Gauss-Legendre rule per axis (nodes xs, weights ws on [0, 1]).
    alpha = r50 / math.sqrt(2.0 ** (1.0 / beta) - 1.0)
    norm = (beta - 1.0) / (math.pi * alpha * alpha)
    for i in range(density.shape[0]):
        for j in range(density.shape[1]):
            acc = 0.0
            for p in range(xs.shape[0]):
                dx = i + xs[p] - cx
                for q in range(xs.shape[0]):
                    dy = j + xs[q] - cy
                    r2 = (dx * dx + dy * dy) / (alpha * alpha)
                    acc += ws[p] * ws[q] * norm * (1.0 + r2) ** (-beta)
            density[i, j] = acc


def pairwise(X, D):
    # Distances between N points in 3-D: an N×N matrix.
    n = X.shape[0]
    for i in range(n):
        for j in range(n):
            d = 0.0
            for k in range(X.shape[1]):
                t = X[i, k] - X[j, k]
                d += t * t
            D[i, j] = math.sqrt(d)


# ---------------------------------------------------------------------------------------------
# Stencils, dense linear algebra, simulations


def laplace(u, out):
    # One Jacobi step of the 2-D Laplace equation on the interior, with slices.
    out[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])


def matmul(a, b, c):
    # Naive triple loop, i-k-j order (unit stride innermost).
    n = a.shape[0]
    m = b.shape[1]
    for i in range(n):
        for j in range(m):
            c[i, j] = 0.0
        for k in range(a.shape[1]):
            aik = a[i, k]
            for j in range(m):
                c[i, j] += aik * b[k, j]


def nbody(pos, vel, mass, dt, soft):
    # One leapfrog (kick-drift) step of N gravitating bodies; pos, vel are N×3.
    n = pos.shape[0]
    for i in range(n):
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
    for i in range(n):
        pos[i, 0] += dt * vel[i, 0]
        pos[i, 1] += dt * vel[i, 1]
        pos[i, 2] += dt * vel[i, 2]


def mandelbrot(counts, x0, x1, y0, y1, maxiter):
    # Escape-time iteration count of each point of a grid.
    h = counts.shape[0]
    w = counts.shape[1]
    for i in range(h):
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


def histogram(x, counts, lo, hi):
    # Integer bin counting; values outside [lo, hi) are dropped.
    nbins = counts.shape[0]
    scale = nbins / (hi - lo)
    for i in range(x.shape[0]):
        b = int((x[i] - lo) * scale)
        if 0 <= b < nbins and x[i] >= lo:
            counts[b] += 1


def count_primes(n):
    # Trial division by odd numbers up to the square root.
    count = 0
    for m in range(2, n):
        if m % 2 == 0:
            if m == 2:
                count += 1
            continue
        is_prime = True
        d = 3
        while d * d <= m:
            if m % d == 0:
                is_prime = False
                break
            d += 2
        if is_prime:
            count += 1
    return count


# ---------------------------------------------------------------------------------------------
# Vectorised NumPy forms of the loop kernels, for the "numpy" column: the way a NumPy user
# would write each without loops. The array-expression kernels above are their own NumPy
# form. fib and count_primes have none.


def np_pisum():
    k = np.arange(1, 10001)
    s = 0.0
    for j in range(1, 501):
        s = np.sum(1.0 / (k * k))
    return s


def np_star_psf(density, cx, cy, xs, ws, r50, beta):
    alpha = r50 / math.sqrt(2.0 ** (1.0 / beta) - 1.0)
    norm = (beta - 1.0) / (math.pi * alpha * alpha)
    dx = np.arange(density.shape[0])[:, None] + xs[None, :] - cx  # (rows, nodes)
    dy = np.arange(density.shape[1])[:, None] + xs[None, :] - cy  # (cols, nodes)
    r2 = (dx[:, None, :, None] ** 2 + dy[None, :, None, :] ** 2) / (alpha * alpha)
    w = ws[:, None] * ws[None, :]
    density[:] = np.sum(w * norm * (1.0 + r2) ** (-beta), axis=(2, 3))


def np_pairwise(X, D):
    d = X[:, None, :] - X[None, :, :]
    D[:] = np.sqrt(np.sum(d * d, axis=-1))


def np_matmul(a, b, c):
    c[:] = a @ b  # BLAS


def np_nbody(pos, vel, mass, dt, soft):
    d = pos[None, :, :] - pos[:, None, :]  # d[i, j] = pos[j] - pos[i]
    r2 = np.sum(d * d, axis=2) + soft * soft
    inv = mass[None, :] / (r2 * np.sqrt(r2))
    vel += dt * np.sum(d * inv[:, :, None], axis=1)
    pos += dt * vel


def np_mandelbrot(counts, x0, x1, y0, y1, maxiter):
    h, w = counts.shape
    ci = (y0 + (y1 - y0) * np.arange(h) / h)[:, None] * np.ones((1, w))
    cr = (x0 + (x1 - x0) * np.arange(w) / w)[None, :] * np.ones((h, 1))
    zr = np.zeros((h, w))
    zi = np.zeros((h, w))
    k = np.zeros((h, w), dtype=np.int64)
    for _ in range(maxiter):
        active = zr * zr + zi * zi <= 4.0
        if not active.any():
            break
        t = zr * zr - zi * zi + cr
        zi = np.where(active, 2.0 * zr * zi + ci, zi)
        zr = np.where(active, t, zr)
        k += active
    counts[:] = k


def np_histogram(x, counts, lo, hi):
    nbins = counts.shape[0]
    scale = nbins / (hi - lo)
    b = ((x - lo) * scale).astype(np.int64)  # truncates toward zero, as int() does
    keep = (b >= 0) & (b < nbins) & (x >= lo)
    counts += np.bincount(b[keep], minlength=nbins)

"""Two-dimensional wave equation, leapfrog in time with a five-point Laplacian, fixed
boundaries."""
import numpy as np

GROUP = "stencil"
NUMPY = True
SIZES = (20, 400)


def wave_2d(u0, steps, c):
    u_prev = u0.copy()
    u = u0.copy()
    for t in range(steps):
        lap = (u[2:, 1:-1] + u[:-2, 1:-1] + u[1:-1, 2:] + u[1:-1, :-2]
               - 4.0 * u[1:-1, 1:-1])
        u_next = u.copy()
        u_next[1:-1, 1:-1] = 2.0 * u[1:-1, 1:-1] - u_prev[1:-1, 1:-1] + c * c * lap
        u_prev = u
        u = u_next
    return u


ENTRY = wave_2d


def make_args(n):
    x = np.linspace(-1.0, 1.0, n)
    X, Y = np.meshgrid(x, x)
    return (np.exp(-20.0 * (X ** 2 + Y ** 2)), 10 if n < 100 else 200, 0.4)

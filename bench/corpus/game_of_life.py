"""Conway's game of life on a torus: neighbour counts from eight np.roll shifts."""
import numpy as np

GROUP = "image"
NUMPY = True
SIZES = (32, 512)


def game_of_life(grid, steps):
    for _ in range(steps):
        nb = (np.roll(grid, 1, 0) + np.roll(grid, -1, 0) + np.roll(grid, 1, 1)
              + np.roll(grid, -1, 1) + np.roll(np.roll(grid, 1, 0), 1, 1)
              + np.roll(np.roll(grid, 1, 0), -1, 1) + np.roll(np.roll(grid, -1, 0), 1, 1)
              + np.roll(np.roll(grid, -1, 0), -1, 1))
        grid = ((nb == 3) | ((grid == 1) & (nb == 2))).astype(np.int64)
    return grid


ENTRY = game_of_life


def make_args(n):
    rng = np.random.default_rng(131)
    return ((rng.random((n, n)) < 0.3).astype(np.int64), 10 if n < 100 else 50)

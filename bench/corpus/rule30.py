"""Elementary cellular automaton (Wolfram rule 30) on a ring: the space-time diagram as a
uint8 array."""
import numpy as np

GROUP = "loops"
NUMPY = False
SIZES = (64, 4000)


def rule30(width, steps, rule):
    table = np.zeros(8, dtype=np.uint8)
    for k in range(8):
        table[k] = (rule >> k) & 1
    grid = np.zeros((steps, width), dtype=np.uint8)
    grid[0, width // 2] = 1
    for t in range(1, steps):
        for i in range(width):
            left = grid[t - 1, (i - 1) % width]
            mid = grid[t - 1, i]
            right = grid[t - 1, (i + 1) % width]
            grid[t, i] = table[4 * left + 2 * mid + right]
    return grid


ENTRY = rule30


def make_args(n):
    return (n, n // 2, 30)

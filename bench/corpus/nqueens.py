"""Number of solutions of the n-queens problem by backtracking, with the occupied columns and
diagonals kept in lists of flags."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (6, 10)


def place(row, n, cols, diag1, diag2):
    if row == n:
        return 1
    count = 0
    for c in range(n):
        if not cols[c] and not diag1[row + c] and not diag2[row - c + n - 1]:
            cols[c] = True
            diag1[row + c] = True
            diag2[row - c + n - 1] = True
            count += place(row + 1, n, cols, diag1, diag2)
            cols[c] = False
            diag1[row + c] = False
            diag2[row - c + n - 1] = False
    return count


def nqueens(n):
    cols = [False] * n
    diag1 = [False] * (2 * n - 1)
    diag2 = [False] * (2 * n - 1)
    return place(0, n, cols, diag1, diag2)


ENTRY = nqueens


def make_args(n):
    return (n,)

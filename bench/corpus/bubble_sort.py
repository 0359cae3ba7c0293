"""Bubble sort of an integer array in place, stopping early when a pass makes no swap;
returns the number of swaps."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (60, 5000)


def bubble_sort(a):
    n = len(a)
    swaps = 0
    for i in range(n - 1):
        swapped = False
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                tmp = a[j]
                a[j] = a[j + 1]
                a[j + 1] = tmp
                swaps += 1
                swapped = True
        if not swapped:
            break
    return swaps


ENTRY = bubble_sort
OUTPUTS = (0,)


def make_args(n):
    rng = np.random.default_rng(142)
    return (rng.integers(-1000, 1000, size=n),)

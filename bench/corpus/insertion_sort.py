"""Insertion sort of a copy of an array: a while loop shifting elements right."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (200, 5000)


def insertion_sort(a):
    a = a.copy()
    for i in range(1, len(a)):
        key = a[i]
        j = i - 1
        while j >= 0 and a[j] > key:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = key
    return a


ENTRY = insertion_sort


def make_args(n):
    rng = np.random.default_rng(81)
    return (rng.random(n),)

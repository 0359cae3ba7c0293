"""Quicksort of a Python list, the functional way: pivot, three comprehensions, recursion."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (50, 200000)


def quicksort(xs):
    if len(xs) <= 1:
        return xs
    pivot = xs[len(xs) // 2]
    less = [x for x in xs if x < pivot]
    equal = [x for x in xs if x == pivot]
    greater = [x for x in xs if x > pivot]
    return quicksort(less) + equal + quicksort(greater)


def quicksort_list(values):
    return quicksort(list(values))


ENTRY = quicksort_list


def make_args(n):
    rng = np.random.default_rng(130)
    return ([float(v) for v in rng.random(n)],)

"""Top-down merge sort of a list with slices and a merge loop."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (50, 200000)


def merge(left, right):
    out = []
    i = 0
    j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    out.extend(left[i:])
    out.extend(right[j:])
    return out


def mergesort_list(xs):
    if len(xs) <= 1:
        return xs
    mid = len(xs) // 2
    return merge(mergesort_list(xs[:mid]), mergesort_list(xs[mid:]))


ENTRY = mergesort_list


def make_args(n):
    rng = np.random.default_rng(131)
    return ([int(v) for v in rng.integers(0, 1000, size=n)],)

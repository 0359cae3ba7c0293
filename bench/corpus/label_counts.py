"""Count class labels with a dict, then turn the counts into an array of frequencies."""
import numpy as np

GROUP = "strings"
NUMPY = False
SIZES = (500, 1000000)


def label_counts(labels, nclasses):
    counts = {}
    for lab in labels:
        counts[lab] = counts.get(lab, 0) + 1
    freq = np.zeros(nclasses)
    for k in range(nclasses):
        freq[k] = counts.get(k, 0) / len(labels)
    return freq


ENTRY = label_counts


def make_args(n):
    rng = np.random.default_rng(94)
    return (rng.integers(0, 7, size=n), 7)

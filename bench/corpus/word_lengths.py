"""Histogram of word lengths in a text: str.split and len of strings."""
import numpy as np

GROUP = "strings"
NUMPY = False
SIZES = (200, 100000)


def word_lengths(text, maxlen):
    counts = np.zeros(maxlen + 1, dtype=np.int64)
    for word in text.split():
        n = len(word)
        if n > maxlen:
            n = maxlen
        counts[n] += 1
    return counts


ENTRY = word_lengths


def make_args(n):
    rng = np.random.default_rng(91)
    letters = "abcdefghijklmnopqrstuvwxyz"
    lens = rng.integers(1, 12, size=n)
    idx = rng.integers(0, 26, size=int(lens.sum()))
    words, pos = [], 0
    for k in lens:
        words.append("".join(letters[c] for c in idx[pos:pos + k]))
        pos += k
    return (" ".join(words), 10)

"""Letter frequencies of a text (case-folded, letters only), counted in a dict, returned as a
26-element array."""
import numpy as np

GROUP = "strings"
NUMPY = False
SIZES = (100, 250)


def char_histogram(text):
    counts = {}
    for ch in text.lower():
        if "a" <= ch <= "z":
            counts[ch] = counts.get(ch, 0) + 1
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = np.zeros(26, dtype=np.int64)
    for i in range(26):
        out[i] = counts.get(letters[i], 0)
    return out


ENTRY = char_histogram


def make_args(n):
    rng = np.random.default_rng(149)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,"
    return ("".join(alphabet[k] for k in rng.integers(0, len(alphabet), size=n)),)

"""FNV-1a hashes of fixed-length records of bytes (rows of a uint8 array), with the 32-bit
arithmetic masked by hand as a Python programmer writes it."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (200, 500000)


def fnv_hash(records):
    n, m = records.shape
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        h = 2166136261
        for j in range(m):
            h ^= int(records[i, j])
            h = (h * 16777619) & 0xFFFFFFFF
        out[i] = h
    return out


ENTRY = fnv_hash


def make_args(n):
    rng = np.random.default_rng(165)
    return (rng.integers(0, 256, size=(n, 16), dtype=np.uint8),)

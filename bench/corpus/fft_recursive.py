"""Radix-2 Cooley-Tukey FFT written recursively with even/odd slices and concatenate."""
import numpy as np

GROUP = "signal"
NUMPY = True
SIZES = (64, 65536)
RTOL = 1e-9


def fft_recursive(x):
    n = x.shape[0]
    if n <= 1:
        return x.astype(np.complex128)
    even = fft_recursive(x[::2])
    odd = fft_recursive(x[1::2])
    tw = np.exp(-2j * np.pi * np.arange(n // 2) / n) * odd
    return np.concatenate((even + tw, even - tw))


ENTRY = fft_recursive


def make_args(n):
    rng = np.random.default_rng(161)
    return (rng.standard_normal(n) + 1j * rng.standard_normal(n),)

"""Second-order IIR (biquad) low-pass filter, direct form I, run sample by sample."""
import math

import numpy as np

GROUP = "signal"
NUMPY = False
SIZES = (500, 5000000)
RTOL = 1e-9


def biquad(x, fs, f0, q):
    w0 = 2 * math.pi * f0 / fs
    alpha = math.sin(w0) / (2 * q)
    cw = math.cos(w0)
    b0 = (1 - cw) / 2
    b1 = 1 - cw
    b2 = (1 - cw) / 2
    a0 = 1 + alpha
    a1 = -2 * cw
    a2 = 1 - alpha
    y = np.empty_like(x)
    x1 = x2 = y1 = y2 = 0.0
    for i in range(x.shape[0]):
        xi = x[i]
        yi = (b0 * xi + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2) / a0
        x2 = x1
        x1 = xi
        y2 = y1
        y1 = yi
        y[i] = yi
    return y


ENTRY = biquad


def make_args(n):
    rng = np.random.default_rng(119)
    return (rng.standard_normal(n), 8000.0, 440.0, 0.707)

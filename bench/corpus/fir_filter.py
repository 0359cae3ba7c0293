"""Direct-form FIR filter (a windowed-sinc low-pass) applied to a noisy signal, with zero
initial conditions, as lfilter would."""
import numpy as np

GROUP = "signal"
NUMPY = False
SIZES = (500, 2000000)


def lowpass_taps(ntaps, cutoff):
    h = np.empty(ntaps)
    m = (ntaps - 1) / 2.0
    for k in range(ntaps):
        t = k - m
        if t == 0:
            h[k] = 2 * cutoff
        else:
            h[k] = np.sin(2 * np.pi * cutoff * t) / (np.pi * t)
        h[k] *= 0.54 - 0.46 * np.cos(2 * np.pi * k / (ntaps - 1))
    return h / h.sum()


def fir_filter(x, ntaps, cutoff):
    h = lowpass_taps(ntaps, cutoff)
    y = np.zeros_like(x)
    for n in range(len(x)):
        acc = 0.0
        for k in range(ntaps):
            if n - k < 0:
                break
            acc += h[k] * x[n - k]
        y[n] = acc
    return y


ENTRY = fir_filter


def make_args(n):
    rng = np.random.default_rng(118)
    t = np.arange(n) / 1000.0
    return (np.sin(2 * np.pi * 5 * t) + 0.5 * rng.standard_normal(n), 31, 0.05)

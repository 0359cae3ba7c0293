"""Find local maxima above a threshold: indices appended to a Python list, returned as an
array."""
import numpy as np

GROUP = "strings"
NUMPY = False
SIZES = (500, 1000000)


def peak_list(signal, threshold):
    peaks = []
    for i in range(1, len(signal) - 1):
        if signal[i] > threshold and signal[i] > signal[i - 1] and signal[i] >= signal[i + 1]:
            peaks.append(i)
    return np.array(peaks, dtype=np.int64)


ENTRY = peak_list


def make_args(n):
    rng = np.random.default_rng(93)
    t = np.linspace(0.0, 20.0, n)
    return (np.sin(t) + 0.3 * rng.random(n), 0.8)

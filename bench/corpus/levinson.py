"""Levinson-Durbin recursion: the coefficients of an autoregressive model from its
autocorrelation sequence (the Yule-Walker equations), with the reflection coefficients and the
prediction error of each order. Every step works on a slice one element longer than the last."""
import numpy as np

GROUP = "linalg"
NUMPY = False
SIZES = (40, 1500)
RTOL = 1e-8


def levinson(acf, order):
    a = np.zeros(order + 1)
    a[0] = 1.0
    refl = np.zeros(order)
    err = acf[0]
    for k in range(1, order + 1):
        acc = acf[k] + np.dot(a[1:k], acf[k - 1:0:-1])
        kk = -acc / err
        refl[k - 1] = kk
        prev = a[1:k].copy()
        a[1:k] = prev + kk * prev[::-1]
        a[k] = kk
        err *= 1.0 - kk * kk
    return a, refl, err


ENTRY = levinson


def make_args(n):
    # A damped oscillation's autocorrelation, r^k cos(w k): positive definite, so every
    # reflection coefficient stays inside (-1, 1).
    k = np.arange(n + 1)
    rng = np.random.default_rng(17)
    r, w = 0.97, 0.2 + 0.1 * rng.random()
    return (r ** k * np.cos(w * k), n)

"""Removing a polynomial trend from a time series: least-squares fit with np.polyfit, the
residual, and a forecast of the trend a few steps ahead with np.polyval."""
import numpy as np

GROUP = "statistics"
NUMPY = True
SIZES = (100, 1000000)
RTOL = 1e-7


def detrend(t, y, deg, ahead):
    coef = np.polyfit(t, y, deg)
    trend = np.polyval(coef, t)
    resid = y - trend
    dt = t[1] - t[0]
    future = t[-1] + dt * np.arange(1, ahead + 1)
    return resid, np.polyval(coef, future), coef


ENTRY = detrend


def make_args(n):
    rng = np.random.default_rng(187)
    t = np.linspace(0.0, 10.0, n)
    return (t, 0.3 * t ** 2 - t + 2.0 + rng.standard_normal(n), 2, 5)

"""Ordinary least squares by the normal equations, solved with np.linalg.solve, and R^2."""
import numpy as np

GROUP = "np.linalg"
NUMPY = True
SIZES = (100, 200000)
RTOL = 1e-8


def linreg(X, y):
    Xb = np.hstack((np.ones((X.shape[0], 1)), X))
    beta = np.linalg.solve(Xb.T @ Xb, Xb.T @ y)
    resid = y - Xb @ beta
    r2 = 1.0 - (resid @ resid) / np.sum((y - y.mean()) ** 2)
    return beta, r2


ENTRY = linreg


def make_args(n):
    rng = np.random.default_rng(102)
    X = rng.random((n, 4))
    return (X, X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1 * rng.standard_normal(n))

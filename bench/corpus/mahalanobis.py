"""Mahalanobis distances of samples to their mean, with np.cov and np.linalg.inv."""
import numpy as np

GROUP = "np.linalg"
NUMPY = True
SIZES = (100, 200000)
RTOL = 1e-8


def mahalanobis(X):
    mu = X.mean(axis=0)
    cov = np.cov(X, rowvar=False)
    icov = np.linalg.inv(cov)
    d = X - mu
    return np.sqrt(np.sum((d @ icov) * d, axis=1))


ENTRY = mahalanobis


def make_args(n):
    rng = np.random.default_rng(103)
    return (rng.standard_normal((n, 3)) @ np.array([[1.0, 0.2, 0.0], [0.0, 2.0, 0.3],
                                                    [0.1, 0.0, 0.5]]),)

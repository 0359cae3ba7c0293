"""One Lloyd iteration of k-means: squared distances by broadcasting, argmin over clusters,
new centres as masked means."""
import numpy as np

GROUP = "ml"
NUMPY = True
SIZES = (200, 100000)


def kmeans_step(X, centers):
    d2 = ((X[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    labels = np.argmin(d2, axis=1)
    new = np.empty_like(centers)
    for k in range(centers.shape[0]):
        members = X[labels == k]
        if members.shape[0] > 0:
            new[k] = members.mean(axis=0)
        else:
            new[k] = centers[k]
    return new, labels


ENTRY = kmeans_step


def make_args(n):
    rng = np.random.default_rng(111)
    X = rng.standard_normal((n, 2)) + rng.integers(0, 4, size=(n, 1)) * 3.0
    return (X, X[:4].copy())

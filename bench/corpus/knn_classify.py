"""k-nearest-neighbour classification: squared distances to the training set, the k closest by
argsort, a majority vote with bincount (ties to the smaller label)."""
import numpy as np

GROUP = "numpy"
NUMPY = True
SIZES = (30, 2000)


def knn_classify(train, labels, test, k, nclasses):
    pred = np.empty(test.shape[0], dtype=np.int64)
    for i in range(test.shape[0]):
        d = np.sum((train - test[i]) ** 2, axis=1)
        nearest = np.argsort(d, kind="stable")[:k]
        votes = np.bincount(labels[nearest], minlength=nclasses)
        pred[i] = np.argmax(votes)
    return pred


ENTRY = knn_classify


def make_args(n):
    rng = np.random.default_rng(182)
    centers = rng.random((4, 5)) * 4.0
    lab = rng.integers(0, 4, size=5 * n)
    train = centers[lab] + rng.standard_normal((5 * n, 5))
    tl = rng.integers(0, 4, size=n)
    test = centers[tl] + rng.standard_normal((n, 5))
    return (train, lab, test, 7, 4)

"""Numerically stable softmax over the last axis, with keepdims broadcasting."""
import numpy as np

GROUP = "dl"
NUMPY = True
SIZES = (16, 512)


def softmax(x):
    tmp_max = np.max(x, axis=-1, keepdims=True)
    tmp_out = np.exp(x - tmp_max)
    tmp_sum = np.sum(tmp_out, axis=-1, keepdims=True)
    return tmp_out / tmp_sum


ENTRY = softmax


def make_args(n):
    rng = np.random.default_rng(52)
    return (rng.random((4, n, n)) * 10.0,)

"""A three-layer perceptron's forward pass: module-level relu and softmax helpers."""
import numpy as np

GROUP = "dl"
NUMPY = True
SIZES = (8, 256)
RTOL = 1e-9


def relu(x):
    return np.maximum(x, 0)


def softmax(x):
    tmp_max = np.max(x, axis=-1, keepdims=True)
    tmp_out = np.exp(x - tmp_max)
    tmp_sum = np.sum(tmp_out, axis=-1, keepdims=True)
    return tmp_out / tmp_sum


def mlp(inp, w1, b1, w2, b2, w3, b3):
    x = relu(inp @ w1 + b1)
    x = relu(x @ w2 + b2)
    x = softmax(x @ w3 + b3)
    return x


ENTRY = mlp


def make_args(n):
    rng = np.random.default_rng(53)
    s0, s1, s2, s3 = 4 * n, 2 * n, n, 10
    return (rng.random((n, s0)), rng.random((s0, s1)) - 0.5, rng.random(s1) - 0.5,
            rng.random((s1, s2)) - 0.5, rng.random(s2) - 0.5, rng.random((s2, s3)) - 0.5,
            rng.random(s3) - 0.5)

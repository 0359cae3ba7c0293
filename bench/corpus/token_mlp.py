"""A two-layer feed-forward block applied to every token of a batch of sequences, as in a
transformer: (batch, tokens, features) arrays multiplied by weight matrices, a ReLU between,
and a residual connection. The products are stacks of matrices times one matrix."""
import numpy as np

GROUP = "dl"
NUMPY = True
SIZES = (4, 32)
RTOL = 1e-9


def token_mlp(x, w1, b1, w2, b2):
    h = np.maximum(x @ w1 + b1, 0.0)
    return x + h @ w2 + b2


ENTRY = token_mlp


def make_args(n):
    rng = np.random.default_rng(23)
    d, hidden, tokens = 64, 256, 128
    x = rng.standard_normal((n, tokens, d))
    w1 = rng.standard_normal((d, hidden)) / np.sqrt(d)
    w2 = rng.standard_normal((hidden, d)) / np.sqrt(hidden)
    return (x, w1, rng.standard_normal(hidden) * 0.1, w2, rng.standard_normal(d) * 0.1)

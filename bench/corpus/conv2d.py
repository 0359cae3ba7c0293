"""A convolution layer (NHWC, valid padding, stride 1), one output pixel position at a time,
the window times the filters summed over three axes."""
import numpy as np

GROUP = "dl"
NUMPY = True
SIZES = (8, 64)


def conv2d(inp, weights):
    K = weights.shape[0]
    N = inp.shape[0]
    H_out = inp.shape[1] - K + 1
    W_out = inp.shape[2] - K + 1
    C_out = weights.shape[3]
    output = np.empty((N, H_out, W_out, C_out), dtype=np.float64)
    for i in range(H_out):
        for j in range(W_out):
            output[:, i, j, :] = np.sum(
                inp[:, i:i + K, j:j + K, :, np.newaxis] * weights[np.newaxis, :, :, :],
                axis=(1, 2, 3))
    return output


ENTRY = conv2d


def make_args(n):
    rng = np.random.default_rng(51)
    return (rng.random((2, n, n, 3)), rng.random((3, 3, 3, 8)))

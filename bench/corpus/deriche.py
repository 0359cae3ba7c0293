"""PolyBench deriche: Deriche's recursive edge-detection filter, four first-order IIR sweeps
(causal and anti-causal along each axis), each vectorised across the other axis with slices."""
import numpy as np

GROUP = "stencil"
NUMPY = False
SIZES = (24, 600)
OUTPUTS = ()
RTOL = 1e-9


def deriche(alpha, imgIn):
    k = ((1.0 - np.exp(-alpha)) * (1.0 - np.exp(-alpha))
         / (1.0 + 2.0 * alpha * np.exp(-alpha) - np.exp(-2.0 * alpha)))
    a1 = a5 = k
    a2 = a6 = k * np.exp(-alpha) * (alpha - 1.0)
    a3 = a7 = k * np.exp(-alpha) * (alpha + 1.0)
    a4 = a8 = -k * np.exp(-2.0 * alpha)
    b1 = 2.0 ** (-alpha)
    b2 = -np.exp(-2.0 * alpha)
    c1 = c2 = 1.0

    h = imgIn.shape[0]
    w = imgIn.shape[1]

    # along axis 1, forward then backward
    y1 = np.empty_like(imgIn)
    y1[:, 0] = a1 * imgIn[:, 0]
    y1[:, 1] = a1 * imgIn[:, 1] + a2 * imgIn[:, 0] + b1 * y1[:, 0]
    for j in range(2, w):
        y1[:, j] = (a1 * imgIn[:, j] + a2 * imgIn[:, j - 1]
                    + b1 * y1[:, j - 1] + b2 * y1[:, j - 2])

    y2 = np.empty_like(imgIn)
    y2[:, -1] = 0.0
    y2[:, -2] = a3 * imgIn[:, -1]
    for j in range(w - 3, -1, -1):
        y2[:, j] = (a3 * imgIn[:, j + 1] + a4 * imgIn[:, j + 2]
                    + b1 * y2[:, j + 1] + b2 * y2[:, j + 2])

    imgOut = c1 * (y1 + y2)

    # along axis 0, forward then backward
    y1[0, :] = a5 * imgOut[0, :]
    y1[1, :] = a5 * imgOut[1, :] + a6 * imgOut[0, :] + b1 * y1[0, :]
    for i in range(2, h):
        y1[i, :] = (a5 * imgOut[i, :] + a6 * imgOut[i - 1, :]
                    + b1 * y1[i - 1, :] + b2 * y1[i - 2, :])

    y2[-1, :] = 0.0
    y2[-2, :] = a7 * imgOut[-1, :]
    for i in range(h - 3, -1, -1):
        y2[i, :] = (a7 * imgOut[i + 1, :] + a8 * imgOut[i + 2, :]
                    + b1 * y2[i + 1, :] + b2 * y2[i + 2, :])

    imgOut[:] = c2 * (y1 + y2)
    return imgOut


ENTRY = deriche


def make_args(n):
    # PolyBench's image: (313*i + 991*j) % 65536 / 65535, on a w x h = n x (n*9//16) grid.
    h = n * 9 // 16
    i = np.arange(n)[:, None]
    j = np.arange(h)[None, :]
    return (0.25, ((313 * i + 991 * j) % 65536) / 65535.0)

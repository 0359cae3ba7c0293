"""Black-Scholes prices of European calls and puts, one option at a time with math.erf."""
import math

import numpy as np

GROUP = "montecarlo"
NUMPY = False
SIZES = (1000, 5000000)
RTOL = 1e-9


def cnd(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def black_scholes(S, K, T, r, sigma):
    n = S.shape[0]
    call = np.empty(n)
    put = np.empty(n)
    for i in range(n):
        sqt = math.sqrt(T[i])
        d1 = (math.log(S[i] / K[i]) + (r + 0.5 * sigma * sigma) * T[i]) / (sigma * sqt)
        d2 = d1 - sigma * sqt
        disc = math.exp(-r * T[i])
        call[i] = S[i] * cnd(d1) - K[i] * disc * cnd(d2)
        put[i] = K[i] * disc * cnd(-d2) - S[i] * cnd(-d1)
    return call, put


ENTRY = black_scholes


def make_args(n):
    rng = np.random.default_rng(180)
    return (rng.uniform(5.0, 30.0, n), rng.uniform(1.0, 100.0, n), rng.uniform(0.25, 10.0, n), 0.02, 0.3)

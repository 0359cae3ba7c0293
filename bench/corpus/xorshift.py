"""A xorshift64* generator filling an array with uniform doubles: uint64 shifts, xors and a
wrapping multiply."""
import numpy as np

GROUP = "montecarlo"
NUMPY = False
SIZES = (1000, 10000000)


def xorshift(seed, n):
    out = np.empty(n)
    state = np.uint64(seed)
    mult = np.uint64(0x2545F4914F6CDD1D)
    for i in range(n):
        state ^= state >> np.uint64(12)
        state ^= state << np.uint64(25)
        state ^= state >> np.uint64(27)
        r = state * mult
        out[i] = (r >> np.uint64(11)) * (1.0 / 9007199254740992.0)
    return out, state


ENTRY = xorshift


def make_args(n):
    return (88172645463325252, n)

"""The first n primes by trial division against the primes found so far (kept in a list)."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (100, 100000)


def primes_trial(n):
    primes = [2]
    candidate = 3
    while len(primes) < n:
        is_p = True
        for p in primes:
            if p * p > candidate:
                break
            if candidate % p == 0:
                is_p = False
                break
        if is_p:
            primes.append(candidate)
        candidate += 2
    return np.array(primes)


ENTRY = primes_trial


def make_args(n):
    return (n,)

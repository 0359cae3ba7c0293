"""Sieve of Eratosthenes on a list of flags; returns the primes below n as a list."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (200, 5000000)


def sieve(n):
    is_prime = [True] * n
    is_prime[0] = False
    is_prime[1] = False
    i = 2
    while i * i < n:
        if is_prime[i]:
            for j in range(i * i, n, i):
                is_prime[j] = False
        i += 1
    return [k for k in range(n) if is_prime[k]]


ENTRY = sieve


def make_args(n):
    return (n,)

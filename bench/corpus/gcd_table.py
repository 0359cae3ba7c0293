"""How many pairs (i, j) below n are coprime, with math.gcd, and the fraction against
6/pi**2."""
import math

import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (60, 3000)


def gcd_table(n):
    coprime = 0
    for i in range(1, n):
        for j in range(1, n):
            if math.gcd(i, j) == 1:
                coprime += 1
    frac = coprime / (n - 1) ** 2
    return coprime, frac / (6 / math.pi ** 2)


ENTRY = gcd_table


def make_args(n):
    return (n,)

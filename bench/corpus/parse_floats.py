"""Parse a comma-separated line of numbers into an array with a list comprehension."""
import numpy as np

GROUP = "strings"
NUMPY = False
SIZES = (100, 100000)


def parse_floats(line):
    values = [float(s) for s in line.split(",")]
    return np.array(values)


ENTRY = parse_floats


def make_args(n):
    rng = np.random.default_rng(92)
    return (",".join(repr(float(v)) for v in np.round(rng.random(n) * 100, 3)),)

"""Run-length encoding of an integer sequence into two lists (values, run lengths), then
decoded back as a check."""
import numpy as np

GROUP = "algorithms"
NUMPY = False
SIZES = (200, 2000000)


def run_length(seq):
    values = []
    counts = []
    if len(seq) == 0:
        return values, counts, True
    cur = seq[0]
    run = 1
    for i in range(1, len(seq)):
        if seq[i] == cur:
            run += 1
        else:
            values.append(cur)
            counts.append(run)
            cur = seq[i]
            run = 1
    values.append(cur)
    counts.append(run)
    decoded = np.repeat(np.array(values), np.array(counts))
    return values, counts, bool(np.all(decoded == seq))


ENTRY = run_length


def make_args(n):
    rng = np.random.default_rng(145)
    return (np.repeat(rng.integers(0, 4, size=n // 4 + 1), rng.integers(1, 7, size=n // 4 + 1)),)

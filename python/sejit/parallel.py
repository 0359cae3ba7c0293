"""`prange`: the loop range that `jit(parallel=True)` runs on several threads.

In plain Python (and with SEJIT_DISABLE=1) it is `range` itself, so a function using it runs
unchanged without sejit. The engine knows it by identity (_request._builtin_name), not by name.
"""


def prange(*args):
    """range(*args); in a function compiled with jit(parallel=True), a parallel loop."""
    return range(*args)

"""NumPy's global random state for compiled code (issue 14, docs/design.md "Random numbers").

Kernels that draw (``np.random.random``, ``normal``, ``randint``, ...) draw from the very state
Python's ``np.random.*`` functions use: the ``RandomState`` ``np.random.mtrand._rand``. Its bit
generator is public (``_bit_generator.ctypes``: the ``bitgen_t`` NumPy's C code draws through) but
its legacy augmented state, which holds the cached second Gaussian of the polar method
(``aug_bitgen_t``: the ``bitgen_t *``, ``has_gauss``, ``gauss``), lives inside the Cython object.
``install`` finds it once: in the object's memory, the copy of the bit generator's ``bitgen_t``
that ``RandomState`` keeps, then the pointer to that copy that starts ``aug_bitgen_t``. The find is
then proved with ``set_state`` (a known cached Gaussian must appear there, and go again), and the
state is restored as it was. Anything unexpected raises ``RuntimeError``: never a guess.

``np.random.seed`` in compiled code writes the Mersenne Twister's state itself: the bit generator's
``state`` pointer leads to MT19937's ``key[624]`` words and ``pos``. That layout is proved the same
way, against the key and position ``get_state`` reports for a state set on purpose.
"""

import ctypes
import threading

import numpy

_WORD = ctypes.sizeof(ctypes.c_void_p)


def _words(address, count):
    return list((ctypes.c_uint64 * count).from_address(address))


def _find(rs):
    iface = rs._bit_generator.ctypes
    bitgen = _words(iface.bit_generator.value, 4)  # state, next_uint64, next_uint32, next_double
    base = id(rs)
    size = type(rs).__basicsize__
    mem = _words(base, size // _WORD)
    copies = [i for i in range(2, len(mem) - 3) if mem[i : i + 4] == bitgen]
    if len(copies) != 1:
        return None
    copy = base + copies[0] * _WORD
    augs = [i for i in range(2, len(mem) - 2) if mem[i] == copy]
    if len(augs) != 1:
        return None
    return base + augs[0] * _WORD


class _Aug(ctypes.Structure):
    _fields_ = [("bit_generator", ctypes.c_void_p), ("has_gauss", ctypes.c_int), ("gauss", ctypes.c_double)]


def _mt_layout_holds(rs, saved):
    """Whether the bit generator's state is MT19937's key[624] then pos, as get_state reports them."""
    state = ctypes.c_void_p.from_address(rs._bit_generator.ctypes.bit_generator.value).value
    key = numpy.arange(624, dtype=numpy.uint32) * numpy.uint32(2654435761)
    rs.set_state(("MT19937", key, 311, 0, 0.0))
    mem = (ctypes.c_uint32 * 625).from_address(state)
    return list(mem[:624]) == key.tolist() and ctypes.c_int.from_address(state + 4 * 624).value == 311


def _proved(rs, address):
    aug = _Aug.from_address(address)
    saved = rs.get_state()
    try:
        if saved[0] != "MT19937" or not _mt_layout_holds(rs, saved):
            return False
        marker = 0.3183098861837907
        rs.set_state(saved[:3] + (1, marker))
        if aug.has_gauss != 1 or aug.gauss != marker:
            return False
        rs.set_state(saved[:3] + (0, 0.0))
        return aug.has_gauss == 0 and aug.gauss == 0.0
    finally:
        rs.set_state(saved)


def install():
    """(address, lock): NumPy's global legacy random state, for the runtime (which calls this once)."""
    rs = numpy.random.mtrand._rand
    with rs._bit_generator.lock:
        address = _find(rs)
        if address is None or not _proved(rs, address):
            raise RuntimeError(
                "sejit: cannot find the legacy state of NumPy's global RandomState "
                f"(NumPy {numpy.__version__}); np.random draws cannot be compiled with this NumPy"
            )
    return address, rs._bit_generator.lock


# np.random.Generator arguments (_objects.py): a Generator reaches compiled code as the address of
# its bit generator's bitgen_t and that of a table of NumPy's own ziggurat functions, which
# numpy.random._generator exports (their tables are NumPy's data, so the Gaussian and exponential
# draws call them rather than redo them). The table lives as long as this module.
_GENERATOR_FUNCTIONS = ("random_standard_normal", "random_standard_exponential")
_dists = None
_dists_lock = threading.Lock()


def _dists_table():
    """The table, made once: a second one could free the first while a kernel reads it."""
    global _dists
    with _dists_lock:
        if _dists is None:
            from numpy.random import _generator

            lib = ctypes.CDLL(_generator.__file__)
            addrs = [ctypes.cast(getattr(lib, name), ctypes.c_void_p).value for name in _GENERATOR_FUNCTIONS]
            _dists = (ctypes.c_void_p * len(addrs))(*addrs)
    return _dists


def generator_leaves(rng):
    """(bitgen_t address, function table address) of a Generator, the leaves it is passed as."""
    table = _dists if _dists is not None else _dists_table()
    return rng.bit_generator.ctypes.bit_generator.value, ctypes.addressof(table)

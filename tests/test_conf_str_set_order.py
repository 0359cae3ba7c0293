"""Conformance: iteration over sets of strings in CPython's order (issue 14, py.sets).

CPython hashes a str with SipHash-1-3 under a key drawn per process (PYTHONHASHSEED), and a
set iterates through its hash table, so `for w in s` and `list(s)` see the words in an order
that changes from one process to the next. The kernel keeps the same table with the same hash:
the runtime hands it this process's key (sejit_ctx.strhash), and a set argument arrives with
CPython's own layout (_runtime.set_layout). These cases compare the order with CPython's in this
process; tests/test_str_set_seeds.py repeats some in fresh processes under several seeds. The
words include empty, long, Latin-1, two-byte and four-byte text (CPython hashes each width's
bytes) and, built at run time, words whose hashes share their low bits, so that they probe the
same slots of the table.
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)

_WORDS = (["", "a", "b", "ab", "ba", "abc", "the", "of", "and", "x" * 40, "y" * 9, "café", "naïve",
           "€", "€uro", "Ωmega", "日本", "😀", "a😀b", "\x00", "z"] +
          [f"w{i}" for i in range(60)])


def _colliding(bits, count):
    # Words whose hashes agree in their low `bits` bits in this process: they share a home
    # slot in every table of up to 2**bits slots.
    groups = {}
    for i in range(20000):
        w = f"k{i}"
        groups.setdefault(hash(w) & ((1 << bits) - 1), []).append(w)
        if len(groups[hash(w) & ((1 << bits) - 1)]) >= count:
            return groups[hash(w) & ((1 << bits) - 1)]
    raise AssertionError("no colliding words")


# Opcodes of str_set_program_order, weighted so that sets grow through several resizes.
_OPS = np.array([0] * 10 + [1] * 5 + [2] * 6 + [3] * 2 + list(range(4, 14)))


def _program(n, pool, seed, weights=None):
    def build():
        rng = np.random.default_rng(seed)
        words = pool() if callable(pool) else pool
        w = _OPS if weights is None else weights
        ops = rng.choice(w, size=n)
        xs = [words[k] for k in rng.integers(0, len(words), size=n)]
        return ops, xs
    return build


_CHURN = np.array([0] * 12 + [1] * 8 + [10])


@cases.add("py.sets", _program(300, _WORDS, 1), _program(2000, _WORDS, 2),
           _program(1500, lambda: _colliding(5, 40), 3),
           _program(2500, lambda: _colliding(7, 30), 4), _program(3000, _WORDS, 5, _CHURN),
           _program(3000, lambda: _colliding(4, 50), 6, _CHURN))
def str_set_program_order(ops, xs):
    a = set()
    b = set()
    out = []
    for i in range(len(ops)):
        op = ops[i]
        x = xs[i]
        if op == 0:
            a.add(x)
        elif op == 1:
            a.discard(x)
        elif op == 2:
            b.add(x)
        elif op == 3:
            b.discard(x)
        elif op == 4:
            a = a | b
        elif op == 5:
            a = a & b
        elif op == 6:
            a = a - b
        elif op == 7:
            b = a.copy()
        elif op == 8:
            b = set(a)
        elif op == 9:
            a.clear()
        elif op == 10:
            for y in a:
                out.append(y)
        elif op == 11:
            a |= b
        elif op == 12:
            a -= b
        else:
            for y in b:
                out.append(y + "|")
    for y in a:
        out.append(y)
    for y in b:
        out.append(y)
    return out, len(a), len(b)


@cases.add("py.sets", (3000,), (37,), (1,))
def str_set_grows_and_shrinks(n):
    # Adds through several resizes, discards that leave dummies, adds that reuse them.
    s = set()
    for i in range(n):
        s.add(str(i * 7919 % 10007))
    for i in range(0, n, 3):
        s.discard(str(i * 7919 % 10007))
    for i in range(n // 2):
        s.add("n" + str(i))
    return list(s), len(s)


@cases.add("py.sets", ("the cat and the hat sat on the mat of the cat",), ("",),
           ("ünïcode wörds 日本 語 😀 a b c d e f g h i j k l m n o p",))
def str_set_iteration_forms(text):
    s = set(text.split())
    t = {w + w for w in s}
    chars = set(text)
    total = 0
    for w in s:
        total = total * 7 + len(w)
    return ([w for w in s], list(t), [c for c in chars if c != " "], total, sorted(s),
            len(chars), [len(w) for w in t])


@cases.add("py.sets", (9,), (40,))
def str_set_of_dict_and_set(n):
    d = {}
    for i in range(n):
        d["k" + str(n - i)] = i
    s = set(d)
    u = set(s)
    c = s.copy()
    return list(s), list(u), list(c), [k for k in {k + "!" for k in d}]


def _texts(n):
    return (" ".join(f"w{i * 8}" for i in range(n)), " ".join(f"w{i * 3}" for i in range(n)))


@cases.add("py.sets", _texts(20), _texts(200))
def str_set_in_place_order(text, other):
    s = set(text.split())
    t = set(other.split())
    s |= t
    a = [x for x in s]
    s -= {x + x for x in t}
    s -= {x for x in t if len(x) == 3}
    b = [x for x in s]
    s &= {x for x in t if len(x) > 1}
    c = [x for x in s]
    u = s | t
    v = t - s
    w = s & t
    return a, b, c, list(u), list(v), list(w)


@cases.add("py.sets", lambda: ({"x", "yy", "zzz", "w1", "w2", "€", "😀"},),
           lambda: ({f"a{i}" for i in range(30)},),
           lambda: (set(_colliding(5, 12)),))
def str_set_argument_order(s):
    # A set passed in, iterated in the caller's order, then changed and iterated again.
    out = [x for x in s]
    s.add("new")
    s.discard("w1")
    for x in s:
        out.append(x)
    return out


def _discarded():
    # A set with dummies in its table: its layout is not one that adding its items would give.
    s = {f"a{i}" for i in range(40)}
    for i in range(0, 40, 2):
        s.discard(f"a{i}")
    return (s,)


@cases.add("py.sets", _discarded, lambda: ({"only"},))
def str_set_argument_read(s):
    return list(s), [x + "?" for x in s], sorted(s)


@cases.add("py.sets", ("alpha beta gamma delta alpha",), ("",))
def returns_str_set_order(text):
    s = set(text.split())
    s.add("omega")
    return list(s)


@cases.add("py.sets", ("alpha beta gamma delta alpha",), ("",))
def returns_str_set(text):
    # Returned as a new set: equal items (its order is that of a set built from them).
    s = set(text.split())
    s.discard("beta")
    return s


@cases.add("py.sets", (1,), (-3,))
def const_set_displays(n):
    # Displays of three or more constants are frozenset constants of the code object, merged
    # into a new set: their order is that frozenset's layout, which the compiler's history
    # decides (compiled code reads it from the code object). A display with a variable is
    # built item by item (BUILD_SET), as are the two-item ones.
    a = {"alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota"}
    b = {"a", "b", "c"}
    c = {"ab", "ba", "abc", "cab", "bca", "x", "y", "€", "😀", ""}
    d = {16, 1, 2, 3, 4, 5, -1, 2**61 - 1}
    e = {0.5, 1.5, -2.0, 8.0, 1e10, -0.0}
    f = {"w1", "w2", "w3", "w4", "w5", "w" * n}
    g = {"p", "q"}
    a.add("omega")
    d.discard(3)
    return (list(a), list(b), list(c), list(d), list(e), list(f), list(g),
            [x for x in {"k1", "k2", "k3", "k4", "k5", "k6"} if x != "k3"], sorted(a))


test_conformance = cases.test()

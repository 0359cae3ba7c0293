"""Conformance: dicts and sets with string keys (issue 14), compared with CPython.

See tests/conformance.py for how cases are registered and docs/supported.md for the table they
prove. Texts longer than 256 characters are run-time strings, shorter ones compile-time
constants; both kinds are covered.
"""

import numpy as np
from conformance import Cases

cases = Cases(__name__)

_WORDS = "the cat sat on the mat and the dog ate the cat food while a bird sang"
_LONG = " ".join(_WORDS.split()[(i * 7) % 16] for i in range(120))


def _text(n, seed):
    def make():
        rng = np.random.default_rng(seed)
        words = ["alpha", "beta", "gamma", "delta", "pi", "rho", "sigma", "tau", "x", "é", "日本", "😀"]
        return (" ".join(words[k] for k in rng.integers(0, len(words), size=n)),)
    return make


@cases.add("py.dicts", (_WORDS,), (_LONG,), ("",), _text(300, 1))
def word_counts(text):
    counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    keys = sorted(counts)
    return keys, [counts[k] for k in keys], len(counts), list(counts), list(counts.values())


@cases.add("py.dicts", ("Hello, World!",), (_LONG,), ("",), ("ééà😀😀x",))
def char_counts(s):
    hist = {}
    for ch in s:
        hist[ch] = hist.get(ch, 0) + 1
    out = []
    for k, v in hist.items():
        out.append(k * v)
    return out, sorted(hist), min(hist) if hist else "", max(hist) if hist else ""


@cases.add("py.dicts", (_WORDS,), (_LONG,))
def augmented_str_keys(text):
    d = {"the": 100}
    for w in text.split():
        if w in d:
            d[w] += 1
        else:
            d[w] = 1
    return [len(k) * 1000 + v for k, v in d.items()]


@cases.add("py.dicts", (_WORDS,), (_LONG,), ("x y",))
def del_pop_setdefault(text):
    d = {w: len(w) for w in text.split()}
    n0 = len(d)
    if "cat" in d:
        del d["cat"]
    a = d.pop("the", -1)
    b = d.pop("nope", -2)
    c = d.setdefault("new", 42)
    e = d.setdefault("new", 7)
    d["cat"] = 9  # re-inserted at the end
    return n0, a, b, c, e, list(d), list(d.values()), "cat" not in d


@cases.add("py.dicts", ("The",), ("zebra",), raises=KeyError, match=True)
def missing_str_key(k):
    d = {"the": 1, "cat": 2}
    return d[k]


@cases.add("py.dicts", ("cat",), ("snake",), raises=KeyError, match=True)
def pop_missing_str_key(k):
    d = {"dog": 1, "cat": 2}
    d.pop("cat")
    return d.pop(k)


@cases.add("py.sets", (_WORDS,), (_LONG,), ("",), _text(400, 2))
def set_of_words(text):
    s = set(text.split())
    t = {w[:2] for w in text.split()}
    u = set("aeiou")
    return sorted(s), len(s), sorted(t), "cat" in s, "cow" not in s, sorted(set(text) & u)


@cases.add("py.sets", (_WORDS,), (_LONG,))
def set_methods_and_ops(text):
    seen = set()
    firsts = []
    for w in text.split():
        if w not in seen:
            seen.add(w)
            firsts.append(w)
    seen.discard("cat")
    seen.discard("nothing")
    other = {"dog", "fish", "bird"}
    return (firsts, sorted(seen | other), sorted(seen & other), sorted(seen - other),
            sorted(other - seen), len(seen))


@cases.add("py.sets", ("abc",), ("zz",), raises=KeyError, match=True)
def set_remove_missing(k):
    s = {"abc", "d"}
    s.remove(k)
    s.remove(k)
    return len(s)


@cases.add("py.dicts", (3000,), (10,))
def many_str_keys(n):
    # Growth and rebuilds with deletions in between; the order of the survivors is CPython's.
    d = {}
    for i in range(n):
        d[f"k{i * 7919 % 1000003}"] = i
    for i in range(0, n, 3):
        del d[f"k{i * 7919 % 1000003}"]
    for i in range(0, n, 5):
        d[f"k{i}"] = -i
    ks = list(d)
    return len(d), [ks[i] for i in range(min(50, len(ks)))], sum(d.values())


@cases.add("py.dicts", ("abracadabra",), (_LONG,))
def bigram_views(s):
    # Keys are slices of the text (views); the dict keeps its own copies.
    d = {}
    for i in range(len(s) - 1):
        d[s[i:i + 2]] = i
    ks = sorted(d)
    return ks, [d[k] for k in ks]


@cases.add("py.dicts", (_WORDS,), ("a b a",))
def copy_and_clear(text):
    d = {}
    for w in text.split():
        d[w] = d.get(w, 0) + 1
    e = d.copy()
    e["zzz"] = 1
    d["yyy"] = 2
    first = ""
    for k in d:
        first = k
        break
    d.clear()
    d["again"] = 5
    return sorted(e), sorted(d), first, len(e), len(d)


@cases.add("py.dicts", ("",), ("a",), ("ab",))
def empty_string_key(s):
    d = {"": 1, "a": 2}
    d[s] = d.get(s, 0) + 10
    return [k for k, v in d.items()], [v for k, v in d.items()]


def _count_words(counts, text):
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1


def _merge(dst, src):
    for k, v in src.items():
        dst[k] = dst.get(k, 0) + v


@cases.add("py.dicts", (_WORDS,), (_LONG,), ("",))
def str_dict_filled_by_helpers(text):
    counts = {}
    _count_words(counts, text)
    _count_words(counts, "the end")
    total = {}
    _merge(total, counts)
    _merge(total, counts)
    ks = sorted(total)
    return ks, [total[k] for k in ks]


@cases.add("py.dicts", (_WORDS,), (_LONG,))
def str_keys_float_values(text):
    mean_len = {}
    n = {}
    for w in text.split():
        k = w[0]
        n[k] = n.get(k, 0) + 1
        mean_len[k] = mean_len.get(k, 0.0) + len(w)
    for k in n:
        mean_len[k] /= n[k]
    ks = sorted(mean_len)
    return ks, [mean_len[k] for k in ks]


@cases.add("py.dicts", ("bca",), ("",))
def str_dict_display_and_views(s):
    d = {"b": 2, "a": 1, "c": 3}
    ks = [k for k in d.keys()]
    vs = [v for v in d.values()]
    total = 0
    for ch in s:
        total += d[ch]
    return ks, vs, total, sum(d.values()), sorted(d.values()), max(d.values())



# Dicts and sets returned to Python: new dicts and sets, in insertion order, with Python str
# keys (and Python or NumPy numbers as CPython would hold them).


@cases.add("py.dicts", (_WORDS,), (_LONG,), ("",), _text(500, 3))
def returns_word_counts(text):
    counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    return counts


@cases.add("py.sets", (_WORDS,), (_LONG,), ("",))
def returns_set_of_words(text):
    return set(text.split())


@cases.add("py.sets", (_WORDS,), (_LONG,))
def returns_set_comprehension(text):
    return {w[-1] for w in text.split() if len(w) > 2}


@cases.add("py.dicts", (_WORDS,), (_LONG,))
def returns_dict_comprehension(text):
    return {w: len(w) * 0.5 for w in text.split()}


def _new_index(words):
    index = {}
    for i, w in enumerate(words.split()):
        index.setdefault(w, i)
    return index


@cases.add("py.dicts", (_WORDS,), (_LONG,))
def returns_helper_dict(text):
    index = _new_index(text)
    index["<end>"] = -1
    del index["the"]
    return index



# String values (with number or string keys).


@cases.add("py.dicts", (_WORDS,), (_LONG,), ("",))
def str_values_first_last(text):
    first = {}
    last = {}
    for w in text.split():
        first.setdefault(w[0], w)
        last[w[0]] = w
    pairs = []
    for k, v in last.items():
        pairs.append(k + "=" + v + "/" + first[k])
    return pairs, last.get("zz", "none"), last.pop("t", "?"), sorted(first.values()), list(last.values())


@cases.add("py.dicts", (_WORDS,), (_LONG,))
def str_values_concatenated(text):
    by_len = {}
    for w in text.split():
        by_len[len(w)] = by_len.get(len(w), "") + w
    groups = {}
    for w in text.split():
        if w[0] in groups:
            groups[w[0]] += "," + w
        else:
            groups[w[0]] = w
    return list(by_len.values()), [k for k in groups], [v for v in groups.values()], max(groups.values())


@cases.add("py.dicts", (_WORDS,), (_LONG,), ("",))
def returns_str_values(text):
    d = {i: w.upper() for i, w in enumerate(text.split())}
    for i in range(0, len(d), 3):
        del d[i]
    return d


@cases.add("py.dicts", (_WORDS,), (_LONG,))
def returns_str_to_str(text):
    nxt = {}
    words = text.split()
    for i in range(len(words) - 1):
        nxt[words[i]] = words[i + 1]
    e = nxt.copy()
    e.clear()
    e["x"] = "y"
    return nxt


@cases.add("py.dicts", ("the",), ("zebra",), raises=KeyError, match=True)
def missing_key_str_values(k):
    d = {"cat": "meow", "dog": "woof"}
    return d[k]



@cases.add("py.dicts", (_WORDS, True), (_LONG, False), (_LONG, 1), ("", True))
def top_words(text, reverse):
    # sorted(d, key=d.get): equal counts keep their insertion order, reversed or not.
    counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    return sorted(counts, key=counts.get, reverse=reverse), sorted(counts, key=counts.get)


@cases.add("py.dicts", (20,), (0,))
def sorted_int_keys_by_float_values(n):
    d = {}
    for i in range(n):
        d[(i * 7) % 23] = ((i * 5) % 4) * 0.5 - 1.0
    return sorted(d, key=d.__getitem__), sorted(d, key=d.get, reverse=True)


test_conformance = cases.test()

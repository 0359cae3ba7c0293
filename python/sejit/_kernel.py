"""Explicit kernels: `sejit.kernel` (issue 12).

    @sejit.kernel
    def saxpy(a, x, y, out):
        i = sejit.global_id(0)
        if i < out.shape[0]:
            out[i] = a * x[i] + y[i]

    saxpy(2.0, x, y, out, global_size=n)      # or saxpy[n](2.0, x, y, out)

On NumPy arrays (the CPU form) the kernel body runs as a loop over the work-item ids: its source
text is rewritten into a driver function, registered in linecache and jitted like any function:

    def _sejit_kernel(a, x, y, out, _sejit_G0, _sejit_G1, _sejit_G2, _sejit_L0, ...):
        for _sejit_g0 in range(_sejit_G0):           # prange with parallel=True
            i = _sejit_g0                             # was sejit.global_id(0)
            if i < out.shape[0]:
                out[i] = a * x[i] + y[i]

With parallel=True the outer loop is a prange whose iterations are work-items as on a device:
they may write any element (two writing one element race, as in OpenCL; bounds checks stay, so a
scatter cannot write outside its array), and sejit.atomic_add/min/max stay calls that the engine
compiles to the C compiler's atomic builtins (internal/cgen/atomic.go). Serially they are the
plain read-modify-writes below.

A bare `return` of the kernel becomes `continue` (the work-item ends). The rewrite is textual
(positions from the syntax tree), so the body keeps its lines and the engine's diagnostics quote
the user's text. On DeviceArrays (the device form) the same driver, with its loops nested so
that global_id(0) is the innermost, is compiled for the OpenCL target, whose outlining turns the
nest into one kernel (docs/primitives.md, "Kernels").
"""

import ast
import hashlib
import linecache
import numbers
import textwrap

from ._astjson import function_source
from .errors import UnsupportedError, public

__all__ = ["kernel", "Kernel", "global_id", "local_id", "group_id", "global_size", "local_size",
           "num_groups", "barrier", "local_array", "atomic_add", "atomic_min", "atomic_max"]


def _outside(name):
    def intrinsic(*args, **kwargs):
        raise RuntimeError(
            f"sejit.{name}() is only meaningful inside a @sejit.kernel function called through "
            f"the kernel (it is replaced when the kernel is compiled)"
        )

    intrinsic.__name__ = intrinsic.__qualname__ = name
    intrinsic.__module__ = "sejit"
    return intrinsic


global_id = _outside("global_id")
local_id = _outside("local_id")
group_id = _outside("group_id")
global_size = _outside("global_size")
local_size = _outside("local_size")
num_groups = _outside("num_groups")
barrier = _outside("barrier")
local_array = _outside("local_array")
atomic_add = _outside("atomic_add")
atomic_min = _outside("atomic_min")
atomic_max = _outside("atomic_max")

# The functions the engine compiles in a kernel's device form (ir/workgroup.go); the request
# names them as sejit's by this attribute (_request._builtin_name).
for _f in (barrier, local_array, atomic_add, atomic_min, atomic_max):
    _f.sejit_work_group = _f.__name__
del _f

_IDS = {global_id: "global_id", local_id: "local_id", group_id: "group_id",
        global_size: "global_size", local_size: "local_size", num_groups: "num_groups"}
_ATOMICS = {atomic_add: "atomic_add", atomic_min: "atomic_min", atomic_max: "atomic_max"}
_DEVICE_ONLY = {barrier: "barrier", local_array: "local_array"}

# Serial read-modify-writes: each returns the old value, as OpenCL's atomic_* do.
_ATOMIC_SRC = """\
def _sejit_atomic_add(a, i, v):
    old = a[i]
    a[i] = old + v
    return old


def _sejit_atomic_min(a, i, v):
    old = a[i]
    if v < old:
        a[i] = v
    return old


def _sejit_atomic_max(a, i, v):
    old = a[i]
    if v > old:
        a[i] = v
    return old
"""
_atomic_ns = None


def _atomic_helpers():
    global _atomic_ns
    if _atomic_ns is None:
        filename = "<sejit.kernel atomics>"
        linecache.cache[filename] = (len(_ATOMIC_SRC), None, _ATOMIC_SRC.splitlines(True),
                                     filename)
        ns = {"__name__": "sejit._generated"}
        exec(compile(_ATOMIC_SRC, filename, "exec"), ns)
        _atomic_ns = {k: v for k, v in ns.items() if k.startswith("_sejit_atomic")}
    return _atomic_ns


def _resolve(node, namespace):
    """The object a call's function expression names (a name or a chain of attributes of
    one), or None."""
    if isinstance(node, ast.Name):
        return namespace.get(node.id, __builtins__.get(node.id) if isinstance(__builtins__, dict)
                             else None)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, namespace)
        return getattr(base, node.attr, None) if base is not None else None
    return None


# ---------------------------------------------------------------------------------------------
# Launch sizes


def _dims(value, what):
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (value,)
    if not isinstance(value, (tuple, list)) or not 1 <= len(value) <= 3 or not all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value
    ):
        raise ValueError(
            f"sejit.kernel: {what} must be an int or a tuple of 1 to 3 ints, not {value!r}"
        )
    return tuple(int(v) for v in value)


def launch_sizes(global_size, local_size):
    """(global, local) as 3-tuples padded with 1, and the number of dimensions."""
    if global_size is None:
        raise ValueError(
            "sejit.kernel: a kernel needs its global size: k(..., global_size=n) or k[n](...)"
        )
    g = _dims(global_size, "global_size")
    if any(v < 0 for v in g):
        raise ValueError(f"sejit.kernel: global_size {g} has a negative extent")
    if local_size is None:
        loc = tuple(max(v, 1) for v in g)
    else:
        loc = _dims(local_size, "local_size")
        if len(loc) != len(g):
            raise ValueError(
                f"sejit.kernel: local_size {loc} has {len(loc)} dimensions, global_size {g} "
                f"has {len(g)}"
            )
        if any(v < 1 for v in loc):
            raise ValueError(f"sejit.kernel: local_size {loc} must be positive")
        for d, (gv, lv) in enumerate(zip(g, loc)):
            if gv % lv:
                raise ValueError(
                    f"sejit.kernel: global_size {g} is not a multiple of local_size {loc} "
                    f"(dimension {d}: {gv} % {lv} = {gv % lv}); round the global size up and "
                    f"guard the ids in the kernel"
                )
    pad = (1,) * (3 - len(g))
    return g + pad, loc + pad, len(g)


# ---------------------------------------------------------------------------------------------
# The rewrite


class _Rewrite:
    """The kernel's body as text with the intrinsics replaced, for a driver of ndim loops."""

    def __init__(self, kern):
        self.kern = kern
        func = kern.py_func
        lines, first = function_source(func)
        text = "".join(lines)
        dedented = textwrap.dedent(text)
        self.indent = len(lines[0]) - len(lines[0].lstrip()) if dedented != text else 0
        tree = ast.parse(dedented)
        fdef = next(n for n in tree.body if isinstance(n, (ast.FunctionDef,
                                                                ast.AsyncFunctionDef)))
        a = fdef.args
        if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs or a.defaults:
            raise public(TypeError(
                f"sejit.kernel: {func.__qualname__}() must take plain positional parameters "
                f"(no defaults, *args, **kwargs or keyword-only parameters)"
            ))
        self.params = [p.arg for p in a.args]
        self.lines = dedented.splitlines(True)
        self.first = first  # the file's line of self.lines[0]
        self.body_start = fdef.body[0].lineno  # 1-based in self.lines
        self.body_end = fdef.end_lineno
        namespace = dict(func.__globals__)
        code = func.__code__
        for name, cell in zip(code.co_freevars, func.__closure__ or ()):
            try:
                namespace[name] = cell.cell_contents
            except ValueError:
                pass
        self.namespace = namespace
        # (lineno, col, end_lineno, end_col, kind, data) of every site to replace
        self.sites = []
        self.atomics = []
        self.device_only = []
        self._visit(fdef.body, in_loop=False)
        self.divergent_barrier = self._divergent_barrier(fdef)
        self.loopvar = self._loop_variables(fdef)

    def _loop_variables(self, fdef):
        """{dim: name} for `name = sejit.global_id(dim)` at the top of the body, name assigned
        nowhere else: name becomes the loop variable itself (the assignment is dropped), which
        is what jit's prange rules recognise as the iteration's own index."""
        stores = {}
        for node in ast.walk(fdef):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                stores[node.id] = stores.get(node.id, 0) + 1
        out = {}
        for s in fdef.body:
            if not (isinstance(s, ast.Assign) and len(s.targets) == 1
                    and isinstance(s.targets[0], ast.Name)
                    and stores.get(s.targets[0].id) == 1
                    and s.targets[0].id not in self.params):
                continue
            site = next((x for x in self.sites if x[4] == "id" and x[:4] == (
                s.value.lineno, s.value.col_offset, s.value.end_lineno, s.value.end_col_offset)),
                None)
            if site is None or site[5][0] != "global_id" or site[5][1] in out:
                continue
            out[site[5][1]] = s.targets[0].id
            self.sites.remove(site)
            self.sites.append((s.lineno, s.col_offset, s.end_lineno, s.end_col_offset,
                               "loopvar", site[5][1]))
        return out

    def _divergent_barrier(self, fdef):
        """The first sejit.barrier() call under an if, while or for whose condition or range
        depends on the work-item, with that statement, or None. A value depends on the
        work-item when it mentions global_id, local_id or group_id, a name assigned from such
        a value (to a fixed point), or an element read at such an index; every work-item of a
        group must reach each barrier, so a barrier there is refused before it can hang or
        give wrong results on the device."""
        barrier_calls = {(n.lineno, n.col_offset) for name, n in self.device_only
                         if name == "barrier"}
        if not barrier_calls:
            return None
        ids = {(x[0], x[1]) for x in self.sites if x[4] == "id"
               and x[5][0] in ("global_id", "local_id", "group_id")}
        tainted = set()

        def varies(node):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Call) and (sub.lineno, sub.col_offset) in ids:
                    return True
                if isinstance(sub, ast.Name) and sub.id in tainted:
                    return True
            return False

        changed = True
        while changed:
            changed = False
            for node in ast.walk(fdef):
                if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and \
                        node.value is not None:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    src = node.value if not isinstance(node, ast.AugAssign) else node
                elif isinstance(node, (ast.For, ast.comprehension)):
                    targets, src = [node.target], node.iter
                else:
                    continue
                if not varies(src):
                    continue
                names = []
                for t in targets:  # names, and those of tuples; an element store taints none
                    names += [t] if isinstance(t, ast.Name) else [
                        e for e in getattr(t, "elts", ()) if isinstance(e, ast.Name)]
                for name in names:
                    if name.id not in tainted:
                        tainted.add(name.id)
                        changed = True

        def walk(stmts, guard):
            for st in stmts:
                if guard is not None:
                    for sub in ast.walk(st):
                        if isinstance(sub, ast.Call) and (sub.lineno, sub.col_offset) in \
                                barrier_calls:
                            return sub, guard
                    continue
                if isinstance(st, (ast.If, ast.While)):
                    g = guard if guard is not None or not varies(st.test) else st
                    hit = walk(st.body, g) or walk(st.orelse, g)
                elif isinstance(st, ast.For):
                    g = guard if guard is not None or not varies(st.iter) else st
                    hit = walk(st.body, g) or walk(st.orelse, guard)
                elif isinstance(st, (ast.With, ast.Try)):
                    hit = walk(st.body, guard)
                else:
                    hit = None
                if hit:
                    return hit
            return None

        return walk(fdef.body, None)

    def _where(self, node):
        code = self.kern.py_func.__code__
        return f"{code.co_filename}:{self.first + node.lineno - 1}"

    def _where_col(self, node):
        return f"{self._where(node)}:{node.col_offset + self.indent + 1}"

    def _visit(self, stmts, in_loop):
        for s in stmts:
            if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue  # the engine refuses these with its own message
            if isinstance(s, ast.Return):
                if s.value is not None:
                    raise public(TypeError(
                        f"{self._where(s)}: sejit.kernel: a kernel returns nothing; write its "
                        f"results into an array argument"
                    ))
                if in_loop:
                    raise public(UnsupportedError(
                        f"{self._where(s)}: sejit.kernel: `return` inside a loop of a kernel "
                        f"is not supported; leave the loop with break and return after it"
                    ))
                self.sites.append((s.lineno, s.col_offset, s.end_lineno, s.end_col_offset,
                                   "return", None))
                continue
            for node in ast.walk(s):
                if isinstance(node, ast.Call):
                    self._call(node)
            loop = isinstance(s, (ast.For, ast.While, ast.AsyncFor))
            for field in ("body", "orelse", "finalbody"):
                sub = getattr(s, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], ast.stmt):
                    self._visit_returns(sub, in_loop or loop)
            for h in getattr(s, "handlers", ()):
                self._visit_returns(h.body, in_loop)

    def _visit_returns(self, stmts, in_loop):
        """Returns in nested blocks (their calls were seen by the enclosing walk)."""
        for s in stmts:
            if isinstance(s, ast.Return):
                self._visit([s], in_loop)
                continue
            loop = isinstance(s, (ast.For, ast.While, ast.AsyncFor))
            for field in ("body", "orelse", "finalbody"):
                sub = getattr(s, field, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], ast.stmt):
                    self._visit_returns(sub, in_loop or loop)
            for h in getattr(s, "handlers", ()):
                self._visit_returns(h.body, in_loop)

    def _call(self, node):
        target = _resolve(node.func, self.namespace)
        try:
            hash(target)
        except TypeError:
            return
        if target in _IDS:
            name = _IDS[target]
            dim = node.args[0] if len(node.args) == 1 and not node.keywords else None
            if not (isinstance(dim, ast.Constant) and type(dim.value) is int
                    and 0 <= dim.value <= 2):
                raise public(TypeError(
                    f"{self._where(node)}: sejit.{name}(dim) takes one constant dimension, "
                    f"0, 1 or 2"
                ))
            self.sites.append((node.lineno, node.col_offset, node.end_lineno,
                               node.end_col_offset, "id", (name, dim.value)))
        elif target in _ATOMICS:
            name = _ATOMICS[target]
            if len(node.args) != 3 or node.keywords:
                raise public(TypeError(
                    f"{self._where(node)}: sejit.{name}(array, index, value) takes three "
                    f"arguments"
                ))
            self.atomics.append((name, node))
            f = node.func
            self.sites.append((f.lineno, f.col_offset, f.end_lineno, f.end_col_offset,
                               "atomic", name))
        elif target in _DEVICE_ONLY:
            self.device_only.append((_DEVICE_ONLY[target], node))

    def _var(self, d):
        return self.loopvar.get(d, f"_sejit_g{d}")

    def _id_text(self, name, d, ndim):
        g, G, L = self._var(d), f"_sejit_G{d}", f"_sejit_L{d}"
        if d >= ndim:  # OpenCL: ids 0, sizes 1 beyond the launch's dimensions
            return "0" if name in ("global_id", "local_id", "group_id") else "1"
        return {"global_id": g, "global_size": G, "local_size": L,
                "local_id": f"({g} % {L})", "group_id": f"({g} // {L})",
                "num_groups": f"({G} // {L})"}[name]

    def driver(self, ndim, parallel, device):
        """The driver function for ndim dimensions."""
        func = self.kern.py_func
        if self.device_only and not device:
            name, node = self.device_only[0]
            raise public(UnsupportedError(
                f"{self._where(node)}: sejit.{name}() needs an OpenCL device: launch the kernel "
                f"on sejit.DeviceArrays (PoCL's CPU device counts); the CPU form runs the "
                f"work-items one after another, where work-group memory and barriers have no "
                f"meaning"
            ))
        if device and self.divergent_barrier:
            node, guard = self.divergent_barrier
            kind = {ast.If: "an if", ast.While: "a while loop", ast.For: "a for loop"}[type(guard)]
            raise public(UnsupportedError(
                f"{self._where_col(node)}: sejit.barrier() in {kind} (line "
                f"{self.first + guard.lineno - 1}) whose condition depends on the work-item: "
                f"every work-item of a group must reach each barrier; move the barrier out of "
                f"the branch (guard only the work around it)"
            ))
        if device and self.device_only:
            last = max((n.lineno, n.col_offset) for name, n in self.device_only
                       if name == "barrier") if any(
                name == "barrier" for name, _ in self.device_only) else None
            early = [x for x in self.sites if x[4] == "return" and last and x[:2] < last]
            if early:
                lineno, col = early[0][:2]
                raise public(UnsupportedError(
                    f"{self.kern.py_func.__code__.co_filename}:{self.first + lineno - 1}:"
                    f"{col + self.indent + 1}: sejit.kernel: `return` before a sejit.barrier() "
                    f"(line {self.first + last[0] - 1}): a work-item that ends there leaves its "
                    f"group waiting at the barrier; guard the work with an if instead"
                ))
        # Replace the sites, last first, on the byte lines (ast columns count UTF-8 bytes).
        blines = [ln.encode() for ln in self.lines]
        for lineno, col, end_lineno, end_col, kind, data in sorted(self.sites, reverse=True):
            if kind == "return":
                new = "continue"
            elif kind == "loopvar":
                new = "pass" if data < ndim else f"{self.loopvar[data]} = 0"
            elif kind == "atomic":
                if device or parallel:
                    # Compiled by the engine as an atomic (ir.Atomic): OpenCL's on a device,
                    # the C compiler's atomic builtins on the CPU.
                    continue
                new = f"_sejit_{data}"
            else:
                new = self._id_text(data[0], data[1], ndim)
            head = blines[lineno - 1][:col]
            tail = blines[end_lineno - 1][end_col:]
            blines[lineno - 1:end_lineno] = [head + new.encode() + tail] + [b""] * (
                end_lineno - lineno)
        body = [b.decode() for b in blines[self.body_start - 1:self.body_end]]
        body_indent = None
        for ln in body:
            if ln.strip():
                body_indent = ln[: len(ln) - len(ln.lstrip())]
                break
        order = list(range(ndim - 1, -1, -1)) if device else list(range(ndim))
        head = []
        for k, d in enumerate(order):
            # On a device every loop is a prange: the engine's OpenCL target turns the nest of
            # pranges into one kernel (internal/clgen/kernel.go).
            rng = "prange" if device or (parallel and k == 0) else "range"
            head.append("    " * (k + 1) + f"for {self._var(d)} in {rng}(_sejit_G{d}):")
        inner = "    " * (ndim + 1)
        text_body = []
        for ln in body:
            if not ln.strip():
                text_body.append("\n")
            elif ln.startswith(body_indent):
                text_body.append(inner + ln[len(body_indent):])
            else:
                text_body.append(inner + ln.lstrip())
        if not text_body[-1].endswith("\n"):
            text_body[-1] += "\n"
        extra = [f"_sejit_G{d}" for d in range(3)] + [f"_sejit_L{d}" for d in range(3)]
        params = ", ".join(self.params + extra)
        header = [f"def _sejit_kernel({params}):\n"] + [h + "\n" for h in head]
        # Blank lines before the header keep the body on its lines of the user's file.
        target_line = self.first + self.body_start - 1
        pad = max(0, target_line - 1 - len(header))
        src = "\n" * pad + "".join(header) + "".join(text_body)
        code = func.__code__
        tag = hashlib.sha256(
            f"{func.__module__}\0{func.__qualname__}\0{ndim}{parallel}{device}\0".encode()
            + src.encode()
        ).hexdigest()[:12]
        filename = (f"<sejit.kernel {func.__qualname__} of {code.co_filename}:"
                    f"{code.co_firstlineno} {tag}>")
        linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
        from .parallel import prange

        namespace = dict(self.namespace)
        namespace["prange"] = prange
        if self.atomics and not device and not parallel:
            namespace.update(_atomic_helpers())
        exec(compile(src, filename, "exec"), namespace)
        out = namespace["_sejit_kernel"]
        out.__qualname__ = out.__name__ = func.__qualname__
        return out


# ---------------------------------------------------------------------------------------------
# The kernel object


class Kernel:
    """A kernel: call it with global_size= (and local_size=), or index it with the sizes."""

    def __init__(self, func, options):
        from .dispatcher import Dispatcher  # noqa: F401 (import order)
        from ._runtime import DispatcherBase

        if isinstance(func, DispatcherBase):
            func = func.py_func
        if not callable(func) or not hasattr(func, "__code__"):
            raise TypeError(f"sejit.kernel expects a Python function, not {type(func).__name__}")
        self.py_func = func
        self.options = options
        self._rewrite = None
        self._drivers = {}
        self.__name__ = func.__name__
        self.__qualname__ = func.__qualname__
        self.__doc__ = func.__doc__
        self.__module__ = func.__module__

    def __repr__(self):
        return f"<sejit.kernel {self.py_func.__qualname__}>"

    def __reduce__(self):
        return (_rebuild, (self.py_func, self.options))

    def __getitem__(self, key):
        if isinstance(key, tuple) and len(key) == 2:
            g, loc = key
        else:
            g, loc = key, None
        launch_sizes(g, loc)  # checked at once

        def launch(*args):
            return self(*args, global_size=g, local_size=loc)

        return launch

    def driver(self, ndim, device=False):
        """The jitted driver of ndim dimensions (for the device form when device)."""
        key = (ndim, device)
        d = self._drivers.get(key)
        if d is None:
            from .dispatcher import jit

            if self._rewrite is None:
                self._rewrite = _Rewrite(self)
            parallel = self.options["parallel"] and not device
            fn = self._rewrite.driver(ndim, parallel, device)
            d = jit(fn, **dict(self.options, parallel=parallel or device))
            if device or parallel:
                # lower.Options.Kernel, clgen.Options.Kernel and cgen.Options.Kernel: the
                # work-items run in parallel as on a device, writing any element (a race
                # between two of them is the kernel's, as in OpenCL; bounds checks stay),
                # with real atomics.
                d.options["kernel"] = True
            self._drivers[key] = d
        return d

    def __call__(self, *args, global_size=None, local_size=None):
        g, loc, ndim = launch_sizes(global_size, local_size)
        nparams = self.py_func.__code__.co_argcount
        if len(args) != nparams:
            raise TypeError(
                f"{self.py_func.__qualname__}() takes {nparams} arguments, {len(args)} given"
            )
        from .device.launch import has_device_args

        device = has_device_args(args)
        try:
            if device and local_size is None and self._group_bound():
                raise ValueError(
                    f"{self.py_func.__qualname__}: a kernel with sejit.barrier() or "
                    f"sejit.local_array() needs its work-group size: k(..., local_size=m) or "
                    f"k[n, m](...)"
                )
            drv = self.driver(ndim, device)
        except Exception as exc:
            from .errors import is_public

            if is_public(exc):
                exc._sejit_hide_frames = True
                raise exc.with_traceback(None) from None
            raise
        drv(*args, *g, *loc)


    def _group_bound(self):
        """Whether the kernel uses work-group memory or barriers."""
        if self._rewrite is None:
            self._rewrite = _Rewrite(self)
        return bool(self._rewrite.device_only)


def _rebuild(func, options):
    return Kernel(func, options)


def kernel(f=None, *, parallel=False, boundscheck=True, fastmath=False, cache=True):
    """An explicit kernel: the body runs once per work-item, `sejit.global_id(d)` etc. giving
    its ids. Launch with k(args..., global_size=n, local_size=m) or k[n](args...) / k[n, m].
    On NumPy arrays it runs as a (prange with parallel=True) loop over the ids on the CPU; on
    DeviceArrays as one OpenCL kernel."""
    for name, value in (("parallel", parallel), ("boundscheck", boundscheck),
                        ("fastmath", fastmath), ("cache", cache)):
        if type(value) is not bool:
            raise TypeError(f"sejit.kernel: option {name!r} must be True or False")
    options = {"cache": cache, "boundscheck": boundscheck, "fastmath": fastmath,
               "parallel": parallel}
    if f is None:
        return lambda func: Kernel(func, options)
    return Kernel(f, options)

"""A code object as the JSON the engine decompiles when a function has no source (issue 14).

A function typed at the plain `python` prompt, or made by `exec` of a string, has no text that
`inspect` can read back. Its code object still says everything the engine needs: this module
writes it out as data — the instructions as `dis` reads them (name, argument, resolved
argument, position), the parameter names and counts, and the nested code objects of lambdas —
and the engine's `internal/bytecode` package rebuilds the syntax tree from it
(docs/design.md, "Functions without source"). No analysis happens here.

A leaf module with no import from sejit, so that `python3.12 _bytecode.py FILE.py` can write the
test fixtures of interpreters that have no sejit installed.
"""

import dis
import math
import sys
import types


def _float_text(x):
    # float.hex is exact and round-trips through Go's strconv.ParseFloat; it has no spelling for
    # infinities and NaN, which the protocol writes as words.
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x.hex()


def tag_constant(value):
    """A Python constant as the protocol's tagged JSON value."""
    # bool before int: True is an int too.
    if value is None:
        return {"t": "none"}
    if value is Ellipsis:
        return {"t": "ellipsis"}
    if isinstance(value, bool):
        return {"t": "bool", "v": value}
    if isinstance(value, int):
        return {"t": "int", "v": str(int(value))}
    if isinstance(value, float):
        return {"t": "float", "v": _float_text(float(value))}
    if isinstance(value, complex):
        return {"t": "complex", "re": _float_text(value.real), "im": _float_text(value.imag)}
    if isinstance(value, str):
        return {"t": "str", "v": value}
    if isinstance(value, bytes):
        return {"t": "bytes"}
    raise TypeError(f"cannot encode constant of type {type(value).__name__}")


def _value(value, children, const):
    """An instruction's resolved argument: a tagged constant (const), a tuple of them, a nested
    code object (an index into children), or a name as it is (not const)."""
    if isinstance(value, types.CodeType):
        children.append(code_json(value))
        return {"t": "code", "v": len(children) - 1}
    if isinstance(value, tuple):
        return {"t": "tuple", "v": [_value(v, children, const) for v in value]}
    if not const and isinstance(value, str):
        return value
    try:
        return tag_constant(value)
    except TypeError:
        return {"t": "unsupported", "v": type(value).__name__}


def code_json(code):
    """The protocol's "bytecode" value of a code object (docs/protocol.md)."""
    children = []
    instructions = []
    for ins in dis.get_instructions(code):
        if ins.opname == "CACHE":
            continue
        pos = ins.positions
        item = {"op": ins.opname, "offset": ins.offset}
        if ins.arg is not None:
            item["arg"] = ins.arg
        if ins.opname == "KW_NAMES":
            # The keyword names of the next call (3.11, 3.12): a tuple constant, which 3.11's
            # dis does not resolve.
            item["val"] = _value(code.co_consts[ins.arg], children, True)
        elif ins.opname in ("LOAD_CONST", "RETURN_CONST"):
            item["val"] = _value(ins.argval, children, True)
        elif ins.arg is not None and isinstance(ins.argval, (str, int)):
            item["val"] = ins.argval  # a name, a jump target, an operator
        elif ins.arg is not None and isinstance(ins.argval, tuple):
            item["val"] = _value(ins.argval, children, False)
        if ins.opname in ("BINARY_OP", "COMPARE_OP", "CALL_INTRINSIC_1"):
            item["repr"] = ins.argrepr  # "+=", "<" (3.13: "bool(<)"), "INTRINSIC_UNARY_POSITIVE"
        if pos is not None and pos.lineno is not None:
            item["pos"] = [pos.lineno, pos.col_offset or 0, pos.end_lineno or pos.lineno,
                           pos.end_col_offset or 0]
        instructions.append(item)
    # The exception table (3.11 and later) says which instructions each handler protects: what
    # try statements compile to. [start, end, target, depth, lasti], offsets in bytes.
    table = [[e.start, e.end, e.target, e.depth, int(e.lasti)]
             for e in getattr(dis, "_parse_exception_table", lambda c: [])(code)]
    flags = code.co_flags
    return {
        "version": f"{sys.version_info[0]}.{sys.version_info[1]}",
        "name": code.co_name,
        "qualname": getattr(code, "co_qualname", code.co_name),
        "filename": code.co_filename,
        "firstlineno": code.co_firstlineno,
        "argcount": code.co_argcount,
        "posonlyargcount": code.co_posonlyargcount,
        "kwonlyargcount": code.co_kwonlyargcount,
        "varargs": bool(flags & 0x04),
        "varkeywords": bool(flags & 0x08),
        "generator": bool(flags & (0x20 | 0x80 | 0x100 | 0x200)),
        "varnames": list(code.co_varnames),
        "cellvars": list(code.co_cellvars),
        "freevars": list(code.co_freevars),
        "instructions": instructions,
        "exceptiontable": table,
        "children": children,
    }


def function_bytecode(func):
    """The "bytecode" value of a function; its default values travel as "defaults"."""
    return code_json(func.__code__)


def main(argv=None):
    """`python _bytecode.py FILE.py [NAME]`: the JSON of function NAME (default: the first
    function) defined at the top of FILE, run with exec."""
    import json

    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python _bytecode.py FILE.py [NAME]", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        src = f.read()
    namespace = {}
    exec(compile(src, "<string>", "exec"), namespace)
    funcs = [v for v in namespace.values() if isinstance(v, types.FunctionType)]
    if len(argv) > 1:
        funcs = [namespace[argv[1]]]
    json.dump(function_bytecode(funcs[0]), sys.stdout, indent=None, separators=(",", ":"))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

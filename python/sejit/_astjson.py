"""CPython `ast` nodes as the JSON the engine decodes (docs/protocol.md §1).

Every node becomes an object with "_type" (its class name), each of its `_fields`, and its
position attributes; lists become arrays and absent optional fields null. The conversion is
generic on purpose: the engine, not this file, decides what it supports, so a new node type
reaches it and gets a positioned "unsupported" error rather than being dropped here.

`python -m sejit._astjson FILE.py` prints the JSON of the first function definition in FILE;
the Go golden tests use it to regenerate their fixtures.
"""

import ast
import inspect
import json
import math
import sys

from .errors import CompilerError, UnsupportedError

_POSITIONS = ("lineno", "col_offset", "end_lineno", "end_col_offset")


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


def to_json(node, line_offset=0, col_offset=0):
    """Converts an ast node (or list, or plain field value) to JSON-ready Python data.

    Positions are shifted by line_offset lines and col_offset columns, so that they are those of
    the user's file when the node was parsed from an excerpt of it.
    """
    if isinstance(node, ast.AST):
        out = {"_type": type(node).__name__}
        for field in node._fields:
            value = getattr(node, field, None)
            if field == "value" and isinstance(node, (ast.Constant, ast.MatchSingleton)):
                out[field] = tag_constant(value)
            else:
                out[field] = to_json(value, line_offset, col_offset)
        for attr in _POSITIONS:
            if attr in node._attributes:
                value = getattr(node, attr, None)
                if value is not None:
                    value += line_offset if attr.endswith("lineno") else col_offset
                out[attr] = value
        return out
    if isinstance(node, list):
        return [to_json(item, line_offset, col_offset) for item in node]
    if node is None or isinstance(node, (str, int)):
        # Identifiers, and the few int fields (ImportFrom.level, FormattedValue.conversion,
        # comprehension.is_async).
        return node
    raise TypeError(f"unexpected value in an ast field: {node!r}")


def _strip_decorators(fdef):
    # The decorators are how the user asked for jit; they are not part of the function's
    # semantics, and the engine should not try to resolve them.
    fdef.decorator_list = []
    return fdef


def function_source(func):
    """(source_lines, firstlineno) of a function, exactly as in its file.

    Raises CompilerError when CPython cannot find the source (a function typed at the
    interactive prompt without line cache, or created by exec from a string).
    """
    try:
        lines, firstlineno = inspect.getsourcelines(func)
    except (OSError, TypeError) as exc:
        name = getattr(func, "__qualname__", getattr(func, "__name__", repr(func)))
        filename = getattr(getattr(func, "__code__", None), "co_filename", "?")
        raise CompilerError(
            f"cannot find the source of function {name} (defined in {filename}): sejit "
            f"compiles a function from its source text, so it must be defined in a file or an "
            f"IPython/Jupyter cell that Python can read back, not typed at the interactive "
            f"prompt. For code run with exec, compile it with a filename and register the "
            f"text with linecache: code = compile(src, '<mycode-1>', 'exec'); "
            f"linecache.cache['<mycode-1>'] = (len(src), None, src.splitlines(True), "
            f"'<mycode-1>'); exec(code, namespace) ({exc})"
        ) from exc
    return lines, max(firstlineno, 1)


def parse_function(func, lines=None, firstlineno=None):
    """The `FunctionDef` of func, decorators stripped, positions those of its file.

    Rather than dedenting (which would change multi-line string constants and require shifting
    columns), an indented definition is parsed as the body of `if 1:`, which keeps every column
    as it is in the file; only lines need shifting.
    """
    if lines is None:
        lines, firstlineno = function_source(func)
    text = "".join(lines)
    indented = bool(lines) and lines[0][:1] in (" ", "\t")
    if indented:
        text = "if 1:\n" + text
    line_offset = firstlineno - 1 - (1 if indented else 0)
    name = getattr(func, "__qualname__", "function")
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise CompilerError(f"cannot parse the source of function {name}: {exc}") from exc
    body = tree.body[0].body if indented and tree.body else tree.body
    node = body[0] if body else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        raise UnsupportedError(
            f"{name} is not defined with a def statement (a lambda?): sejit compiles functions "
            f"defined with def"
        )
    return _strip_decorators(node), line_offset


def function_json(func, lines=None, firstlineno=None):
    """The protocol's "ast" value for func."""
    node, line_offset = parse_function(func, lines, firstlineno)
    return to_json(node, line_offset)


def first_function_in_file(path):
    """JSON of the first function definition (in source order) of a Python file."""
    with open(path, "rb") as f:
        tree = ast.parse(f.read(), filename=path)
    defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not defs:
        raise SystemExit(f"{path}: no function definition")
    first = min(defs, key=lambda n: (n.lineno, n.col_offset))
    return to_json(_strip_decorators(first))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m sejit._astjson FILE.py", file=sys.stderr)
        return 2
    # One node per line would be unreadable and one line per field too long: indent=1 keeps
    # checked-in fixtures diffable at a reasonable size.
    json.dump(first_function_in_file(argv[0]), sys.stdout, indent=1, allow_nan=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

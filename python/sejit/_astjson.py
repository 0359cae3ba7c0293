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
import linecache
import sys
import types

from . import _runtime
from ._bytecode import tag_constant  # the protocol's constants (also _request's)
from ._lambdas import LambdaNotFound, is_lambda, lambda_def, lambda_source
from .errors import CompilerError, UnsupportedError

_POSITIONS = ("lineno", "col_offset", "end_lineno", "end_col_offset")


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
        layout = getattr(node, "_sejit_layout", None)
        if layout is not None:
            out["layout"] = layout
        return out
    if isinstance(node, list):
        return [to_json(item, line_offset, col_offset) for item in node]
    if node is None or isinstance(node, (str, int)):
        # Identifiers, and the few int fields (ImportFrom.level, FormattedValue.conversion,
        # comprehension.is_async).
        return node
    raise TypeError(f"unexpected value in an ast field: {node!r}")


def global_names(code):
    """Names a code object (and the code objects nested in it) may look up as globals."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= global_names(const)
    return names


def _strip_decorators(fdef):
    # The decorators are how the user asked for jit; they are not part of the function's
    # semantics, and the engine should not try to resolve them.
    fdef.decorator_list = []
    return fdef


def function_source(func):
    """(source_lines, firstlineno) of a function, exactly as in its file.

    Raises CompilerError when CPython cannot find the source (a function typed at the
    interactive prompt without line cache, or created by exec from a string). For a lambda,
    the lines its expression spans.
    """
    if is_lambda(func):
        try:
            return lambda_source(func)
        except LambdaNotFound as exc:
            raise CompilerError(
                f"{exc}: sejit compiles a lambda from its source text, so it must be written "
                f"in a file or an IPython/Jupyter cell that Python can read back (or define "
                f"the function with def, registering exec'd text with linecache)"
            ) from exc
    found = _fast_source(func)
    if found is not None:
        return found
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


def _fast_source(func):
    """What inspect.getsourcelines(func) returns, or None to let it decide.

    inspect finds the end of the definition with the tokenizer, whose regular expressions
    compile on first use: about 2 ms of a warm first call (issue 5). The definition usually
    ends before the first later line of code indented no deeper than the def; that cut is
    taken only when it parses as a complete statement, which it does not when the line is the
    continuation of a bracket, a string or a backslash (inspect then decides). The lines come
    from linecache, checked against the file, as inspect reads them.
    """
    code = getattr(func, "__code__", None)
    # inspect follows __wrapped__ (functools.wraps) to another function's source.
    if code is None or code.co_name == "<lambda>" or hasattr(func, "__wrapped__"):
        return None
    filename = code.co_filename
    if not filename or filename.startswith("<") and filename not in linecache.cache:
        return None
    linecache.checkcache(filename)
    lines = linecache.getlines(filename, func.__globals__)
    lnum = code.co_firstlineno - 1
    if not lines or not 0 <= lnum < len(lines):
        return None
    # inspect.findsource walks up the same way: the def (or its first decorator) may be above
    # co_firstlineno.
    while lnum > 0 and not _def_start(lines[lnum]):
        lnum -= 1
    start = lines[lnum]
    indent = _width(start)
    if start.lstrip().startswith("@"):
        # Decorators: the def is the first later line at the same depth that starts one.
        j = lnum + 1
        while j < len(lines):
            text = lines[j].lstrip()
            if _width(lines[j]) == indent and (text.startswith("def") or text.startswith("async")):
                break
            j += 1
        def_line = j
    else:
        def_line = lnum
    if def_line >= len(lines) or lines[def_line].lstrip().startswith("lambda"):
        return None
    # Lines of the body: up to the first later code line no deeper than the def. Trailing
    # comments belong to it when they are as deep as its first statement (inspect's rule).
    last, body_col, comments_end = def_line + 1, None, None
    for j in range(def_line + 1, len(lines)):
        text = lines[j].strip()
        if not text:
            continue
        width = _width(lines[j])
        if text.startswith("#"):
            if body_col is not None and width >= body_col:
                comments_end = j + 1
            continue
        if width <= indent:
            break
        if body_col is None and _is_body_start(lines, def_line, j):
            body_col = width
        last, comments_end = j + 1, None
    end = comments_end if comments_end is not None else last
    block = lines[lnum:end]
    text = "".join(block)
    if block[0][:1] in (" ", "\t"):
        text = "if 1:\n" + text
    try:
        compile(text, filename, "exec", ast.PyCF_ONLY_AST)
    except (SyntaxError, ValueError):
        return None
    return block, lnum + 1


def _def_start(line):
    """inspect.findsource's test r"^(\s*def\s)|(\s*async\s+def\s)|(.*(?<!\w)lambda(:|\s))|^(\s*@)",
    without compiling a regular expression on the first call."""
    t = line.lstrip()
    if t.startswith("@") or t.startswith("def") and t[3:4].isspace():
        return True
    if t.startswith("async") and t[5:6].isspace():
        rest = t[5:].lstrip()
        if rest.startswith("def") and rest[3:4].isspace():
            return True
    i = line.find("lambda")
    while i >= 0:
        before, after = line[i - 1 : i] if i else "", line[i + 6 : i + 7]
        if not (before.isalnum() or before == "_") and (after == ":" or after.isspace() and after):
            return True
        i = line.find("lambda", i + 1)
    return False


def _width(line):
    return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())


def _is_body_start(lines, def_line, j):
    """Whether line j can be the body's first line: the def line (with its continuations)
    ends with a colon before it. A parameter list over several lines is no body."""
    head = "".join(lines[def_line:j]).split("#")[0].rstrip()
    return head.endswith(":")


def parse_function(func, lines=None, firstlineno=None):
    """The `FunctionDef` of func, decorators stripped, positions those of its file.

    Rather than dedenting (which would change multi-line string constants and require shifting
    columns), an indented definition is parsed as the body of `if 1:`, which keeps every column
    as it is in the file; only lines need shifting.
    """
    if is_lambda(func):
        # The lambda's def has the positions of the lambda in its file: no offset.
        function_source(func)  # a CompilerError saying why when it cannot be found
        return lambda_def(func), 0
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
    _const_set_layouts(node, getattr(func, "__code__", None))
    return to_json(node, line_offset)


def _frozensets(code, out):
    for const in code.co_consts:
        if isinstance(const, frozenset):
            out.append(const)
        elif isinstance(const, types.CodeType):
            _frozensets(const, out)
    return out


def str_set_layouts(func):
    """The layouts of func's frozenset constants that hold strs: they follow this process's str
    hash (PYTHONHASHSEED), and compiled code holds them (_const_set_layouts), so they are part
    of the cache key (_request.py); number frozensets' layouts are the same in every process."""
    code = getattr(func, "__code__", None)
    out = []
    for fz in _frozensets(code, []) if code is not None else []:
        if any(isinstance(x, str) for x in fz):
            out.append([[repr(x) for x in fz], _runtime.set_layout(fz)[:2]])
    return out


def _const_set_layouts(node, code):
    """Marks each set display of constants with the layout of the frozenset constant CPython
    compiled it to (a display of three or more merges that frozenset into a new set; a `for`
    iterates it directly, whatever its size): which element is its k-th item in iteration
    order, that item's slot, and the table's size. The
    frozenset's layout depends on how the compiler built, merged and interned its constants,
    so it is read from the code object (_runtime.set_layout), not recomputed
    (lower/pyset.go, pyConstSet)."""
    consts = _frozensets(code, []) if code is not None else []
    if not consts:
        return
    for n in ast.walk(node):
        if not isinstance(n, ast.Set):
            continue
        try:
            values = [ast.literal_eval(e) for e in n.elts]
            key = frozenset(values)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
        fz = next((c for c in consts if c == key), None)
        if fz is None:
            continue
        slots, size, _, _ = _runtime.set_layout(fz)
        order = [next(i for i, v in enumerate(values) if v == x) for x in fz]
        n._sejit_layout = {"order": order, "slots": slots, "size": size}


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

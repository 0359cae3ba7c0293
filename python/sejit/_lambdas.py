"""Finding a lambda in its file and giving the engine an equivalent def (issue 14).

The engine compiles functions from a `def`'s syntax tree. A lambda has no def: its expression is
found in its file's syntax tree (linecache's lines, as inspect reads them) and becomes the
return statement of a `FunctionDef` whose positions are the lambda's own, so the engine's error
messages point at the user's line and column.

When several lambdas start on one line, the one whose code object this is is told by the columns
CPython 3.11 records for each instruction (`co_positions()`): they all lie within the body of
the lambda that was compiled to it, and the innermost such body is the one (an outer lambda's
code holds the whole inner lambda, not only its body).

A leaf module: `_astjson` (sejit.jit) and `primitives` (sejit.map and friends) both use it.
"""

import ast
import linecache
import weakref

_found = weakref.WeakKeyDictionary()  # lambda → (lines of its file, its ast.Lambda node)
_trees = {}  # (filename, text) → the file's syntax tree; one entry per file, the newest text


class LambdaNotFound(LookupError):
    """The lambda's source cannot be read or told apart; str() says why, without a prefix."""


def is_lambda(func):
    code = getattr(func, "__code__", None)
    return code is not None and code.co_name == "<lambda>"


def _tree(filename, lines):
    text = "".join(lines)
    cached = _trees.get(filename)
    if cached is not None and cached[0] == text:
        return cached[1]
    tree = ast.parse(text)
    _trees[filename] = (text, tree)
    return tree


def _contains(node, line, col, end_line, end_col):
    start = (node.lineno, node.col_offset)
    end = (node.end_lineno, node.end_col_offset)
    return start <= (line, col) and (end_line, end_col) <= end


def find_lambda(func):
    """(lines of func's file, the ast.Lambda node of func with the file's positions).

    Raises LambdaNotFound when the file cannot be read, or no single lambda of its first line
    matches its code object."""
    done = _found.get(func)
    if done is not None:
        return done
    code = func.__code__
    where = f"{code.co_filename}:{code.co_firstlineno}"
    lines = linecache.getlines(code.co_filename, getattr(func, "__globals__", None))
    if not lines:
        raise LambdaNotFound(f"cannot read the source of the lambda at {where}")
    try:
        tree = _tree(code.co_filename, lines)
    except (SyntaxError, ValueError) as exc:
        raise LambdaNotFound(f"cannot parse the source of the lambda at {where}: {exc}") from exc
    nargs = code.co_argcount + code.co_kwonlyargcount
    params = list(code.co_varnames[:nargs])
    candidates = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Lambda) or node.lineno != code.co_firstlineno:
            continue
        a = node.args
        names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
        if names == params and bool(a.vararg) == bool(code.co_flags & 0x04) and bool(
            a.kwarg
        ) == bool(code.co_flags & 0x08):
            candidates.append(node)
    # The instructions' source spans, less the empty ones (RESUME and the like).
    # co_positions() gives (line, end_line, col, end_col).
    spans = [
        (p[0], p[2], p[1], p[3]) for p in code.co_positions()
        if None not in p and (p[0], p[2]) != (p[1], p[3])
    ]
    if spans:
        candidates = [n for n in candidates if all(_contains(n.body, *s) for s in spans)]
    if len(candidates) > 1:
        # Nested lambdas: the innermost body holding every span is this code's.
        inner = [n for n in candidates if not any(
            m is not n and _contains(n.body, m.lineno, m.col_offset, m.end_lineno,
                                     m.end_col_offset)
            for m in candidates)]
        candidates = inner
    if len(candidates) != 1:
        raise LambdaNotFound(
            f"cannot tell which lambda of {where} this is"
            if candidates else f"cannot find the lambda of {where} in its source"
        )
    _found[func] = lines, candidates[0]
    return _found[func]


def lambda_source(func):
    """(source_lines, firstlineno) of a lambda: the lines its expression spans in its file."""
    lines, node = find_lambda(func)
    return lines[node.lineno - 1 : node.end_lineno], node.lineno


def lambda_def(func, name=None):
    """A FunctionDef equivalent to the lambda: its parameters and `return <body>`, with the
    positions of the lambda in its file (the def spans the lambda, the return its body)."""
    _, node = find_lambda(func)
    body = node.body
    ret = ast.Return(value=body)
    ast.copy_location(ret, body)
    fdef = ast.FunctionDef(
        name=name or func.__name__,
        args=node.args,
        body=[ret],
        decorator_list=[],
        returns=None,
        type_comment=None,
    )
    ast.copy_location(fdef, node)
    return fdef


def lambda_text(func):
    """The lambda's body as source text (for a generated def that Python runs)."""
    lines, node = find_lambda(func)
    return ast.get_source_segment("".join(lines), node.body)

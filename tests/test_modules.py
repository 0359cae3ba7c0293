"""The package's modules import one another in one direction (no cycles, at import time or
inside functions), and none reaches into another's private names."""

import ast
import pathlib
import warnings

import sejit

PKG = pathlib.Path(sejit.__file__).parent


def _imports():
    """module → (the package modules it imports, the private names it uses from them)."""
    out = {}
    for path in sorted(PKG.glob("*.py")):
        with warnings.catch_warnings():  # a docstring's backslash is not ours to judge here
            warnings.simplefilter("ignore", DeprecationWarning)
            tree = ast.parse(path.read_text())
        deps, private = set(), set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    deps.add(node.module)
                    private |= {f"{node.module}.{a.name}" for a in node.names
                                if a.name.startswith("_") and not a.name.startswith("__")}
                else:
                    deps |= {a.name for a in node.names}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in deps and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                private.add(f"{node.value.id}.{node.attr}")
        out[path.stem] = (deps, private)
    return out


def test_no_import_cycles():
    graph = {m: d for m, (d, _) in _imports().items()}
    state = {}

    def visit(m, path):
        if state.get(m) == "done":
            return
        assert state.get(m) != "open", "import cycle: " + " -> ".join(path + [m])
        state[m] = "open"
        for d in sorted(graph.get(m, ())):
            visit(d, path + [m])
        state[m] = "done"

    for m in graph:
        visit(m, [])
    assert "dispatcher" not in graph["_request"] | graph["_objects"]


def test_no_private_names_of_other_modules():
    # The C runtime's private entry points (_runtime._enable_vectorcall) are its API.
    used = {m: sorted(p for p in priv if not p.startswith("_runtime."))
            for m, (_, priv) in _imports().items()}
    assert {m: p for m, p in used.items() if p} == {}

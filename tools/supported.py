"""Regenerate the "cases" column of docs/supported.md from the conformance registries.

    .venv/bin/python tools/supported.py           # print what would change, exit 1 if stale
    .venv/bin/python tools/supported.py --write   # rewrite the column in place

A row of the doc's tables is ``| `feature.id` | what | status | cases |``. The cases cell lists,
per test file, the kernels registered under that feature (tests/conformance.py), each file a
link. tests/test_supported_doc.py runs the same comparison, so a stale doc fails `make test`.
"""

import glob
import importlib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "supported.md")
ROW = re.compile(r"^\| `([a-z0-9_.-]+)` \|(.*)\|(.*)\|(.*)\|\s*$")


def load_registries():
    """Import every tests/test_conf_*.py and return {module: Cases}."""
    tests = os.path.join(ROOT, "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    import conformance

    for path in sorted(glob.glob(os.path.join(tests, "test_conf_*.py"))):
        importlib.import_module(os.path.splitext(os.path.basename(path))[0])
    return conformance.REGISTRIES


def cases_by_feature(registries):
    """{feature: {test file: [kernel names in registration order]}}."""
    out = {}
    for reg in registries.values():
        for c in reg.items:
            names = out.setdefault(c.feature, {}).setdefault(reg.path, [])
            if c.fn.__name__ not in names:
                names.append(c.fn.__name__)
    return out


def cell(files):
    if not files:
        return ""
    return "; ".join(
        f"[{path}](../tests/{path}): {', '.join(names)}" for path, names in sorted(files.items())
    )


def parse(lines):
    """[(line index, feature id, what, status, cases cell)] for every table row with an id."""
    rows = []
    for i, line in enumerate(lines):
        m = ROW.match(line)
        if m:
            rows.append((i, m.group(1), m.group(2).strip(), m.group(3).strip(), m.group(4).strip()))
    return rows


def regenerate(lines, features):
    out = list(lines)
    for i, fid, what, status, _ in parse(lines):
        out[i] = f"| `{fid}` | {what} | {status} | {cell(features.get(fid, {}))} |"
    return out


def main():
    with open(DOC) as f:
        lines = f.read().splitlines()
    new = regenerate(lines, cases_by_feature(load_registries()))
    if "--write" in sys.argv:
        with open(DOC, "w") as f:
            f.write("\n".join(new) + "\n")
        return 0
    stale = [(a, b) for a, b in zip(lines, new) if a != b]
    for a, b in stale:
        print(f"- {a}\n+ {b}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())

"""docs/supported.md stays true to the conformance suite (issue 3).

Every feature the doc marks supported ("yes" or "partial") has at least one conformance case, every case
proves a documented feature, the doc's cases column and the cases file the Go generator reads
(internal/library/testdata/cases.json; the Go test TestSupportedDoc checks the doc is generated
from it) are the ones tools/supported.py makes from the registries, and the suite holds at least
the issue's 250 cases.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import supported  # noqa: E402

MIN_CASES = 250


def _state():
    regs = supported.load_registries()
    with open(supported.DOC) as f:
        lines = f.read().splitlines()
    return regs, lines, supported.parse(lines)


def test_every_supported_feature_has_a_case():
    regs, _, rows = _state()
    features = supported.cases_by_feature(regs)
    missing = [fid for _, fid, _, status, _ in rows if status in ("yes", "partial") and fid not in features]
    assert not missing, f"documented as supported but no conformance case: {missing}"


def test_every_case_is_documented():
    regs, _, rows = _state()
    documented = {fid for _, fid, _, _, _ in rows}
    statuses = {fid: status for _, fid, _, status, _ in rows}
    for reg in regs.values():
        for c in reg.items:
            assert c.feature in documented, f"{reg.path}: {c.id} proves an undocumented feature"
            assert statuses[c.feature] != "no", f"{c.id}: the doc says {c.feature} is unsupported"


def test_ids_are_unique():
    _, _, rows = _state()
    ids = [fid for _, fid, _, _, _ in rows]
    assert len(ids) == len(set(ids)), "a feature id appears twice in docs/supported.md"


def test_cases_column_is_current():
    regs, lines, _ = _state()
    new = supported.regenerate(lines, supported.cases_by_feature(regs))
    stale = [a for a, b in zip(lines, new) if a != b]
    assert not stale, (
        "docs/supported.md's cases column is stale; run `.venv/bin/python tools/supported.py "
        f"--write`. First stale row: {stale[0]}"
    )


def test_cases_file_is_current():
    regs, _, _ = _state()
    with open(supported.CASES) as f:
        text = f.read()
    assert text == supported.cases_json(supported.cases_by_feature(regs)), (
        "internal/library/testdata/cases.json is stale; run `.venv/bin/python tools/supported.py --write`"
    )


def test_suite_size():
    regs, _, _ = _state()
    n = sum(len(r.items) for r in regs.values())
    assert n >= MIN_CASES, f"{n} conformance cases, the issue asks for at least {MIN_CASES}"


def test_statuses_are_known():
    _, _, rows = _state()
    bad = [(fid, status) for _, fid, _, status, _ in rows if status not in ("yes", "partial", "planned")]
    assert not bad, f"a status must be yes, partial or planned (say what is missing in the row): {bad}"

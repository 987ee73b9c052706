"""Real performance-target sheets published by departments and counties of twelve provinces.

``tests/data/real_forms`` holds them as published (web-page and document-preview text, nothing
cleaned; each opens with its SOURCE line) and ``truth.json``, what a careful reader finds in each
(its README explains the fields). These tests read every file as a user's import would and hold
the importer to what the reader found: at least 95 % of indicator rows and of header fields
exactly right, every self-evaluation and whole-department sheet named as such, every text whose
cells ran together refused with that reason, and no amount in the wrong unit without a word.
"""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from perftrack.domain.model import Severity
from perftrack.domain.serialize import declaration_to_dict
from perftrack.importers import read_declarations

DATA = Path(__file__).parent / "data" / "real_forms"
TRUTH = {e["file"]: e for e in json.loads((DATA / "truth.json").read_text(encoding="utf-8"))}
TEXT_FILES = sorted(f for f in TRUTH if f.endswith(".txt"))
RUN_TOGETHER = {"runon", "pdf_scrambled"}
KIND_WORDS = {"self_evaluation": "自评", "monitoring": "监控", "department_whole": "部门整体"}
FUNDS = {"project_total": "project_total", "annual_total": "annual_total", "annual_fiscal": "annual_appropriation"}
FUNDS["annual_other"] = "annual_other"


def norm(s: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(s))) if s is not None else ""


def level(s: object) -> str:
    return re.sub(r"[(][^()]*(分|必填|权重)[^()]*[)]$", "", norm(s))


def org(s: object) -> str:
    """A unit or department without the budget code some forms put before it."""
    return re.sub(r"^(\[\d+\]|\d{3,}-)", "", norm(s))


def body(name: str) -> str:
    """The file's text after its SOURCE header (up to the line "-----", or the first line)."""
    lines = (DATA / name).read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines[:8]):
        if line.strip() == "-----":
            return "\n".join(lines[i + 1 :])
    return "\n".join(lines[1:])


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Every text file imported as a user would: the published text, saved as a file."""
    folder = tmp_path_factory.mktemp("real")
    out = {}
    for name in TEXT_FILES:
        path = folder / name
        path.write_text(body(name), encoding="utf-8")
        out[name] = read_declarations([path])
    return out


def indicator_errors(want: dict, got: dict) -> list[str]:
    wrong = []
    for key in ("level1", "level2"):
        if want.get(key) and level(got.get(key)) != level(want[key]):
            wrong.append(f"{key} {got.get(key)!r} != {want[key]!r}")
    t = got["target"]
    op = want.get("op")
    if op is None:
        if t["op"] is not None:
            wrong.append(f"op {t['op']!r} (qualitative)")
        return wrong
    if (t["op"] not in ("=", ">=")) if want.get("op_implied") else t["op"] != op:
        wrong.append(f"op {t['op']!r} != {op!r}")
    if (Decimal(t["value"]) if t["value"] else None) != Decimal(want["value"]):
        wrong.append(f"value {t['value']!r} != {want['value']!r}")
    if norm(t["unit"]).replace("百分比", "%") != norm(want.get("unit")).replace("百分比", "%"):
        wrong.append(f"unit {t['unit']!r} != {want.get('unit')!r}")
    return wrong


def declaration_score(name: str, result) -> tuple[int, int, int, int, list[str]]:
    """(indicators right, indicators, fields right, fields, what differs) for one declaration file."""
    truth = TRUTH[name]
    projects = [declaration_to_dict(d) for d in result.declarations]
    ind_ok = ind_all = fld_ok = fld_all = 0
    notes: list[str] = []
    for want in truth["projects"]:
        indicators = [i for i in want["indicators"] if not i.get("uncertain") and not i.get("target_cut")]
        ind_all += len(indicators)
        got = next((p for p in projects if norm(p["name"]) == norm(want["name"])), None)
        checks = [("name", want["name"]), ("unit", want.get("unit")), ("department", want.get("department"))]
        checks = [(k, v) for k, v in checks if v is not None]
        fld_all += len(checks) + 1 + sum(1 for k in FUNDS if (want.get("funds") or {}).get(k) is not None)
        if got is None:
            notes.append(f"{name}: project {want['name']} not read ({[p['name'] for p in projects]})")
            continue
        for key, value in checks:
            if norm(got[key]) == norm(value) or (key != "name" and org(got[key]) == org(value)):
                fld_ok += 1
            else:
                notes.append(f"{name}: {key} {got[key]!r} != {value!r}")
        fld_ok += got["year"] == want["year"]
        for key, field in FUNDS.items():
            value = (want.get("funds") or {}).get(key)
            if value is None:
                continue
            amount = got["funds"][field]
            if amount is not None and Decimal(amount) == Decimal(value):
                fld_ok += 1
            else:
                notes.append(f"{name}: funds.{field} {amount} != {value}")
        by_name = {norm(i["name"]): i for i in got["indicators"]}
        for w in indicators:
            g = by_name.get(norm(w["name"]))
            errors = ["missing"] if g is None else indicator_errors(w, g)
            if errors:
                notes.append(f"{name}: {w['name']}: {', '.join(errors)}")
            else:
                ind_ok += 1
        listed = {norm(i["name"]) for i in want["indicators"]}
        notes += [f"{name}: not on the form: {n}" for n in by_name if n not in listed]
    return ind_ok, ind_all, fld_ok, fld_all, notes


def test_declarations_read_as_a_careful_reader_reads_them(imported):
    totals = [0, 0, 0, 0]
    notes: list[str] = []
    extra = 0
    for name in TEXT_FILES:
        truth = TRUTH[name]
        if truth["kind"] != "declaration" or truth["layout"] in RUN_TOGETHER:
            continue
        ind_ok, ind_all, fld_ok, fld_all, found = declaration_score(name, imported[name])
        for i, n in enumerate((ind_ok, ind_all, fld_ok, fld_all)):
            totals[i] += n
        notes += found
        extra += sum(1 for n in found if "not on the form" in n)
    ind_ok, ind_all, fld_ok, fld_all = totals
    assert ind_all >= 50 and fld_all >= 70  # the folder's declarations are all compared
    assert ind_ok / ind_all >= 0.95, notes
    assert fld_ok / fld_all >= 0.95, notes
    assert extra <= 1, notes  # nothing read as an indicator that is not one


@pytest.mark.parametrize("name", [f for f in TEXT_FILES if TRUTH[f]["layout"] in RUN_TOGETHER])
def test_text_whose_cells_ran_together_is_refused_with_the_reason(imported, name):
    result = imported[name]
    assert not result.declarations
    (error,) = result.errors
    assert error.code in ("run-together", "not-a-project-form", "missing-name")
    assert "原始的 PDF、Word 或 Excel" in error.message or "部门整体" in error.message
    kind = TRUTH[name]["kind"]
    if kind in KIND_WORDS:
        assert KIND_WORDS[kind] in error.message  # and it says what the sheet was


@pytest.mark.parametrize("name", [f for f in TEXT_FILES if TRUTH[f]["kind"] == "self_evaluation"])
def test_self_evaluations_are_named_and_read_with_their_targets(imported, name):
    result = imported[name]
    words = " ".join(p.message for p in result.problems)
    assert "自评" in words
    if TRUTH[name]["layout"] in RUN_TOGETHER:
        return
    (decl,) = result.declarations
    assert decl.sheet_kind == "self_evaluation"
    ind_ok, ind_all, _, _, notes = declaration_score(name, result)
    assert ind_ok == ind_all, notes
    actuals = {a.indicator: a.raw for a in decl.reported}
    for want in TRUTH[name]["projects"][0]["indicators"]:
        if want.get("actual_raw") and not want.get("target_cut"):
            assert actuals[want["name"]] == want["actual_raw"]


@pytest.mark.parametrize("name", [f for f in TEXT_FILES if TRUTH[f]["kind"] == "department_whole"])
def test_whole_department_sheets_are_refused_by_name(imported, name):
    result = imported[name]
    assert not result.declarations
    assert result.errors and all("部门整体" in p.message for p in result.errors)


def test_no_amount_is_read_in_the_wrong_unit(imported):
    """Every form of the folder states 万元 somewhere; each amount read must be in 元, ten thousand times the figure."""
    for name in TEXT_FILES:
        truth = TRUTH[name]
        if truth["kind"] != "declaration" or truth["layout"] in RUN_TOGETHER:
            continue
        for want, got in zip(truth["projects"], imported[name].declarations, strict=False):
            for key, field in FUNDS.items():
                value = (want.get("funds") or {}).get(key)
                amount = getattr(got.funds, field)
                if value is not None and amount is not None:
                    assert amount == Decimal(value), (name, field)
        assert not any(p.code == "funds-unit-assumed" for p in imported[name].problems), name


def test_what_is_not_a_form_is_never_an_error_of_the_form(imported):
    """A notice's own text, a list of attachments, an allocation table before the form: no false refusal."""
    for name in TEXT_FILES:
        truth = TRUTH[name]
        if truth["kind"] == "declaration" and truth["layout"] not in RUN_TOGETHER:
            assert not imported[name].errors, (name, [p.message for p in imported[name].errors])
            assert all(p.severity in (Severity.WARNING, Severity.INFO) for p in imported[name].problems)

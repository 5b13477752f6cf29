"""The cases written from public bug reports (tests/data/cases, copied from shared/cases; any further case folder
in ../shared/cases runs too): the planted defect is found with a fitting kind, on the right rendering and
paragraph, and nothing else is reported at warning or error."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from consistency.pipeline import Settings, run_check

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Finding kinds that fit a reported defect kind (a mangled name may be reported as a cut or a changed placeholder).
FITTING = {
    "entity_mismatch": {"entity_mismatch", "truncation", "placeholder_mismatch"},
    "omission": {"omission"},
    "doubled_word": {"doubled_word"},
    "untranslated": {"untranslated"},
    "truncation": {"truncation", "omission"},
    "placeholder_mismatch": {"placeholder_mismatch", "entity_mismatch"},
}


def _case_dirs() -> list[Path]:
    found = {p.name: p for p in sorted((HERE / "data" / "cases").iterdir()) if (p / "expected.json").exists()}
    shared = ROOT.parent / "shared" / "cases"
    if shared.is_dir():
        for p in sorted(shared.iterdir()):
            if (p / "expected.json").exists():
                found.setdefault(p.name, p)
    return [found[k] for k in sorted(found)]


@pytest.mark.parametrize("case", _case_dirs(), ids=lambda p: p.name)
def test_case(case: Path):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    texts = sorted(case.glob("*.txt"))
    result = run_check(texts, Settings())
    serious = [f for f in result.findings if f.severity.value in ("error", "warning")]
    kinds = FITTING.get(expected["kind"], {expected["kind"]})
    hits = [f for f in serious if f.kind in kinds and f.lang == expected["lang"]
            and f.paragraph == expected["paragraph"]]
    assert hits, f"not found: {expected}; got {[(f.kind, f.lang, f.paragraph, f.text) for f in serious]}"
    others = [(f.kind, f.lang, f.paragraph, f.text) for f in serious
              if not (f.lang == expected["lang"] and f.paragraph == expected["paragraph"])]
    assert not others, f"false findings on clean text: {others}"


def test_renderings_all_in_the_source_language_fail():
    """Reliability case 15: de, fr and id all hold the same English text (a pipeline copied the source into every
    slot). Each rendering gets one error saying it is wholly English; the sentences are at least warnings."""
    folder = HERE / "data" / "reliability" / "15-all-renderings-identical"
    result = run_check(sorted(folder.glob("*.txt")), Settings(backtranslate="off"))
    errors = [f for f in result.findings if f.severity.value == "error"]
    assert sorted((f.kind, f.lang) for f in errors) == [("untranslated", lang) for lang in ("de", "fr", "id")]
    assert all("whole" in f.message and " en" in f.message for f in errors)
    quieter = [f for f in result.findings if f not in errors]
    assert quieter and all(f.kind == "untranslated" and f.severity.value == "warning" for f in quieter)

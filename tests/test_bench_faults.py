"""The fault-injection benchmark on a small corpus we wrote ourselves: correctness, not speed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency.bench.faults import run
from consistency.bench.inject import INJECTORS
from consistency.cli import app

CORPUS = Path(__file__).parent / "data" / "corpus"


@pytest.fixture(scope="module")
def figures():
    return run(CORPUS, seed=0)


def test_every_fault_type_is_injected_and_counted(figures):
    assert figures["documents"] == 4
    assert set(figures["injected"]) == set(INJECTORS)
    assert all(n == 4 for n in figures["injected"].values())
    assert all(0 <= figures["recall"][k] <= 1 and figures["caught"][k] <= figures["injected"][k] for k in INJECTORS)
    assert 0 <= figures["false_finding_rate"] <= 1 and figures["untouched_paragraphs"] > 0


def test_checker_catches_most_faults_on_clean_prose(figures):
    # A floor, not the target: the full benchmark (README) measures the real numbers on Debian's manual pages.
    assert figures["recall_overall"] >= 0.8
    assert figures["new_false_findings"] <= 2


def test_same_seed_same_faults():
    a = run(CORPUS, seed=3, types=["truncate_word", "change_number"])
    b = run(CORPUS, seed=3, types=["truncate_word", "change_number"])
    strip = lambda r: {k: v for k, v in r.items() if k != "wall_time_s"}  # noqa: E731
    assert strip(a) == strip(b)


@pytest.mark.parametrize("name", sorted(INJECTORS))
def test_injector_reports_where_it_struck(name):
    import random

    texts = {lang: (CORPUS / "river" / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
             for lang in ("de", "en", "fr", "id")}
    new, fault = INJECTORS[name]().inject(list(texts["de"]), "de", {k: v for k, v in texts.items() if k != "de"},
                                          random.Random(1))
    assert new != texts["de"] and fault.lang == "de" and fault.type == name
    assert all(1 <= p <= len(new) for p in fault.paragraphs)


def test_cli_prints_json(tmp_path):
    r = CliRunner().invoke(app, ["bench", "faults", str(CORPUS), "--json", "--type", "double_word"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["injected"] == {"double_word": 4} and out["recall"]["double_word"] == 1.0


def test_cli_rejects_a_folder_without_documents(tmp_path):
    r = CliRunner().invoke(app, ["bench", "faults", str(tmp_path)])
    assert r.exit_code == 2 and "one subfolder per document" in r.stderr


# --- naturally untranslated paragraphs -----------------------------------------------------------------------------


def test_untranslated_bench_finds_a_paragraph_left_in_english(tmp_path):
    from consistency.bench.untranslated import labels, run as run_untranslated

    doc = tmp_path / "corpus" / "council"
    doc.mkdir(parents=True)
    for f in (CORPUS / "council").iterdir():
        (doc / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    english = (doc / "en.txt").read_text(encoding="utf-8").splitlines()
    indonesian = (doc / "id.txt").read_text(encoding="utf-8").splitlines()
    indonesian[1] = english[1]  # the translator left the second paragraph as it was
    (doc / "id.txt").write_text("\n".join(indonesian) + "\n", encoding="utf-8")
    paragraphs = {p.stem: p.read_text(encoding="utf-8").splitlines() for p in doc.iterdir()}
    assert labels(paragraphs) == {("id", 2)}
    figures = run_untranslated(tmp_path / "corpus")
    assert (figures["labelled_paragraphs"], figures["found"]) == (1, 1)
    assert figures["precision"] == 1.0, figures["false_flags"]
    r = CliRunner().invoke(app, ["bench", "untranslated", str(tmp_path / "corpus"), "--json"])
    assert json.loads(r.stdout)["recall"] == 1.0

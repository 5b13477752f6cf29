"""The fault-injection benchmark on a small corpus we wrote ourselves: correctness, not speed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency.bench.faults import compare, run
from consistency.bench.inject import INJECTORS
from consistency.cli import app

CORPUS = Path(__file__).parent / "data" / "corpus"
# The fault types whose checks exist and that fit every document here; the newer ones (tests/test_inject.py) may
# have no place in a document (no placeholder in this prose, no untranslated sentence in English) or no check yet.
CORE = ["drop_sentence", "truncate_word", "double_word", "glue_words", "untranslated_paragraph", "cut_paragraph",
        "drop_paragraph", "change_number"]


@pytest.fixture(scope="module")
def figures():
    return run(CORPUS, seed=0)


def test_every_fault_type_is_injected_and_counted(figures):
    assert figures["documents"] == 4
    assert set(figures["injected"]) == set(INJECTORS) and figures["corpus_name"] == "corpus"
    assert all(figures["injected"][k] == 4 for k in CORE)
    assert all(0 <= n <= 4 for n in figures["injected"].values())
    assert all(0 <= figures["recall"][k] <= 1 and figures["caught"][k] <= figures["injected"][k]
               for k in INJECTORS if figures["injected"][k])
    assert set(figures["recall"]) == {k for k, n in figures["injected"].items() if n}
    assert 0 <= figures["false_finding_rate"] <= 1 and figures["untouched_paragraphs"] > 0


def test_checker_catches_most_faults_on_clean_prose(figures):
    # A floor, not the target: the full benchmark (README) measures the real numbers on Debian's manual pages.
    core = sum(figures["caught"][k] for k in CORE) / sum(figures["injected"][k] for k in CORE)
    assert core >= 0.8
    assert figures["new_false_findings"] <= 2


def test_catches_and_misses_say_what_the_checker_said(figures):
    """Each caught fault names the findings that caught it (a warning or error of an accepted kind); each miss lists
    what the checker said there below a warning, so a miss by severity is told from a blind spot."""
    assert len(figures["catches"]) == min(200, sum(figures["caught"].values()))
    for c in figures["catches"]:
        assert c["by"] and all(b["severity"] in ("warning", "error") and b["kind"] in INJECTORS[c["fault"]].accepts
                               for b in c["by"])
    for m in figures["misses"]:
        assert all(b["severity"] == "info" and b["kind"] in INJECTORS[m["fault"]].accepts for b in m["below"])


def test_same_seed_same_faults():
    a = run(CORPUS, seed=3, types=["truncate_word", "change_number"])
    b = run(CORPUS, seed=3, types=["truncate_word", "change_number"])
    strip = lambda r: {k: v for k, v in r.items() if k != "wall_time_s"}  # noqa: E731
    assert strip(a) == strip(b)


@pytest.mark.parametrize("name", sorted(set(INJECTORS) - {"translate_placeholder"}))  # no placeholder in this prose
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


def test_standin_backtranslation_run_and_side_by_side_table():
    from consistency.cli_bench import faults_table

    types = ["drop_clause", "untranslated_sentence"]
    off = run(CORPUS, seed=0, types=types)
    both = compare(CORPUS, seed=0, types=types)
    assert {k: v for k, v in both.items() if k not in ("with_backtranslation", "recall_compared", "wall_time_s")} \
        == {k: v for k, v in off.items() if k != "wall_time_s"}
    bt = both["with_backtranslation"]
    assert bt["backtranslate"] == "standin" and bt["injected"] == off["injected"]
    assert bt["backtranslation_coverage"] == 1.0  # the test corpus splits into sentences alike in every language
    assert both["recall_compared"] == {k: {"off": off["recall"].get(k), "standin": bt["recall"].get(k)} for k in types}
    lines = faults_table(both)
    assert "recall bt" in lines[1] and any(line.startswith("drop_clause") for line in lines)


def test_cli_backtranslate_option_and_table():
    r = CliRunner().invoke(app, ["bench", "faults", str(CORPUS), "--type", "untranslated_sentence",
                                 "--backtranslate", "standin"])
    assert r.exit_code == 0, r.output
    assert "untranslated_sentence" in r.stdout and "stand-in" in r.stdout
    r = CliRunner().invoke(app, ["bench", "faults", str(CORPUS), "--backtranslate", "marian"])
    assert r.exit_code == 2 and "standin" in r.stderr


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


def test_standin_for_a_fault_in_the_pivot_gives_the_others_the_clean_english():
    """A stand-in back-translation is what an MT model would make of each rendering's own text: the renderings the
    fault left alone read as the clean English, while the faulty English is its own back-translation."""
    from consistency.bench.faults import Document, _standin
    from consistency.bench.inject import Fault

    clean = Document("d", {"en": ["The cat sat on the mat."], "de": ["Die Katze saß auf der Matte."],
                           "fr": ["Le chat était assis sur le tapis."]})
    faulty = Document("d", {**clean.paragraphs, "en": ["The cat on sat the mat."]})
    fault = Fault("shuffle_words", "en", (1,), ("The cat on sat the mat.",), "sat on → on sat")
    bts = {r.lang: r.paragraphs[0].sentences[0].backtranslation
           for r in _standin(faulty, "en", fault, clean=clean)}
    assert bts == {"en": "The cat on sat the mat.", "de": "The cat sat on the mat.",
                   "fr": "The cat sat on the mat."}
    # without the clean document (the clean run itself) every stand-in is the document's own English
    assert {r.paragraphs[0].sentences[0].backtranslation for r in _standin(clean, "en")} == {"The cat sat on the mat."}

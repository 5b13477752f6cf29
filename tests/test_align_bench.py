"""Sentence-alignment scoring (Vecalign's strict and lax measures) and the `align` / `bench align` commands on a
small self-written de-fr pair with a known gold alignment (a 1-2 link, a deletion and an insertion)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency.bench.align_score import format_beads, parse, score
from consistency.cli import app

DATA = Path(__file__).resolve().parent / "data" / "align"


@pytest.mark.parametrize("gold,test,expected", [
    # identical alignments
    ("[0]:[0]\n[1]:[1]\n", "[0]:[0]\n[1]:[1]\n", {"f1_strict": 1.0, "f1_lax": 1.0}),
    # a 1-2 link predicted as 1-1 plus an insertion: strictly wrong, laxly half right
    ("[0]:[0, 1]\n", "[0]:[0]\n[]:[1]\n", {"precision_strict": 0.0, "precision_lax": 0.5, "recall_strict": 0.0,
                                             "recall_lax": 1.0}),
    # a predicted deletion counts against precision, a gold deletion is not recalled
    ("[0]:[0]\n[1]:[]\n", "[0]:[0]\n[1]:[1]\n", {"precision_strict": 0.5, "recall_strict": 1.0}),
    # a crossing link overlaps nothing
    ("[0]:[0]\n[1]:[1]\n", "[0]:[1]\n[1]:[0]\n", {"f1_strict": 0.0, "f1_lax": 0.0}),
])
def test_scorer_table(gold, test, expected):
    figures = score([parse(gold)], [parse(test)])
    assert {k: figures[k] for k in expected} == expected


def test_beads_round_trip():
    text = "[0, 1]:[2]\n[3]:[]\n[]:[4]\n"
    assert format_beads(parse(text)) == text


def test_align_command_finds_links_deletions_and_insertions(tmp_path):
    r = CliRunner().invoke(app, ["align", str(DATA / "de.txt"), str(DATA / "fr.txt"), "--sentences"])
    assert r.exit_code == 0, r.stderr
    beads = parse(r.stdout)
    assert ((6,), ()) in beads and ((), (8,)) in beads
    assert [s for s, _ in beads if s] == [(i,) for i in range(8)]  # every source sentence once, in order
    out = tmp_path / "test.txt"
    out.write_text(r.stdout, encoding="utf-8")
    scored = CliRunner().invoke(app, ["bench", "align", str(out), str(DATA / "gold.txt"), "--json"])
    figures = json.loads(scored.stdout)
    assert figures["documents"] == 1
    assert figures["f1_strict"] >= 0.75 and figures["f1_lax"] >= 0.9


@pytest.mark.parametrize("fmt,check", [
    ("tsv", lambda out: out.splitlines()[0].split("\t")[1].startswith("Le conseil municipal")),
    ("json", lambda out: json.loads(out)["beads"][0]["source"] == [0]),
])
def test_align_formats(fmt, check):
    r = CliRunner().invoke(app, ["align", str(DATA / "de.txt"), str(DATA / "fr.txt"), "--sentences", "-f", fmt])
    assert r.exit_code == 0 and check(r.stdout)


def test_bench_align_pairs_folders_by_name_and_rejects_bad_beads(tmp_path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "test").mkdir()
    (tmp_path / "gold" / "a").write_text("[0]:[0]\n", encoding="utf-8")
    (tmp_path / "test" / "a").write_text("[0]:[0]\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["bench", "align", str(tmp_path / "test"), str(tmp_path / "gold"), "--json"])
    assert json.loads(r.stdout)["f1_strict"] == 1.0
    (tmp_path / "test" / "a").write_text("zero to zero\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["bench", "align", str(tmp_path / "test"), str(tmp_path / "gold")])
    assert r.exit_code == 2 and "not an alignment bead" in r.stderr

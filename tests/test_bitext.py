"""Bitext readers: line-aligned, streamed, empty sides kept as units."""
from __future__ import annotations

import json

import pytest

from consistency.bitext import moses_files, read_jsonl, read_moses, read_table
from consistency.errors import InputError

KNOWN = {"de", "fr", "en", "id"}


def test_moses_keeps_empty_lines_as_units(tmp_path):
    (tmp_path / "c.de").write_text("Hallo Welt.\n\nDrei.\n", encoding="utf-8")
    (tmp_path / "c.fr").write_text("Bonjour le monde.\nDeux.\nTrois.\n", encoding="utf-8")
    files = moses_files(sorted(tmp_path.iterdir()), KNOWN)
    rows = list(read_moses(files))
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[1].texts == {"de": "", "fr": "Deux."}


@pytest.mark.parametrize("names,ok", [
    (["c.de", "c.fr"], True), (["c.de", "d.fr"], False), (["c.de", "c.xx"], False), (["c.de"], False)])
def test_moses_files_need_one_stem_and_language_suffixes(tmp_path, names, ok):
    paths = [tmp_path / n for n in names]
    assert (moses_files(paths, KNOWN) is not None) == ok


def test_moses_files_of_different_length_are_refused(tmp_path):
    (tmp_path / "c.de").write_text("a\nb\n", encoding="utf-8")
    (tmp_path / "c.fr").write_text("a\n", encoding="utf-8")
    with pytest.raises(InputError, match="fr"):
        list(read_moses({"de": tmp_path / "c.de", "fr": tmp_path / "c.fr"}))


def test_tsv_and_csv_by_header(tmp_path):
    (tmp_path / "b.tsv").write_text("id\tde\tfr\n7\tHallo.\tSalut.\n8\t\tVide.\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text('de,fr\n"Hallo, Welt.","Salut, monde."\n', encoding="utf-8")
    tsv = list(read_table(tmp_path / "b.tsv", KNOWN))
    assert [r.texts for r in tsv] == [{"de": "Hallo.", "fr": "Salut."}, {"de": "", "fr": "Vide."}]
    assert [r.line for r in tsv] == [2, 3]
    (tmp_path / "c.tsv").write_text("id\tde\nSelamat.\tHallo.\n", encoding="utf-8")  # here id is Indonesian
    assert list(read_table(tmp_path / "c.tsv", KNOWN))[0].texts == {"id": "Selamat.", "de": "Hallo."}
    assert list(read_table(tmp_path / "b.csv", KNOWN))[0].texts == {"de": "Hallo, Welt.", "fr": "Salut, monde."}


def test_table_without_language_header_is_refused(tmp_path):
    (tmp_path / "b.tsv").write_text("Hallo.\tSalut.\n", encoding="utf-8")
    with pytest.raises(InputError, match="header"):
        list(read_table(tmp_path / "b.tsv", KNOWN))


def test_jsonl(tmp_path):
    lines = [json.dumps({"de": "Hallo.", "fr": "Salut.", "score": 0.5}), "", json.dumps({"de": None, "fr": "x"})]
    (tmp_path / "b.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = list(read_jsonl(tmp_path / "b.jsonl", KNOWN))
    assert [(r.number, r.texts) for r in rows] == [(1, {"de": "Hallo.", "fr": "Salut."}), (3, {"de": "", "fr": "x"})]
    (tmp_path / "bad.jsonl").write_text("[1]\n", encoding="utf-8")
    with pytest.raises(InputError, match=":1:"):
        list(read_jsonl(tmp_path / "bad.jsonl", KNOWN))


def test_jsonl_id_key_is_an_identifier_when_it_reads_like_one(tmp_path):
    (tmp_path / "b.jsonl").write_text('{"id": 7, "de": "Hallo.", "fr": "Salut."}\n', encoding="utf-8")
    assert list(read_jsonl(tmp_path / "b.jsonl", KNOWN))[0].texts == {"de": "Hallo.", "fr": "Salut."}


def test_a_side_empty_throughout_is_one_finding_per_unit(tmp_path):
    from consistency.pipeline import Settings, run_corpus

    (tmp_path / "c.de").write_text("Hallo Welt.\nZwei Bücher.\n", encoding="utf-8")
    (tmp_path / "c.fr").write_text("\n\n", encoding="utf-8")
    corpus = run_corpus([tmp_path / "c.de", tmp_path / "c.fr"], Settings(backtranslate="off"))
    assert sorted((f.kind, f.lang, f.line) for f in corpus.findings) == [("omission", "fr", 1), ("omission", "fr", 2)]

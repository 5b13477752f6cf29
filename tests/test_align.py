"""Align stage: extra, missing and split paragraphs must not shift what follows."""
from __future__ import annotations

from pathlib import Path

from consistency.pipeline import run_check

TINY = Path(__file__).parent / "data" / "tiny"
BASE = {lang: (TINY / f"{lang}.txt").read_text(encoding="utf-8").split("\n") for lang in ("de", "en", "fr", "id")}


def groups(result):
    return [{k: list(v) for k, v in g.members.items()} for g in result.paragraph_groups]


def test_identity_alignment(doc):
    assert groups(run_check([doc(BASE)])) == [{"de": [i], "en": [i], "fr": [i], "id": [i]} for i in range(1, 5)]


def test_extra_paragraph_in_one_rendering_does_not_shift_the_rest(doc):
    texts = dict(BASE, fr=BASE["fr"][:2] + ["Une note ajoutée par la rédaction sur un tout autre sujet, la météo."]
                 + BASE["fr"][2:])
    got = groups(run_check([doc(texts)]))
    assert got[2] == {"de": [], "en": [], "fr": [3], "id": []}
    assert got[3] == {"de": [3], "en": [3], "fr": [4], "id": [3]}
    assert got[4] == {"de": [4], "en": [4], "fr": [5], "id": [4]}


def test_missing_paragraph(doc):
    texts = dict(BASE, de=BASE["de"][:1] + BASE["de"][2:])
    got = groups(run_check([doc(texts)]))
    assert got[1] == {"de": [], "en": [2], "fr": [2], "id": [2]}
    assert got[2] == {"de": [2], "en": [3], "fr": [3], "id": [3]}


def test_split_paragraph_is_one_group(doc):
    first, second = BASE["id"][1].split(". ", 1)
    texts = dict(BASE, id=BASE["id"][:1] + [first + ".", second] + BASE["id"][2:])
    got = groups(run_check([doc(texts)]))
    assert got[1] == {"de": [2], "en": [2], "fr": [2], "id": [2, 3]}
    assert got[2] == {"de": [3], "en": [3], "fr": [3], "id": [4]}


def test_title_in_one_rendering_only(seeds):
    got = groups(run_check([seeds]))
    assert got[0] == {"de": [], "fr": [1], "id": []}
    assert all(g == {"de": [i], "fr": [i + 1], "id": [i]} for i, g in enumerate(got[1:], 1))


def test_sentence_links_include_one_to_two(seeds):
    result = run_check([seeds])
    shapes = {tuple(len(v) for v in g.members.values()) for g in result.sentence_groups}
    assert (2, 1, 1) in shapes  # de ¶2 splits a sentence the others keep whole
    assert all(g.score is None or 0 <= g.score <= 1 for g in result.sentence_groups)

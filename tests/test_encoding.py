"""Encodings on load (case reliability/19 and issue 12): BOMs, UTF-16/UTF-32, CRLF and lone CR, NFC, NULs."""
from __future__ import annotations

import codecs
import shutil
import unicodedata
from pathlib import Path

import pytest

from consistency.errors import InputError
from consistency.load import decode, load_sources, read_text
from consistency.pipeline import Settings, check_renderings, load_renderings

CASE = Path(__file__).resolve().parent / "data" / "reliability" / "19-encoding-messages-bom"  # copied from shared/cases
SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "deepseek-essay"
TEXT = "Grüße aus Köln.\nZweite Zeile.\nDritte Zeile."


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    TEXT.encode("utf-16"),  # with a byte-order mark, as Windows tools write it
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    TEXT.encode("utf-32"),
    codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"),
    TEXT.encode("utf-16-le"),  # no mark: told by its NUL bytes
    TEXT.encode("utf-16-be"),
    TEXT.replace("\n", "\r\n").encode("utf-8"),
    TEXT.replace("\n", "\r").encode("utf-8"),  # classic Mac line ends
    TEXT.replace("\n", "\r\n").encode("utf-16"),
    unicodedata.normalize("NFD", TEXT).encode("utf-8"),  # macOS, PDF extractors
])
def test_decoded_to_the_same_text(data):
    assert decode(data, "de.txt") == TEXT


@pytest.mark.parametrize("data,message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "de.txt looks like a binary file, not text"),
    (b"plain text " * 2000 + b"\x00\x01", "de.txt looks like a binary file, not text"),  # a NUL past 8 KB
    ("Grüße".encode("utf-16-le") + b"\x00\x00", "de.txt looks like a binary file, not text"),
    (b"caf\xe9 au lait", "de.txt is not UTF-8 (byte 0xe9 at offset 3); re-save it as UTF-8"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8a\x00", "de.txt is UTF-16 but damaged at offset 0; re-save it as UTF-8"),
])
def test_refused_in_one_line(data, message):
    with pytest.raises(InputError) as err:
        decode(data, "de.txt")
    assert str(err.value) == message and "\n" not in str(err.value)


def test_line_numbers_survive_utf16_and_cr(tmp_path):
    (tmp_path / "de.txt").write_bytes("Eins.\r\rDrei.\r".encode("utf-16"))
    (tmp_path / "en.txt").write_text("One.\n\nThree.\n", encoding="utf-8")
    sources = {s.lang: s for s in load_sources([tmp_path])}
    assert [(p.line, p.text) for p in sources["de"].paragraphs] == [(1, "Eins."), (3, "Drei.")]


@pytest.mark.skipif(not CASE.is_dir(), reason="the shared reliability cases are not checked out")
def test_case_19_utf16_rendering_is_read(tmp_path):
    shutil.copy(CASE / "de-utf16.txt", tmp_path / "de.txt")
    for lang in ("fr", "id"):
        shutil.copy(SEEDS / f"{lang}.txt", tmp_path / f"{lang}.txt")
    sources = {s.lang: s for s in load_sources([tmp_path])}
    assert sources["de"].paragraphs == {s.lang: s for s in load_sources([SEEDS])}["de"].paragraphs


def test_decomposed_umlauts_give_no_doubled_word(doc):
    """NFD German: 'für' as 'fu' + combining diaeresis split words at the mark and doubled 'u u'-like tokens."""
    de = ["Die Brücke über den Fluss wurde für die Bürger gebaut.", "Müller und Schröder prüften die Pläne.",
          "Die Größe der Brücke überraschte viele Besucher."]
    en = ["The bridge over the river was built for the citizens.", "Müller and Schröder checked the plans.",
          "The size of the bridge surprised many visitors."]
    folder = doc({"en": en, "de": [unicodedata.normalize("NFD", t) for t in de]})
    raw = (folder / "de.txt").read_bytes()
    assert "u\u0308".encode() in raw  # really decomposed on disk
    settings = Settings(use_cache=False)
    renderings = load_renderings([folder], settings)
    assert all(unicodedata.is_normalized("NFC", s.text) for r in renderings for s in r.sentences)
    result = check_renderings(renderings, settings)
    assert [f for f in result.findings if f.kind == "doubled_word"] == []


def test_read_text_of_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_text(tmp_path / "nope.txt")

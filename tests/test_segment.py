"""Segment stage: sentence splitting on the cases machine translations produce."""
from __future__ import annotations

import pytest

from consistency.segment import split_sentences


@pytest.mark.parametrize("lang,text,expected", [
    ("en", "Mr. Smith went to Washington. He said “hello.” Then he left.",
     ["Mr. Smith went to Washington.", "He said “hello.”", "Then he left."]),
    ("de", "Dr. Müller kam z. B. am 3. Mai. Er ging u. a. nach Berlin. Ja.",
     ["Dr. Müller kam z. B. am 3. Mai.", "Er ging u. a. nach Berlin.", "Ja."]),
    ("fr", "M. Dupont est arrivé. « Bonjour. » dit-il. Puis il partit.",
     ["M. Dupont est arrivé.", "« Bonjour. » dit-il.", "Puis il partit."]),
    # A stray single letter before a capitalised word ends a sentence; a lone closing quote does not make one.
    ("id", "ribuan dolar masing-masing a. Model terbaru Grok 3 memakai 200.000 GPU.",
     ["ribuan dolar masing-masing a.", "Model terbaru Grok 3 memakai 200.000 GPU."]),
    ("de", "können die Staaten “Choke Chinas Zugang ab. “", ["können die Staaten “Choke Chinas Zugang ab. “"]),
    ("id", "Harga naik 3,5 persen. Itu tinggi.", ["Harga naik 3,5 persen.", "Itu tinggi."]),
    # Enumerators would stop sentencex from splitting anything after them.
    ("de", "(a) Er kam. Sie ging. Ja.", ["(a) Er kam.", "Sie ging.", "Ja."]),
    ("en", "He came. (2) She went. Then (b) he left.", ["He came.", "(2) She went.", "Then (b) he left."]),
    ("de", "Er kam (ja). Sie ging.", ["Er kam (ja).", "Sie ging."]),
])
def test_split(lang, text, expected):
    got = split_sentences(lang, text)
    assert [s for _, s in got] == expected
    assert all(text[o : o + len(s)] == s for o, s in got)  # offsets point at the sentence


def test_cut_pieces_counts_what_the_notice_reports():
    from consistency.model import Paragraph
    from consistency.segment import MAX_SENTENCE_CHARS, cut_pieces, segment

    blob = " ".join(["Wort"] * (MAX_SENTENCE_CHARS // 2))  # ~2,500 characters, no full stop
    paras = segment("de", (Paragraph(1, 1, blob), Paragraph(2, 2, "Ein ganz normaler Satz. Noch einer.")))
    assert len(paras[0].sentences) == 3 and cut_pieces(paras) == 3
    assert cut_pieces(paras[1:]) == 0

"""Segment stage: paragraphs into sentences.

sentencex does the splitting (it knows ~300 languages, Indonesian included); the fix-ups below repair what it gets
wrong on machine-translated text: a lone closing quote split off as a sentence, a title abbreviation ("M.", "Dr.")
treated as a sentence end, and a stray single letter ("masing-masing a. Model ...") taken for an initial.
"""
from __future__ import annotations

import re
from dataclasses import replace

from consistency.model import Paragraph, Sentence

# Abbreviations after which a sentence does not end, per language; sentencex misses some of these.
ABBREVIATIONS = {
    "fr": {"M", "MM", "Mme", "Mmes", "Mlle", "Dr", "Pr", "St", "Ste", "etc", "cf", "p", "av", "apr", "env", "vol", "n°"},
    "de": {"Dr", "Prof", "Hr", "Fr", "St", "bzw", "ca", "vgl", "usw", "Nr", "Abs", "Jh", "evtl", "ggf", "inkl", "z", "u", "d", "s", "o", "v"},
    "en": {"Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Jr", "Sr", "vs", "etc", "e.g", "i.e", "cf", "No", "Fig"},
    "id": {"Dr", "Prof", "Ir", "H", "Hj", "dll", "dsb", "dst", "Jl", "No", "tsb", "Sdr", "Bpk"},
}
_LETTERS = re.compile(r"[^\W\d_]")
_LAST_WORD = re.compile(r"(\S+)\.\s*$")
# A lone lowercase letter with a period, after a word of 2+ letters, before a capitalised word of 3+ letters:
# "masing -masing a. Model terbaru" is two sentences; "z. B. Mai" or "u. a. Deutschland" is not (the letter
# follows another single-letter abbreviation).
_STRAY_LETTER = re.compile(r"(?<=[^\W\d_]{2} [a-z]\.)\s+(?=[A-ZÀ-Þ][a-zß-ÿ]{2,})")


# Enumerators such as "(a)", "(1)", "[iv]" stop sentencex from splitting anything after them; they are masked with
# a same-length placeholder (offsets stay valid) that reads like the start of a sentence.
_ENUMERATOR = re.compile(r"(?:(?<=\s)|^)[(\[](?:\d{1,3}|[A-Za-z]|[ivxIVX]{2,4})[)\]](?=\s)")


def _boundaries(lang: str, text: str) -> list[tuple[int, int]]:
    import sentencex  # noqa: PLC0415

    masked = _ENUMERATOR.sub(lambda m: "X" + " " * (len(m.group()) - 1), text)
    spans = []
    try:
        for b in sentencex.get_sentence_boundaries(lang, masked):
            spans.append((int(b["start_index"]), int(b["end_index"])))
    except Exception:  # sentencex raises on languages it does not know; one sentence is the honest fallback
        spans = [(0, len(text))]
    return spans or [(0, len(text))]


def _split_stray_letters(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for start, end in spans:
        cut = start
        for m in _STRAY_LETTER.finditer(text, start, end):
            out.append((cut, m.start()))
            cut = m.start()
        out.append((cut, end))
    return out


def _merge(text: str, lang: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    abbreviations = ABBREVIATIONS.get(lang, set()) | ABBREVIATIONS["en"]
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        piece = text[start:end]
        if merged and start == merged[-1][1] and 0 < start < len(text) and text[start - 1] == "." \
                and not text[start].isspace():
            # No space after the stop: a path or URL ('./configure', '…/bookworm/./preseed.cfg'), not a sentence
            # end (sentencex cuts there; languages written without spaces end sentences with '。', not '.').
            merged[-1] = (merged[-1][0], end)
            continue
        if merged and not _LETTERS.search(piece):
            merged[-1] = (merged[-1][0], end)  # a lone quote or bracket belongs to the sentence before it
            continue
        if merged:
            prev = text[merged[-1][0] : merged[-1][1]]
            m = _LAST_WORD.search(prev)
            if m and m.group(1) in abbreviations:
                merged[-1] = (merged[-1][0], end)
                continue
        merged.append((start, end))
    return merged


# Longest "sentence" kept whole. Text without sentence punctuation (a flattened table or list, a minified line, text
# extracted from a PDF without stops, base64) would otherwise be one sentence of any length, and the work on a
# sentence grows with its length (the embedder windows it, the checks compare it word by word): a 1 MB line took tens
# of minutes. Real sentences stay far below this (the seed essay's longest are ~400 characters); longer spans are cut
# into near-equal pieces of at most this many characters, at whitespace where there is any.
MAX_SENTENCE_CHARS = 1000
_SPACE = re.compile(r"\s+")


def _bounded(text: str, spans: list[tuple[int, int]], cap: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    out = []
    for start, end in spans:
        while end - start > cap:
            pieces = -(-(end - start) // cap)
            want = start + -(-(end - start) // pieces)  # an equal share of what is left
            # The last whitespace at or before the share (not before half of it), else the first after it within
            # the cap, else a hard cut at the share.
            cut = None
            for m in _SPACE.finditer(text, start + (want - start) // 2, want + 1):
                cut = m.start()
            if cut is None or cut <= start:
                m = _SPACE.search(text, want, start + cap)
                cut = m.start() if m and m.start() > start else want
            out.append((start, cut))
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            out.append((start, end))
    return out


def split_sentences(lang: str, text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; sentences keep their text exactly, minus surrounding whitespace, and are at most
    MAX_SENTENCE_CHARS long."""
    spans = _bounded(text, _merge(text, lang, _split_stray_letters(text, _boundaries(lang, text))))
    out = []
    for start, end in spans:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            out.append((start + len(piece) - len(piece.lstrip()), stripped))
    return out


def segment_paragraph(lang: str, paragraph: Paragraph) -> Paragraph:
    sentences = []
    for i, (offset, text) in enumerate(split_sentences(lang, paragraph.text), 1):
        sentences.append(Sentence(paragraph=paragraph.index, index=i, line=paragraph.line_at(offset), text=text,
                                  start=offset))
    return replace(paragraph, sentences=tuple(sentences))


def segment(lang: str, paragraphs: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
    return tuple(segment_paragraph(lang, p) for p in paragraphs)


_END = re.compile(r"[.!?…。！？:;)\]\"'»”]\s*$")


def cut_pieces(paragraphs: tuple[Paragraph, ...]) -> int:
    """How many sentences are pieces of a run without sentence punctuation that `_bounded` cut (at least half the
    cap long, not ending as a sentence ends): what a notice tells the user."""
    return sum(1 for p in paragraphs for s in p.sentences
               if len(s.text) >= MAX_SENTENCE_CHARS // 2 and not _END.search(s.text))

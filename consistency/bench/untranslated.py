"""Naturally untranslated text: how much of the English that translators really left behind the checker finds, and
how many of its `untranslated` flags on clean text are real.

Works on a paragraph-parallel corpus with an English rendering (the manual pages, see scripts/). The gold labels
come from the texts, not from the checker: a translated paragraph is untranslated when it is a near-copy of the
English one (difflib ratio >= COPY_RATIO), reads as English prose (enough words, most of them clearly more
English than native), and another translation did translate it (what every translation keeps as it is, program
messages, licences, names, is kept on purpose). A flag is real when its paragraph is such a
copy, or when the flagged text is English prose that stands verbatim in the English paragraph (a phrase left behind
inside a translated paragraph).
"""
from __future__ import annotations

import time
from difflib import SequenceMatcher
from pathlib import Path

from consistency.bench.faults import SERIOUS, load_corpus, renderings
from consistency.checks.text import prose_words, zipf
from consistency.embed import CachedEmbedder, make_embedder
from consistency.pipeline import Settings, check_renderings

PIVOT = "en"
# po4a keeps an untranslated paragraph byte for byte; 0.9 also admits one that only had a word or a URL changed.
COPY_RATIO = 0.9
# English prose: a list of options or commands left as they are is not untranslated text.
MIN_WORDS = 4
ENGLISH_SHARE = 0.5
PROSE_SHARE = 0.5
# A word is clearly English when common in English and more so than natively by this margin (Indonesian web text
# is full of English words, so a wide margin would call "list directory contents" Indonesian).
ENGLISH_ZIPF = 3.0
ENGLISH_MARGIN = 0.5


def _prose(text: str, lang: str, min_words: int = MIN_WORDS) -> bool:
    words, chunks = prose_words(text)
    if len(words) < min_words or len(words) < PROSE_SHARE * chunks:
        return False
    english = [w for w in words if zipf(w.lower(), PIVOT) >= ENGLISH_ZIPF
               and zipf(w.lower(), PIVOT) - zipf(w.lower(), lang) >= ENGLISH_MARGIN]
    return len(english) >= ENGLISH_SHARE * len(words)


def _copy(text: str, source: str) -> bool:
    return SequenceMatcher(None, text, source, autojunk=False).ratio() >= COPY_RATIO


def labels(paragraphs: dict[str, list[str]]) -> set[tuple[str, int]]:
    """(lang, 1-based paragraph) of every translated paragraph left in English."""
    english = paragraphs.get(PIVOT)
    if english is None:
        return set()
    out = set()
    for lang, texts in paragraphs.items():
        if lang == PIVOT:
            continue
        for i, (text, source) in enumerate(zip(texts, english), 1):
            if not (_copy(text, source) and _prose(text, lang)):
                continue
            others = [ps[i - 1] for o, ps in paragraphs.items() if o not in (lang, PIVOT) and len(ps) >= i]
            if others and all(_copy(o, source) for o in others):
                continue  # every translation kept it: program messages, licences, names
            out.add((lang, i))
    return out


def is_real(text: str, lang: str, paragraph: int, paragraphs: dict[str, list[str]], gold: set) -> bool:
    if (lang, paragraph) in gold:
        return True
    source = paragraphs.get(PIVOT, [])
    if paragraph > len(source):
        return False
    return text.casefold() in source[paragraph - 1].casefold() and _prose(text, lang, min_words=1)


def run(corpus: Path, settings: Settings | None = None) -> dict:
    settings = settings or Settings()
    embedder = CachedEmbedder(lambda: make_embedder(settings.embedder), settings.embedder, settings.cache())
    start = time.perf_counter()
    labelled = found = flags = real = 0
    missed, false = [], []
    for doc in load_corpus(corpus):
        if PIVOT not in doc.paragraphs:
            continue
        gold = labels(doc.paragraphs)
        result = check_renderings(renderings(doc), settings, embedder=embedder, name=doc.name)
        mine = [f for f in result.findings if f.kind == "untranslated" and f.severity.value in SERIOUS]
        flagged = {(f.lang, f.paragraph) for f in mine}
        labelled += len(gold)
        found += len(gold & flagged)
        for lang, p in sorted(gold - flagged)[: max(0, 100 - len(missed))]:
            missed.append({"document": doc.name, "lang": lang, "paragraph": p,
                           "text": doc.paragraphs[lang][p - 1][:160]})
        for f in mine:
            flags += 1
            if is_real(f.text, f.lang, f.paragraph or 0, doc.paragraphs, gold):
                real += 1
            elif len(false) < 100:
                false.append({"document": doc.name, "lang": f.lang, "paragraph": f.paragraph, "text": f.text[:160],
                              "message": f.message})
    return {
        "corpus": str(corpus),
        "labelled_paragraphs": labelled,
        "found": found,
        "recall": round(found / labelled, 4) if labelled else None,
        "flags": flags,
        "real_flags": real,
        "precision": round(real / flags, 4) if flags else None,
        "wall_time_s": round(time.perf_counter() - start, 1),
        "missed": missed,
        "false_flags": false,
    }

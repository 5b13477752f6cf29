"""Language identification with lingua, loaded lazily and only for the languages that matter."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

# Below this many letters lingua's guess for a whole file is not worth trusting.
MIN_LETTERS_FOR_FILE = 20
# lingua's confidence for the top language of a whole file; well-formed text of a few sentences scores > 0.9.
MIN_FILE_CONFIDENCE = 0.5


def _lingua():
    import lingua  # noqa: PLC0415

    return lingua


def iso_of(language) -> str:
    return language.iso_code_639_1.name.lower()


@lru_cache(maxsize=1)
def _all_languages_detector():
    lingua = _lingua()
    # Low-accuracy mode (trigrams only) is reliable on whole documents and loads in a fraction of a second,
    # where high accuracy over all 75 languages takes ~5 s and ~900 MB.
    return lingua.LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def known_codes() -> set[str]:
    return {iso_of(lang) for lang in _lingua().Language.all()}


def detect_document(text: str) -> tuple[str | None, float]:
    """Best guess for a whole file and lingua's confidence in it; (None, 0) when there is too little text."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS_FOR_FILE:
        return None, 0.0
    values = _all_languages_detector().compute_language_confidence_values(text[:20000])
    if not values:
        return None, 0.0
    top = values[0]
    return iso_of(top.language), float(top.value)


@lru_cache(maxsize=16)
def _detector_for(codes: tuple[str, ...]):
    lingua = _lingua()
    langs = []
    for code in codes:
        try:
            langs.append(lingua.Language.from_iso_code_639_1(getattr(lingua.IsoCode639_1, code.upper())))
        except (AttributeError, ValueError):
            continue
    if len(langs) < 2:
        return None
    return lingua.LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()


class FragmentDetector:
    """Scores short texts against a closed set of languages (the document's own, plus English)."""

    def __init__(self, codes: Iterable[str]):
        self.codes = tuple(sorted(set(codes)))
        self._det = _detector_for(self.codes)

    def confidences(self, text: str) -> dict[str, float]:
        if self._det is None or not text.strip():
            return {}
        return {iso_of(v.language): float(v.value) for v in self._det.compute_language_confidence_values(text)}

    def confidences_many(self, texts: list[str]) -> list[dict[str, float]]:
        if self._det is None:
            return [{} for _ in texts]
        rows = self._det.compute_language_confidence_values_in_parallel(texts)
        return [{iso_of(v.language): float(v.value) for v in row} for row in rows]

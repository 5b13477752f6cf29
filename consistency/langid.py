"""Language identification with lingua, loaded lazily and only for the languages that matter."""
from __future__ import annotations

import re
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


# --- BCP-47 tags ---------------------------------------------------------------------------------------------------

def base(tag: str) -> str:
    """The language of a tag: 'pt-BR' → 'pt', 'zh-Hant' → 'zh'. Word lists, dictionaries and lingua are asked in it."""
    return tag.replace("_", "-").split("-", 1)[0].lower()


@lru_cache(maxsize=1024)
def normalise_tag(code: str) -> str | None:
    """A valid BCP-47 tag in its standard form ('pt_br' → 'pt-BR', 'EN' → 'en', 'iw' → 'he', 'zh-hant' →
    'zh-Hant'), or None when `code` is none ('xx', 'und', 'english')."""
    import langcodes  # noqa: PLC0415

    raw = code.strip().replace("_", "-")
    try:
        if not raw or not langcodes.tag_is_valid(raw):
            return None
        tag = langcodes.standardize_tag(raw, macro=True)
    except (ValueError, LookupError):
        return None
    return None if base(tag) in ("und", "mul", "zxx", "mis") else tag


# gettext's locale modifiers that name a script (sr@latin), as BCP-47 script subtags.
LOCALE_SCRIPTS = {"latin": "-Latn", "cyrillic": "-Cyrl", "Latn": "-Latn", "Cyrl": "-Cyrl"}
_LOCALE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def locale_tag(value: str) -> str | None:
    """A locale as catalogues and their paths write it (`pt_BR`, `sr@latin`, `zh_Hant`) as a normalised BCP-47 tag
    (`pt-BR`, `sr-Latn`, `zh-Hant`), or None when it names no language."""
    value, _, modifier = value.strip().partition("@")
    value = value.replace("_", "-") + LOCALE_SCRIPTS.get(modifier, "")
    return normalise_tag(value) if _LOCALE.fullmatch(value) else None


def tag_problem(code: object) -> str | None:
    """Why `code` is not a language tag (None: it is one), in one line for --lang, --pivot and the config."""
    if not isinstance(code, str) or not code.strip():
        return "a language code cannot be empty; use a BCP-47 tag such as en, de or pt-BR"
    if normalise_tag(code) is None:
        return f"unknown language code {code!r}; use a BCP-47 tag such as en, de or pt-BR"
    return None


@lru_cache(maxsize=1024)
def is_language_name(code: str) -> bool:
    """Whether a file-name part names a language: a tag whose language lingua knows, or any valid two-letter
    language ('km', 'to'). Three-letter words ('the', 'new') are left alone: too many are ordinary words."""
    tag = normalise_tag(code)
    if tag is None:
        return False
    lang = base(code)
    return lang in known_codes() or (len(lang) == 2 and base(tag) == lang)


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
    for code in sorted({base(c) for c in codes}):
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
        # lingua answers in languages; the answers are keyed by the tags asked about ('pt-BR' gets 'pt''s).
        self._tags: dict[str, list[str]] = {}
        for code in self.codes:
            self._tags.setdefault(base(code), []).append(code)

    def _keyed(self, values) -> dict[str, float]:
        out: dict[str, float] = {}
        for v in values:
            iso = iso_of(v.language)
            for tag in self._tags.get(iso, [iso]):
                out[tag] = float(v.value)
        return out

    def confidences(self, text: str) -> dict[str, float]:
        if self._det is None or not text.strip():
            return {}
        return self._keyed(self._det.compute_language_confidence_values(text))

    def confidences_many(self, texts: list[str]) -> list[dict[str, float]]:
        if self._det is None:
            return [{} for _ in texts]
        rows = self._det.compute_language_confidence_values_in_parallel(texts)
        return [self._keyed(row) for row in rows]

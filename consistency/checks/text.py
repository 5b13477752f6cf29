"""Word-level helpers shared by the checks: tokens, accent folding, word frequencies, numbers."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

# Words: letters with inner hyphens ("rekan-rekan"), codes with digits ("H100", "V3"). Apostrophes split, so the
# French "d'IA" yields "IA" and "l'accès" yields "accès".
_TOKEN = regex.compile(r"[\p{L}\p{M}\p{Nd}]+(?:-[\p{L}\p{M}\p{Nd}]+)*")
_HAS_DIGIT = regex.compile(r"\p{Nd}")
_HAS_LETTER = regex.compile(r"\p{L}")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def folded(self) -> str:
        return fold(self.text)

    @property
    def is_number(self) -> bool:
        return bool(_HAS_DIGIT.search(self.text)) and not _HAS_LETTER.search(self.text)

    @property
    def has_digit(self) -> bool:
        return bool(_HAS_DIGIT.search(self.text))


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def word_forms(text: str) -> set[str]:
    """Folded tokens, their hyphen parts, and the parts without a plural/genitive -s ('H100-GPUs' → 'gpu')."""
    out = set()
    for t in tokens(text):
        f = t.folded
        parts = [f, *f.split("-")] if "-" in f else [f]
        for part in parts:
            if part:
                out.add(part)
                if len(part) > 3 and part.endswith("s"):
                    out.add(part[:-1])
    return out


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without accents: 'États' → 'etats', 'Süden' → 'suden'."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ß", "ss")


@lru_cache(maxsize=262144)
def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency (0 = unknown, 3 = once per million words, 7 = 'the'); 0 for unsupported languages."""
    from wordfreq import zipf_frequency  # noqa: PLC0415

    try:
        return float(zipf_frequency(word, lang))
    except (LookupError, ValueError):
        return 0.0


# A form one rendering uses this often is that translation's term for the thing ('Snapshot', the Indonesian
# 'konfig'), not a slip: untranslated and truncation both spare it.
TERM_USES = 2
# Languages that write compounds as one word: a run of two known words is normal there.
COMPOUNDING = {"de", "nl", "sv", "da", "nb", "no", "fi", "et", "hu", "is", "af", "lb"}
# Function words: this frequent (Zipf >= 5.5, i.e. 300 per million words) and short ('und', 'des', 'the', 'yang').
FUNCTION_WORD_ZIPF = 5.5
FUNCTION_WORD_LEN = 5


def is_function_word(word: str, lang: str) -> bool:
    return len(word) <= FUNCTION_WORD_LEN and zipf(word.lower(), lang) >= FUNCTION_WORD_ZIPF


@lru_cache(maxsize=64)
def has_wordlist(lang: str) -> bool:
    from wordfreq import available_languages  # noqa: PLC0415

    return lang in available_languages()


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def similar_names(a: str, b: str) -> bool:
    """Same name up to case, accents and one edit in longer names: 'China'~'Chine', 'Deepseek'~'DeepSeek'."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    if min(len(fa), len(fb)) >= 5:
        return edit_distance(fa, fb, 1) <= 1
    return False


# --- numbers -------------------------------------------------------------------------------------------------------

# Languages writing "1.000,5"; the rest write "1,000.5". French and many others group thousands with spaces.
DECIMAL_COMMA = {"de", "fr", "id", "es", "it", "pt", "nl", "da", "sv", "nb", "no", "fi", "pl", "cs", "sk", "ru", "uk",
                 "tr", "ro", "hu", "hr", "sl", "sr", "bg", "el", "ca", "et", "lv", "lt", "vi"}
# Letters may follow a number (units and ordinals: '512MB', '1023rd', '1023e'), not precede it ('H100').
_NUMBER = regex.compile(r"(?<![\p{L}\p{Nd}])\p{Nd}{1,3}(?:(?:[ \u00a0\u202f]|[.,'])\p{Nd}{3})+(?:[.,]\p{Nd}+)?"
                        r"(?![\p{Nd}])|(?<![\p{L}\p{Nd}])\p{Nd}+(?:[.,]\p{Nd}+)?(?![\p{Nd}])")


@dataclass(frozen=True)
class Number:
    value: float
    text: str
    start: int
    end: int


def numbers(text: str, lang: str) -> list[Number]:
    """Numbers written with digits, normalised per the language's separators: '200.000' (de) = '200 000' (fr)."""
    out = []
    comma_decimal = lang in DECIMAL_COMMA
    for m in _NUMBER.finditer(text):
        raw = m.group()
        s = raw.replace("\u00a0", " ").replace("\u202f", " ").replace("'", "")
        s = s.replace(" ", "")
        if comma_decimal:
            if regex.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", s) or regex.fullmatch(r"\d+(,\d+)?", s):
                s = s.replace(".", "").replace(",", ".")
            elif regex.fullmatch(r"\d+\.\d{1,2}", s):  # "3.5" in a decimal-comma text is still 3.5
                pass
            else:
                s = s.replace(",", "")
        else:
            s = s.replace(",", "")
        try:
            value = float(s)
        except ValueError:
            continue
        out.append(Number(value, raw, m.start(), m.end()))
    return out


# --- loanwords -----------------------------------------------------------------------------------------------------

# How a language spells words it borrows, as ordered (pattern, replacement) rewrites of a folded word. A stub that
# equals the borrowed spelling of a longer foreign word is that word ('Baltik' for 'Baltique', 'versi' for
# 'version'), not a truncation of it.
LOANWORD_SPELLING = {
    "id": [(r"que$", "k"), (r"ique$", "ik"), (r"ical$", "is"), (r"ic$", "ik"), (r"ist$", "is"), (r"tion$", "si"),
           (r"sion$", "si"), (r"ty$", "tas"), (r"ogy$", "ogi"), (r"ph", "f"), (r"th", "t"), (r"ch", "k"), (r"qu", "k"),
           (r"q", "k"),
           (r"x", "ks"), (r"c(?=[eiy])", "s"), (r"c", "k"), (r"y", "i"), (r"([bdfgklmnprst])\1", r"\1")],
    "ms": [(r"que$", "k"), (r"ic$", "ik"), (r"tion$", "si"), (r"ph", "f"), (r"th", "t"), (r"c(?=[eiy])", "s"),
           (r"c", "k"), (r"y", "i"), (r"([bdfgklmnprst])\1", r"\1")],
}


@lru_cache(maxsize=65536)
def borrowed(word: str, lang: str) -> str:
    """`word` (folded) as `lang` would spell it as a loanword; unchanged for languages without rules."""
    for pattern, repl in LOANWORD_SPELLING.get(lang, ()):
        word = regex.sub(pattern, repl, word)
    return word


# A prose word: letters only (inner hyphens and apostrophes allowed) once the punctuation around it is gone.
# Options (--help), paths, calls (chown(1)), codes and numbers are not prose.
_PROSE_WORD = regex.compile(r"[\p{L}\p{M}]{2,}(?:['’-][\p{L}\p{M}]+)*")
_EDGE_PUNCT = "\"'“”„«»‚‘’()[]{}.,;:!?…"


def prose_words(text: str) -> tuple[list[str], int]:
    """The prose words of a text and the number of whitespace-separated tokens they were drawn from."""
    chunks = text.split()
    words = [c.strip(_EDGE_PUNCT) for c in chunks]
    return [w for w in words if _PROSE_WORD.fullmatch(w)], len(chunks)

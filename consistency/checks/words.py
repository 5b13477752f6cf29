"""Word-level defects inside one rendering: doubled words and glued words."""
from __future__ import annotations

from typing import Iterator

import regex

from consistency.checks.base import Check, Context, register
from consistency.checks.text import fold, has_wordlist, tokens, zipf
from consistency.model import Finding, Severity

# Words a language legitimately repeats ("..., die die Regierung", "nous nous", "that that").
LEGIT_DOUBLES = {
    "de": {"die", "der", "das", "dass", "sie", "ist", "war"},
    "fr": {"nous", "vous", "la", "le", "les"},
    "en": {"had", "that", "is", "do"},
    "id": {"sangat"},
}
_DOUBLE = regex.compile(r"(?<![\p{L}\p{Nd}-])([\p{L}\p{Nd}]+)\s+(\1)(?![\p{L}\p{Nd}])", regex.IGNORECASE)


@register
class DoubledWord(Check):
    kind = "doubled_word"
    severity = Severity.ERROR
    description = "the same word twice in a row ('wie wie', 'GPU GPU')"

    def run(self, ctx: Context) -> Iterator[Finding]:
        for r in ctx.renderings:
            legit = LEGIT_DOUBLES.get(r.lang, set())
            for s in r.sentences:
                for m in _DOUBLE.finditer(s.text):
                    word = m.group(1)
                    if word.isdigit():
                        continue
                    doubtful = fold(word) in legit
                    yield ctx.finding(
                        self, r.lang, s, m.group(), f"'{word}' is doubled", 0.5 if doubtful else 0.95,
                        severity=Severity.INFO if doubtful else None, start=m.start())


# Frequency (Zipf) above which a piece counts as a word of the language: ~1 per million words.
GLUE_PART_ZIPF = 3.0
# Lower bar for the second part of a lowercase glue: long inflected words are rarer ("affaiblissant" 2.5).
GLUE_TAIL_ZIPF = 2.0
# Languages that write compounds as one word: a lowercase run of two known words is normal there.
COMPOUNDING = {"de", "nl", "sv", "da", "nb", "no", "fi", "et", "hu", "is", "af", "lb"}
# Productive prefixes written solid ('semikonduktor', 'multinational'): a known prefix plus a word is one word.
PREFIXES = {"semi", "multi", "anti", "non", "pre", "post", "inter", "super", "ultra", "mega", "micro", "mini", "auto",
            "bio", "eco", "geo", "neo", "pro", "sub", "trans", "hyper", "tele", "para", "meta", "poli", "infra",
            "extra", "contra", "counter", "over", "under", "out", "self", "pseudo", "proto", "mono", "bi", "tri"}
# Derivational prefixes that look like words of their own (Indonesian 'peng|kritik', 'ber|kembang').
LANG_PREFIXES = {
    "id": {"me", "mem", "men", "meng", "meny", "menge", "pe", "pem", "pen", "peng", "peny", "per", "ber", "ter", "di",
           "ke", "se", "memper", "diper", "ku", "kau"},
    "fr": {"entre", "sur", "sous", "contre", "auto"},
}
_CASE_GLUE = regex.compile(r"\p{Ll}{2,}\p{Lu}\p{Ll}+")
_QUOTE_GLUE = regex.compile(r"(?<=\p{L})[«“„\"](?=\p{L})")
_SENTENCE_GLUE = regex.compile(r"(?<=\p{Ll}{2})[.!?](?=\p{Lu}\p{Ll})")


@register
class GluedWord(Check):
    kind = "glued_word"
    severity = Severity.ERROR
    description = "two words or sentences written without the space between them ('aufrechterhaltenFür')"

    def run(self, ctx: Context) -> Iterator[Finding]:
        for r in ctx.renderings:
            shared = _other_tokens(ctx, r.lang)
            for s in r.sentences:
                for t in tokens(s.text):
                    hit = _case_glue(t.text, r.lang, shared) or _lower_glue(t.text, r.lang, shared)
                    if hit:
                        yield ctx.finding(self, r.lang, s, t.text, f"'{t.text}' looks like '{hit[0]} {hit[1]}' "
                                          f"run together", 0.9, start=t.start)
                for pattern, message, score in ((_QUOTE_GLUE, "a quotation mark glued between two words", 0.6),
                                                (_SENTENCE_GLUE, "two sentences run together without a space", 0.7)):
                    for m in pattern.finditer(s.text):
                        chunk = _chunk_around(s.text, m.start())
                        yield ctx.finding(self, r.lang, s, s.text[chunk[0] : chunk[1]], message, score,
                                          severity=Severity.WARNING, start=chunk[0])


def _chunk_around(text: str, at: int) -> tuple[int, int]:
    """The whitespace-delimited stretch of text around position `at`."""
    start = text.rfind(" ", 0, at) + 1
    end = text.find(" ", at)
    return start, len(text) if end < 0 else end


def _other_tokens(ctx: Context, lang: str) -> set[str]:
    return {t.folded for r in ctx.renderings if r.lang != lang for p in r.paragraphs for t in tokens(p.text)}


def _case_glue(word: str, lang: str, shared: set[str]) -> tuple[str, str] | None:
    """'aufrechterhaltenFür' → ('aufrechterhalten', 'Für'); names such as 'OpenAI' or 'iPhone' are not glue."""
    m = _CASE_GLUE.search(word)
    if not m or fold(word) in shared:
        return None
    cut = m.start() + len(regex.match(r"\p{Ll}+", word[m.start():]).group())
    head, tail = word[:cut], word[cut:]
    if len(head) < 3 or len(tail) < 3:
        return None
    # The head may be a name ('DepseekBerpotensi'); the tail must be a word of the language.
    head_ok = len(head) >= 4 or zipf(head.lower(), lang) >= GLUE_PART_ZIPF
    tail_known = zipf(tail.lower(), lang) >= GLUE_PART_ZIPF
    return (head, tail) if head_ok and tail_known else None


def _lower_glue(word: str, lang: str, shared: set[str]) -> tuple[str, str] | None:
    """'offriraffaiblissant' → ('offrir', 'affaiblissant'), in languages that do not write compounds as one word."""
    if lang in COMPOUNDING or not has_wordlist(lang) or len(word) < 9 or not word.islower():
        return None
    if zipf(word, lang) > 0 or fold(word) in shared:
        return None
    best = None
    for k in range(4, len(word) - 3):
        head, tail = word[:k], word[k:]
        if head in PREFIXES or head in LANG_PREFIXES.get(lang, ()):
            continue
        zh, zt = zipf(head, lang), zipf(tail, lang)
        if zh >= GLUE_PART_ZIPF and zt >= GLUE_TAIL_ZIPF:
            score = min(zh, zt)
            if best is None or score > best[0]:
                best = (score, head, tail)
    return (best[1], best[2]) if best else None

"""Doubled words: the same word twice in a row."""
from __future__ import annotations

from typing import Iterator

import regex

from consistency.checks.base import Check, Context, register
from consistency.checks.text import fold
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

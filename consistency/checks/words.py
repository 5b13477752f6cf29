"""Doubled words: the same word twice in a row."""
from __future__ import annotations

from typing import Iterator

import regex

from consistency.checks.base import Check, Context, register
from consistency.model import Finding, Severity

# Words a language legitimately repeats, lower-case and mid-sentence: a relative pronoun before an article
# ("…, die die Regierung", "…, dass sie sie"), a reflexive ("nous nous"), English "had had" / "that that".
LEGIT_DOUBLES = {
    "de": {"die", "der", "das", "sie", "es"},
    "fr": {"nous", "vous"},
    "en": {"had", "that", "is", "do"},
    "id": {"sangat"},
}
# German articles double legitimately only right after the comma that opens a relative clause.
AFTER_COMMA = {"de": {"die", "der", "das"}}
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
                    before = s.text[: m.start()].rstrip()
                    second = m.group(2)  # 'Nous nous' is legit, 'Der Der' is not
                    doubtful = (second.islower() and second in legit
                                and (second not in AFTER_COMMA.get(r.lang, ()) or before.endswith(",")))
                    yield ctx.finding(
                        self, r.lang, s, m.group(), f"'{word}' is doubled", 0.5 if doubtful else 0.95,
                        severity=Severity.INFO if doubtful else None, start=m.start())

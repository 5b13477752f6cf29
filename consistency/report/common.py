"""Small pieces several renderers share: excerpts, locations, the evidence as plain lines."""
from __future__ import annotations

import re
from typing import Iterable

from consistency.model import Finding, Severity

EXCERPT = 90
# Control characters from a document would drive a terminal (escape sequences) or break XML 1.0.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


def excerpt(text: str, width: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def at_least(findings: Iterable[Finding], severity: str) -> list[Finding]:
    if severity == "never":
        return []
    floor = Severity(severity).rank
    return [f for f in findings if f.severity.rank >= floor]


def location(f: Finding) -> str:
    where = f"{f.lang} ¶{f.paragraph}" if f.paragraph else f.lang
    if f.sentence:
        where += f".{f.sentence}"
    return where + (f" l.{f.line}" if f.line else "")


def evidence_lines(f: Finding) -> list[str]:
    """The counterpart sentences (and back-translations) that make the case, one line each."""
    lines = []
    if f.evidence.get("backtranslation"):
        lines.append(f"back-translation: {f.evidence['backtranslation']}")
    for c in f.evidence.get("counterparts", []):
        line = f"{c['lang']} ¶{c['paragraph']}: {c['text']}"
        if c.get("backtranslation"):
            line += f" (→ {c['backtranslation']})"
        lines.append(line)
    return lines

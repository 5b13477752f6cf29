"""Small pieces several renderers share: safe text, excerpts, locations, the evidence as plain lines."""
from __future__ import annotations

import re
from pathlib import PurePath
from typing import Iterable, NamedTuple

from consistency.model import Finding, Result, Severity

EXCERPT = 90
# What text from a document or a file name must not carry into a report: C0 and C1 control characters (escape
# sequences drive a terminal, a carriage return or a newline forges a line, most of them break XML 1.0), lone
# surrogates and non-characters (break XML and UTF-8 output), the Unicode line and paragraph separators, and the
# bidirectional embeddings, overrides and isolates that reorder what a reader sees ("Trojan Source").
_OTHERS = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_CONTROL = re.compile(f"[\x00-\x1f{_OTHERS}]")
_CONTROL_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f{_OTHERS}]")


def _escape(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def printable(text: str) -> str:
    """One piece of text (document text, a file name, a message) made safe to print on one line: every control
    character is shown escaped, as Python writes it (ESC → `\\x1b`, a newline → `\\x0a`). The result is plain
    text that is also valid in XML 1.0 and in UTF-8."""
    return _CONTROL.sub(_escape, text)


def printable_lines(text: str) -> str:
    """printable() for a whole report: the same, except that newlines are kept."""
    return _CONTROL_BUT_NEWLINE.sub(_escape, text)


def excerpt(text: str, width: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


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


def where(f: Finding) -> str:
    """The finding's place in the document's structure: 'id ¶2.1' (language, paragraph, sentence)."""
    out = f"{f.lang} ¶{f.paragraph}" if f.paragraph else f.lang
    return out + (f".{f.sentence}" if f.sentence else "")


class Span(NamedTuple):
    """Where a finding's text sits in its file: 1-based lines, and 1-based columns in Unicode code points (the
    column of the first character, and the column just after the last one, as SARIF counts), when they are known."""

    line: int
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None


def _markup(path: str) -> bool:
    from consistency.load import TEXT_SUFFIXES  # noqa: PLC0415

    return PurePath(path).suffix.lower() not in TEXT_SUFFIXES


def span(f: Finding, result: Result | None = None) -> Span:
    """The finding's line, and its columns where the offsets allow: the finding's text must stand at its offset in
    the paragraph, and the file must be plain text (Markdown and HTML lose their markup on load, so an offset in the
    paragraph is no column in the file). A loader that records how many characters it stripped at the start of each
    source line (`Paragraph.indents`) makes the columns exact for indented lines too."""
    line = f.line or 1
    if result is None or not f.paragraph or not f.text or _markup(f.path):
        return Span(line)
    try:
        para = result.rendering(f.lang).paragraph(f.paragraph)
    except (KeyError, IndexError):
        return Span(line)
    start = f.start if f.start is not None else 0 if f.text == para.text else None  # a whole paragraph
    if start is None:
        return Span(line)
    end = start + len(f.text)
    if start < 0 or para.text[start:end] != f.text:
        return Span(line)
    indents = getattr(para, "indents", None) or ()

    def at(offset: int) -> tuple[int, int]:
        k = sum(1 for b in para.breaks if b <= offset)  # source lines before this one, inside the paragraph
        line_start = para.breaks[k - 1] if k else 0
        indent = indents[k] if k < len(indents) else 0
        return para.line + k, offset - line_start + 1 + indent

    first_line, first_col = at(start)
    last_line, last_col = at(end - 1)
    return Span(first_line, first_col, last_line, last_col + 1)


def path_position(f: Finding, result: Result | None = None) -> str:
    """'path:line:col' (or 'path:line'), the form editors and terminals make clickable."""
    s = span(f, result)
    return f"{f.path}:{s.line}" + (f":{s.column}" if s.column else "")


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


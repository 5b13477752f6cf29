"""Terminal report: findings grouped by aligned paragraph, each at `path:line:col` (the form editors and terminals
make clickable) with its place in the document (language, paragraph, sentence), then a summary.

By default the output is plain and 100 columns wide, the same bytes wherever it is written. `color=None` and
`width=None` ask for the terminal's own: colour when standard output is a terminal and NO_COLOR is not set, and the
terminal's width (for the report printed on the terminal, never for a file)."""
from __future__ import annotations

import os
import shutil
import sys
import textwrap
from typing import Any, Callable

from consistency import __version__
from consistency.model import Corpus, Finding, Result, Severity
from consistency.report.common import excerpt as _excerpt, path_position, printable, where
from consistency.report.json import corpus_summary, summary

WIDTH = 100
MIN_WIDTH = 60
INDENT = " " * 10
_SGR = {"error": "1;31", "warning": "33", "info": "36", "kind": "1", "heading": "1", "dim": "2"}


def use_color(stream=None) -> bool:
    """Colour for this stream: a terminal, NO_COLOR unset (https://no-color.org), TERM not 'dumb'."""
    stream = stream if stream is not None else sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def terminal_width(stream=None) -> int:
    """The terminal's width when the stream is one, else WIDTH."""
    stream = stream if stream is not None else sys.stdout
    try:
        if stream.isatty():
            return max(MIN_WIDTH, shutil.get_terminal_size((WIDTH, 24)).columns)
    except (AttributeError, ValueError, OSError):
        pass
    return WIDTH


def _styler(color: bool) -> Callable[[str, str], str]:
    if not color:
        return lambda text, style: text
    return lambda text, style: f"\x1b[{_SGR[style]}m{text}\x1b[0m" if text else text


def _finding(f: Finding, result: Result, width: int, paint, counterparts: bool) -> list[str]:
    sev, kind = f.severity.value, f.kind
    head = (f"  {paint(f'{sev:<7}', sev)} {paint(f'{kind:<19}', 'kind')} {printable(path_position(f, result))}"
            f"  {paint(printable(where(f)), 'dim')}")
    score = f"[{f.score:.2f}]"
    body = textwrap.wrap(f"{printable(f.message)} {score}", width=width, initial_indent=INDENT,
                         subsequent_indent=INDENT, break_long_words=False, break_on_hyphens=False)
    if body and body[-1].endswith(score):
        body[-1] = body[-1][: -len(score)] + paint(score, "dim")
    lines = [head, *body, f"{INDENT}“{printable(_excerpt(f.text, max(20, width - len(INDENT) - 2)))}”"]
    if counterparts:
        for c in f.evidence.get("counterparts", []):
            label = f"{c['lang']} ¶{c['paragraph']}  "
            text = _excerpt(c["text"], max(20, width - len(INDENT) - len(label)))
            lines.append(INDENT + paint(printable(label + text), "dim"))
    return lines


def render_document(result: Result, min_severity: str = "warning", width: int = WIDTH, color: bool = False,
                    counterparts: bool = False) -> str:
    paint = _styler(color)
    floor = Severity(min_severity).rank
    lines = [paint(f"consistency {__version__}" + (f" — {printable(result.name)}" if result.name else ""),
                   "heading")]
    for r in result.renderings:
        role = "source, " if r.lang == result.source else ""
        lines.append(f"  {printable(r.lang)}  {printable(r.path)}  "
                     f"({role}{len(r.paragraphs)} paragraphs, {len(r.sentences)} sentences)")
    shown = [f for f in result.findings if f.severity.rank >= floor]
    by_group: dict[int | None, list] = {}
    for f in shown:
        by_group.setdefault(f.group, []).append(f)
    order = lambda f: (-f.severity.rank, f.lang, f.sentence or 0, f.start or 0, f.kind)  # noqa: E731
    for g in result.paragraph_groups:
        items = by_group.get(g.index, [])
        if not items:
            continue
        members = " · ".join(f"{lang} ¶{','.join(map(str, ps))}" if ps else f"{lang} —"
                             for lang, ps in g.members.items())
        lines += ["", paint(f"§{g.index}  {printable(members)}", "heading")]
        for f in sorted(items, key=order):
            lines += _finding(f, result, width, paint, counterparts)
    orphans = by_group.get(None, [])
    if orphans:
        lines += ["", paint("elsewhere", "heading")]
        for f in sorted(orphans, key=order):
            lines += _finding(f, result, width, paint, counterparts)
    s = summary(result)
    sev = s["by_severity"]
    hidden = len(result.findings) - len(shown)
    lines += ["", f"{s['findings']} finding{'' if s['findings'] == 1 else 's'}: {paint(str(sev['error']) + ' error', 'error' if sev['error'] else 'dim')}"
                  f", {sev['warning']} warning, {sev['info']} info"
              + (f" ({hidden} below {min_severity} not listed)" if hidden else "")]
    if s["by_kind"]:
        lines += textwrap.wrap("  by kind: " + ", ".join(f"{k} {v}" for k, v in s["by_kind"].items()), width=width,
                               subsequent_indent="    ", break_on_hyphens=False)
        lines += textwrap.wrap("  by rendering: " + printable(", ".join(f"{k} {v}" for k, v in s["by_lang"].items())),
                               width=width, subsequent_indent="    ", break_on_hyphens=False)
    lines.append(f"  alignment: {s['paragraph_groups']} paragraph groups "
                 f"({s['unaligned_paragraph_groups']} not in every rendering), {s['sentence_groups']} sentence groups")
    return "\n".join(lines) + "\n"


def _looks(color: bool | None, width: int | None) -> tuple[bool, int]:
    return (use_color() if color is None else color), max(MIN_WIDTH, terminal_width() if width is None else width)


def render(corpus: Corpus, min_severity: str = "warning", color: bool | None = False, width: int | None = WIDTH,
           counterparts: bool = False, **_: Any) -> str:
    """color: True, False, or None for use_color() on standard output. width: columns to fit, or None for
    terminal_width() of standard output. counterparts: a line of each counterpart's text under each finding."""
    color, width = _looks(color, width)
    parts = [render_document(d, min_severity, width, color, counterparts) for d in corpus.documents]
    return "\n".join(parts + _tail(corpus))


def _tail(corpus: Corpus) -> list[str]:
    parts = []
    if len(corpus.documents) > 1:
        total = corpus_summary(corpus)
        sev = total["by_severity"]
        parts.append(f"{total['documents']} documents: {total['findings']} finding{'' if total['findings'] == 1 else 's'} ({sev['error']} error, "
                     f"{sev['warning']} warning, {sev['info']} info)\n")
    if corpus.baselined:
        parts.append(f"{corpus.baselined} known finding(s) left out by the baseline\n")
    if corpus.unmatched:
        parts.append("no counterpart (not checked)\n" + "".join(
            f"  {printable(u.lang)}  {printable(u.path)}  {printable(u.reason)}\n" for u in corpus.unmatched))
    return parts


# Streaming (consistency/report/stream.py): the same text, one document at a time.
SEPARATOR = "\n"


def document_part(result: Result, min_severity: str = "warning", color: bool | None = False,
                  width: int | None = WIDTH, counterparts: bool = False, **_: Any) -> str:
    color, width = _looks(color, width)
    return render_document(result, min_severity, width, color, counterparts)


def frame(corpus: Corpus, **_: Any) -> tuple[str, str]:
    """(head, tail) around the document parts, for a corpus of at least one document whose findings (not text)
    `corpus` holds."""
    return "", "".join(SEPARATOR + part for part in _tail(corpus))

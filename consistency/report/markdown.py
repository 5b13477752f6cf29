"""Markdown for a pull-request comment: a summary table, then the findings grouped by aligned paragraph, with the
evidence folded away. Document text is escaped so that it can neither format nor inject HTML."""
from __future__ import annotations

import re
from typing import Any

from consistency import __version__
from consistency.model import Corpus, Result
from consistency.report.common import at_least, evidence_lines, excerpt, location, printable
from consistency.report.json import summary

ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}
# Also @ # $ : so that document text cannot mention people, link issues, start maths or autolink a URL.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&@#$:])")


def md(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _document(result: Result, min_severity: str) -> list[str]:
    s = summary(result)
    sev = s["by_severity"]
    title = md(result.name) if result.name else "document"
    out = [f"### {title}: {s['findings']} findings "
           f"({sev['error']} error, {sev['warning']} warning, {sev['info']} info)", "",
           "| rendering | file | paragraphs | sentences | findings |", "|---|---|--:|--:|--:|"]
    for r in result.renderings:
        out.append(f"| {md(r.lang)} | {md(r.path)} | {len(r.paragraphs)} | {len(r.sentences)} | {s['by_lang'][r.lang]} |")
    if s["by_kind"]:
        out += ["", "By kind: " + ", ".join(f"`{k}` {v}" for k, v in s["by_kind"].items())]
    shown = at_least(result.findings, min_severity)
    hidden = len(result.findings) - len(shown)
    if hidden:
        out += ["", f"_{hidden} finding(s) below {min_severity} not listed._"]
    by_group: dict[Any, list] = {}
    for f in shown:
        by_group.setdefault(f.group, []).append(f)
    for g in result.paragraph_groups:
        items = by_group.get(g.index)
        if not items:
            continue
        where = " · ".join(f"{lang} ¶{','.join(map(str, ps))}" if ps else f"{lang} —" for lang, ps in g.members.items())
        out += ["", f"#### §{g.index} — {where}", ""]
        out += _items(items)
    if by_group.get(None):
        out += ["", "#### elsewhere", ""] + _items(by_group[None])
    return out


def _items(findings) -> list[str]:
    out = []
    for f in sorted(findings, key=lambda f: (-f.severity.rank, f.lang, f.sentence or 0, f.start or 0, f.kind)):
        out.append(f"- {ICON[f.severity.value]} **{f.kind}** {location(f)} — {md(f.message)} ({f.score:.2f})  ")
        out.append(f"  “{md(excerpt(f.text, 160))}”")
        lines = evidence_lines(f)
        if lines:
            out.append("  <details><summary>evidence</summary>\n")
            out += [f"  - {md(line)}" for line in lines]
            out.append("\n  </details>")
    return out


def render(corpus: Corpus, min_severity: str = "warning", **_: Any) -> str:
    total = len(corpus.findings)
    out = [f"## consistency {__version__}: {total} finding{'s' if total != 1 else ''} in "
           f"{len(corpus.documents)} document{'s' if len(corpus.documents) != 1 else ''}"]
    if corpus.baselined:
        out += ["", f"_{corpus.baselined} known finding(s) suppressed by the baseline._"]
    for d in corpus.documents:
        out += [""] + _document(d, min_severity)
    if corpus.unmatched:
        out += ["", "### no counterpart (not checked)", ""]
        out += [f"- {md(u.lang)} {md(u.path)} — {md(u.reason)}" for u in corpus.unmatched]
    return printable("\n".join(out) + "\n")

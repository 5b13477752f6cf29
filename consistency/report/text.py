"""Terminal report: findings grouped by aligned paragraph, then a summary."""
from __future__ import annotations

from typing import Any

from consistency import __version__
from consistency.model import Corpus, Result, Severity
from consistency.report.common import excerpt as _excerpt, printable
from consistency.report.json import corpus_summary, summary



def render_document(result: Result, min_severity: str = "warning") -> str:
    floor = Severity(min_severity).rank
    lines = [f"consistency {__version__}" + (f" — {result.name}" if result.name else "")]
    for r in result.renderings:
        lines.append(f"  {r.lang}  {r.path}  ({len(r.paragraphs)} paragraphs, {len(r.sentences)} sentences)")
    shown = [f for f in result.findings if f.severity.rank >= floor]
    by_group: dict[int | None, list] = {}
    for f in shown:
        by_group.setdefault(f.group, []).append(f)
    for g in result.paragraph_groups:
        items = by_group.get(g.index, [])
        if not items:
            continue
        where = " · ".join(f"{lang} ¶{','.join(map(str, ps))}" if ps else f"{lang} —" for lang, ps in g.members.items())
        lines += ["", f"§{g.index}  {where}"]
        for f in sorted(items, key=lambda f: (-f.severity.rank, f.lang, f.sentence or 0, f.start or 0, f.kind)):
            loc = f"{f.lang} ¶{f.paragraph}" + (f".{f.sentence}" if f.sentence else "") + f" l.{f.line}"
            lines.append(f"  {f.severity.value:<7} {f.kind:<19} {loc:<14} {f.message} [{f.score:.2f}]")
            lines.append(f"          “{_excerpt(f.text)}”")
    orphans = by_group.get(None, [])
    if orphans:
        lines += ["", "elsewhere"]
        for f in orphans:
            lines.append(f"  {f.severity.value:<7} {f.kind:<19} {f.lang} {f.message} [{f.score:.2f}]")
    s = summary(result)
    sev = s["by_severity"]
    hidden = len(result.findings) - len(shown)
    lines += ["", f"{s['findings']} findings: {sev['error']} error, {sev['warning']} warning, {sev['info']} info"
              + (f" ({hidden} below {min_severity} not listed)" if hidden else "")]
    if s["by_kind"]:
        lines.append("  by kind: " + ", ".join(f"{k} {v}" for k, v in s["by_kind"].items()))
        lines.append("  by rendering: " + ", ".join(f"{k} {v}" for k, v in s["by_lang"].items()))
    lines.append(f"  alignment: {s['paragraph_groups']} paragraph groups "
                 f"({s['unaligned_paragraph_groups']} not in every rendering), {s['sentence_groups']} sentence groups")
    return "\n".join(lines) + "\n"


def render(corpus: Corpus, min_severity: str = "warning", **_: Any) -> str:
    parts = [render_document(d, min_severity) for d in corpus.documents]
    if len(corpus.documents) > 1:
        total = corpus_summary(corpus)
        sev = total["by_severity"]
        parts.append(f"{total['documents']} documents: {total['findings']} findings ({sev['error']} error, "
                     f"{sev['warning']} warning, {sev['info']} info)\n")
    if corpus.baselined:
        parts.append(f"{corpus.baselined} known finding(s) left out by the baseline\n")
    if corpus.unmatched:
        parts.append("no counterpart (not checked)\n" + "".join(
            f"  {u.lang}  {u.path}  {u.reason}\n" for u in corpus.unmatched))
    return printable("\n".join(parts))

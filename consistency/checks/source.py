"""Source-aware attribution. When one rendering is the original (`--source`, or a catalogue's source), findings
are never blamed on it: a check that finds the source "shorter than its counterparts" has found translations
that added content, and a source paragraph "with no counterpart" has found translations that dropped it. Every
other finding on the source is about the source's own text, which is not what a translation check reports.

Also the two kinds that exist only with a source or a catalogue: `addition` and `fuzzy`.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Iterator

from consistency.checks.base import Check, Context, register
from consistency.model import Finding, Severity


@register
class Addition(Check):
    """Findings made by `attribute` from the source's apparent omissions; nothing runs without a source."""

    kind = "addition"
    severity = Severity.WARNING
    description = "a translation carries content its source does not (an addition, or text from elsewhere)"

    def run(self, ctx: Context) -> Iterator[Finding]:
        return iter(())


@register
class Fuzzy(Check):
    """Entries the catalogue itself marks fuzzy or needing review (PO `#, fuzzy`, XLIFF `needs-*`, `initial`):
    stated by the input, so they reach the report through `Context.stated`, not through a comparison."""

    kind = "fuzzy"
    severity = Severity.WARNING
    description = "an entry its catalogue marks fuzzy or needing review: readers do not see it yet"

    def run(self, ctx: Context) -> Iterator[Finding]:
        return iter(())


def attribute(findings: Iterable[Finding], ctx: Context) -> list[Finding]:
    """The findings with none on `ctx.source`: omissions on the source become additions in the translations that
    have the extra text, and a source-only paragraph becomes an omission in every translation. Without a source
    (or with the source not among the renderings) the findings are returned unchanged."""
    source = ctx.source
    if source is None or source not in ctx.by_lang:
        return list(findings)
    out = []
    for f in findings:
        if f.lang != source:
            out.append(f)
        elif f.kind == "omission":
            out.extend(_additions(f, ctx))
        elif f.kind == "unaligned_paragraph":
            out.extend(_dropped_paragraphs(f, ctx))
    return out


def _additions(f: Finding, ctx: Context) -> Iterator[Finding]:
    group = ctx.group_of_sentence.get((f.lang, (f.paragraph, f.sentence))) if f.sentence else None
    if group is None:
        return
    source_text = ctx.text(f.lang, group.members[f.lang])
    for lang, refs in sorted(group.members.items()):
        if lang == f.lang or not refs:
            continue
        sentences = ctx.sentences(lang, refs)
        first = sentences[0]
        para = ctx.by_lang[lang].paragraph(first.paragraph)
        yield Finding(
            kind="addition", severity=f.severity, lang=lang, path=ctx.by_lang[lang].path,
            paragraph=first.paragraph, line=para.line_at(first.start), text=" ".join(s.text for s in sentences),
            message="longer than its source: content may have been added", score=f.score,
            evidence={**{k: v for k, v in f.evidence.items() if k != "counterparts"},
                      "counterparts": [{"lang": f.lang, "paragraph": f.paragraph, "line": f.line, "text": source_text,
                                        "backtranslation": None}]},
            sentence=first.index, start=first.start, group=f.group)


def _dropped_paragraphs(f: Finding, ctx: Context) -> Iterator[Finding]:
    """The source paragraph lacks counterparts: each translation dropped it. Located at the translation's last
    paragraph before the gap (where the text should have followed), or its first paragraph."""
    order = sorted(ctx.paragraph_groups, key=lambda g: g.index)
    at = next((i for i, g in enumerate(order) if f.paragraph in g.members.get(f.lang, ())), None)
    if at is None:
        return
    for lang in ctx.langs:
        if lang == f.lang:
            continue
        before = [g.members[lang][-1] for g in order[:at] if g.members.get(lang)]
        index = before[-1] if before else None
        para = ctx.by_lang[lang].paragraph(index) if index else None
        yield replace(
            f, kind="omission", lang=lang, path=ctx.by_lang[lang].path, paragraph=index,
            line=para.line if para else None, sentence=None, start=None,
            message=f"a source paragraph has no counterpart here: dropped? ({f.lang} ¶{f.paragraph})",
            evidence={"counterparts": [{"lang": f.lang, "paragraph": f.paragraph, "line": f.line, "text": f.text,
                                        "backtranslation": None}]})

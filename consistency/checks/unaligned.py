"""Unaligned paragraph: a paragraph that no other rendering has (an added title, a paragraph pasted twice)."""
from __future__ import annotations

from typing import Iterator

from consistency.checks.base import Check, Context, register
from consistency.model import Finding, Severity


@register
class UnalignedParagraph(Check):
    kind = "unaligned_paragraph"
    severity = Severity.WARNING
    description = "a paragraph with no counterpart in the other renderings"

    def run(self, ctx: Context) -> Iterator[Finding]:
        for pg in ctx.paragraph_groups:
            present = pg.present()
            if len(present) != 1 or len(ctx.langs) < 2:
                continue
            lang = present[0]
            others = [x for x in ctx.langs if x != lang]
            if pg.index in ctx.moves(lang).values():
                continue  # the others have it elsewhere: a section moved (reported by `omission`, at info)
            for index in pg.members[lang]:
                para = ctx.by_lang[lang].paragraph(index)
                what = "heading" if para.heading or (len(para.sentences) == 1 and len(para.text) < 200) else "paragraph"
                yield ctx.finding(
                    self, lang, None, para.text, f"this {what} has no counterpart in {', '.join(others)}",
                    0.9 if len(others) >= 2 else 0.7, paragraph=index)

"""Check stage: small checks in a registry, each yielding findings about the aligned renderings."""
from __future__ import annotations

from typing import Iterable

from consistency.checks import (  # noqa: F401  (importing registers the checks)
    anchors, garbled, glue, omission, placeholders, source, truncation, unaligned, untranslated, words)
from consistency.checks.base import CHECKS, Check, Context, register
from consistency.checks.source import attribute
from consistency.model import Finding

__all__ = ["CHECKS", "Check", "Context", "register", "run_checks"]


def run_checks(ctx: Context, disabled: Iterable[str] = ()) -> tuple[Finding, ...]:
    """Every registered check not disabled, plus what the input states itself, attributed to the translations
    when there is a source; sorted, one finding per kind, place and text."""
    off = set(disabled)
    findings: list[Finding] = []
    for kind in sorted(CHECKS):
        if kind not in off:
            findings.extend(CHECKS[kind]().run(ctx))
            findings.extend(f for f in ctx.stated if f.kind == kind)
    findings = [f for f in attribute(findings, ctx) if f.kind not in off]
    # Where the input states what is wrong with a unit (empty, fuzzy), the comparison's view of the same gap
    # (a missing sentence, an unaligned source paragraph) adds nothing.
    # Nor does "this paragraph has no counterpart" in the other renderings of that unit.
    stated = {(f.lang, f.group) for f in ctx.stated if f.group is not None}
    gaps = {group for _, group in stated}
    findings = [f for f in findings if f in ctx.stated or ((f.lang, f.group) not in stated and not (
        f.kind == "unaligned_paragraph" and f.group in gaps))]
    # A plural form that repeats the form before it repeats its defects: reported once, at the first.
    copies = ctx.copied_forms
    if copies:
        seen = {(f.kind, f.lang, f.group, f.text) for f in findings}
        findings = [f for f in findings if (f.lang, f.group) not in copies
                    or (f.kind, f.lang, copies[(f.lang, f.group)], f.text) not in seen]
    unique = {(f.kind, f.lang, f.paragraph, f.sentence, f.start, f.text, f.line): f for f in findings}
    return tuple(sorted(unique.values(), key=Finding.sort_key))

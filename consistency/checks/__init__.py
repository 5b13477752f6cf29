"""Check stage: small checks in a registry, each yielding findings about the aligned renderings."""
from __future__ import annotations

from typing import Iterable

from consistency.checks import (  # noqa: F401  (importing registers the checks)
    anchors, garbled, glue, omission, placeholders, truncation, unaligned, untranslated, words)
from consistency.checks.base import CHECKS, Check, Context, register
from consistency.model import Finding

__all__ = ["CHECKS", "Check", "Context", "register", "run_checks"]


def run_checks(ctx: Context, disabled: Iterable[str] = ()) -> tuple[Finding, ...]:
    off = set(disabled)
    findings: list[Finding] = []
    for kind in sorted(CHECKS):
        if kind not in off:
            findings.extend(CHECKS[kind]().run(ctx))
    unique = {(f.kind, f.lang, f.paragraph, f.sentence, f.start, f.text): f for f in findings}
    return tuple(sorted(unique.values(), key=Finding.sort_key))

"""Garbled: a sentence whose back-translation disagrees with what the other renderings' back-translations agree on.

Needs back-translations and at least three renderings of the sentence: with two, a disagreement cannot say which
one is at fault. Without back-translations this check finds nothing.
"""
from __future__ import annotations

from typing import Iterator

from consistency.checks.base import Check, Context, register
from consistency.checks.bt import degenerate, group_backtranslations, score
from consistency.model import Finding, Severity

# The others must agree among themselves at least this well (chrF): faithful opus-mt back-translations of one
# sentence score ~45-75, unrelated sentences ~15-25, so 40 says the consensus is real.
CONSENSUS_CHRF = 40.0
# ... and this rendering must fall this far below the consensus and below half of it: a reworded but faithful
# rendering loses ~10-15 points, a garbled one falls to the unrelated level.
MIN_GAP = 20.0
MAX_SHARE = 0.5
# Back-translations shorter than this carry too few n-grams for chrF to mean much (a title, 'Yes.').
MIN_CHARS = 20


@register
class Garbled(Check):
    kind = "garbled"
    severity = Severity.WARNING
    description = "a sentence whose back-translation disagrees with the consensus of the other renderings"

    def run(self, ctx: Context) -> Iterator[Finding]:
        for g in ctx.sentence_groups:
            bts = group_backtranslations(ctx, g)
            if any(len(b) < MIN_CHARS for b in bts.values()):
                continue
            for lang, a in score(bts).items():
                if a.consensus < CONSENSUS_CHRF or a.gap < MIN_GAP or a.own > MAX_SHARE * a.consensus:
                    continue
                if any(degenerate(bt) for o, bt in bts.items() if o != lang):
                    continue
                sents = ctx.sentences(lang, g.members[lang])
                value = min(1.0, 0.5 + a.gap / 100 + (0.1 if a.others >= 3 else 0.0))
                yield ctx.finding(
                    self, lang, sents[0], " ".join(s.text for s in sents),
                    f"its back-translation agrees poorly with the others' (chrF {a.own:.0f} against "
                    f"{a.consensus:.0f} among {', '.join(o for o in sorted(bts) if o != lang)})", value,
                    severity=Severity.ERROR if value >= 0.8 else Severity.WARNING,
                    evidence={"chrf": round(a.own, 2), "consensus_chrf": round(a.consensus, 2),
                              "backtranslation": bts[lang]})

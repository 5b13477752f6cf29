"""Garbled: text no fluent writer of the language produces, or whose back-translation disagrees with what the
other renderings' back-translations agree on.

Offline: function words capitalised mid-sentence ('wie Die Regierung Und'), detokenisation artefacts ('US
-Unternehmen', 'KI -Modelle'). With back-translations and at least three renderings of a sentence: a
back-translation far from the consensus of the others (with two, a disagreement cannot say which one is at fault).
"""
from __future__ import annotations

from typing import Iterator

from consistency.checks.base import Check, Context, register
from consistency.checks.bt import degenerate, group_backtranslations, score
from consistency.checks.text import is_function_word, tokens
from consistency.checks.anchors import CAPITALISED_NOUNS
from consistency.lexicon import known, lemma, lower_case_form
from consistency.model import Finding, Sentence, Severity

import regex

# A sentence in title case (a heading: 'How Lessons Work') capitalises function words on purpose.
TITLE_CASE_SHARE = 0.5
# Sentences shorter than this (words) are headings, labels or list items.
MIN_WORDS = 5
# Capitals are expected after these (a sentence, a quotation, a list item starts).
_OPENERS = tuple(".:!?;\"'“”„«»‚‘’([{—–-•*#/|>")
# German writes the polite address with capitals mid-sentence ('können Sie', 'Ihre Daten').
POLITE = {"de": {"Sie", "Ihr", "Ihre", "Ihrer", "Ihren", "Ihrem", "Ihres", "Ihnen"}}
# A hyphenated word broken off its head by a space ('US -Unternehmen'): MT detokenisers leave this.
_BROKEN_COMPOUND = regex.compile(r"(?<=[\p{L}\p{Nd}]) -(\p{L}{3,})\b")

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
        yield from self._offline(ctx)
        yield from self._backtranslated(ctx)

    def _offline(self, ctx: Context) -> Iterator[Finding]:
        for r in ctx.renderings:
            for s in r.sentences:
                group = ctx.group_of_sentence.get((r.lang, s.ref))
                others = " ".join(ctx.text(o, refs) for o, refs in group.members.items() if o != r.lang) if group else ""
                capitals = self._capitalised_function_words(r.lang, s, others)
                if capitals:
                    words = ", ".join(f"'{t}'" for t, _ in capitals)
                    yield ctx.finding(self, r.lang, s, s.text, f"function words capitalised mid-sentence: {words}",
                                      min(0.9, 0.6 + 0.1 * len(capitals)), start=None,
                                      evidence={"capitalised": [t for t, _ in capitals]})
            yield from self._broken_compounds(ctx, r)

    def _broken_compounds(self, ctx: Context, r) -> Iterator[Finding]:
        """'US -Unternehmen', 'negara -negara': one finding per paragraph, naming every split word."""
        for p in r.paragraphs:
            hits: list[tuple[Sentence, str, int]] = []
            for s in p.sentences:
                group = ctx.group_of_sentence.get((r.lang, s.ref))
                others = " ".join(ctx.text(o, refs) for o, refs in group.members.items() if o != r.lang) if group else ""
                for m in _BROKEN_COMPOUND.finditer(s.text):
                    word = m.group(1)
                    if (f"-{word}" in others or not known(word, r.lang)
                            or (word.islower() and lower_case_form(word, r.lang) is False)):
                        continue  # an option ('-name': the others carry it too, or German writes 'Name'), no word
                    head = s.text[: m.start()].split()[-1]
                    hits.append((s, f"{head} -{word}", m.start() - len(head)))
            if hits:
                s, text, start = hits[0]
                listed = ", ".join(f"'{t}'" for _, t, _ in hits[:5]) + (" …" if len(hits) > 5 else "")
                yield ctx.finding(self, r.lang, s, text, f"{len(hits)} hyphenated word{'s' * (len(hits) > 1)} split "
                                  f"by a space ({listed}): a machine-translation detokenisation artefact",
                                  min(0.9, 0.6 + 0.05 * len(hits)), start=start,
                                  evidence={"split_words": [t for _, t, _ in hits]})

    @staticmethod
    def _capitalised_function_words(lang: str, s: Sentence, others: str) -> list[tuple[str, int]]:
        toks = tokens(s.text)
        if len(toks) < MIN_WORDS or sum(t.text[:1].isupper() for t in toks) > TITLE_CASE_SHARE * len(toks):
            return []
        out = []
        for k, t in enumerate(toks[1:], 1):
            w = t.text
            if not (w[:1].isupper() and w[1:].islower()) or not is_function_word(w.lower(), lang):
                continue
            before = s.text[: t.start].rstrip()
            if not before or before.endswith(_OPENERS) or w in others:
                continue  # a sentence or quotation starts here, or the others capitalise it too (a name: 'La Paz')
            if lang not in CAPITALISED_NOUNS and k + 1 < len(toks) and toks[k + 1].text[:1].isupper():
                continue  # the article of a name ('Le Caire', 'De Gaulle', 'Des Moines')
            if lower_case_form(w, lang) is False:
                continue  # the language writes this word with a capital (German nouns: 'Zeit', 'Jahr')
            if lang in CAPITALISED_NOUNS:
                base = lemma(w, lang)
                if w in POLITE.get(lang, ()) or not base or not base[:1].islower():
                    continue  # a noun ('Frage', 'Weg': the lemma keeps its capital), or the polite address
            out.append((w, t.start))
        return out

    def _backtranslated(self, ctx: Context) -> Iterator[Finding]:
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

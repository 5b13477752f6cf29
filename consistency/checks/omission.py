"""Omission: a sentence, clause or paragraph whose counterparts carry content this rendering lacks.

Signals: length against the consensus of the others (scaled by how long each language runs on this document),
cross-lingual similarity lower than the others reach among themselves, and anchors (numbers, names) the others share.
"""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import regex
from statistics import median
from typing import Iterator

from consistency.checks.base import Check, Context, register
from consistency.checks.bt import Missing, group_backtranslations, missing_content
from consistency.model import Finding, ParagraphGroup, SentenceGroup, Severity

# Below this share of the expected length a sentence is suspect. Sentence length ratios between human or machine
# translations spread with a standard deviation of ~0.15-0.2 in log space (Gale & Church 1993 report similar for
# characters), so 0.75 (log -0.29) sits ~1.5-2 deviations out.
SHORT_RATIO = 0.75
# The others must agree with each other within this log-ratio before their consensus is trusted.
AGREEMENT = 0.35
# A missing sentence is not an omission when the rendering's paragraph still reaches this share of the expected
# length: the content sits in a neighbouring sentence that the aligner did not merge.
PARAGRAPH_COMPLETE = 0.9
# Sentences shorter than this (characters) carry too little to judge by length.
MIN_CHARS = 25
# Fewer missing characters than this (about four words) is wording, not a dropped clause.
MIN_MISSING_CHARS = 25
# With back-translations: content words that every other back-translation shares and this one lacks. Half of the
# shared content and at least three words gone is a dropped clause, not a synonym or two (opus-mt rewords ~10-20%).
BT_MISSING_SHARE = 0.5
BT_MIN_MISSING_WORDS = 3
# Severity of a length-only finding (see _length_severity; measured on the handbook and installer audits): under
# this share more than half the sentence is gone, and the similarity deficit (against the others' mutual
# multilingual-e5 cosine) must drop this much too.
HALF_GONE_RATIO = 0.45
WARNING_DEFICIT = 0.05
# A dropped clause (Quelques années après sa redécouverte, …) costs a sentence only 10-25 % of its length, inside
# the spread of faithful translations, so a shortfall this size is only a reason to look closer: leave one clause
# of each counterpart out (clause = span between , ; : or brackets, at least CLAUSE_MIN_WORDS words) and re-embed.
# A clause this rendering lacks makes the counterpart *more* similar to it when left out, and less similar to
# the renderings that carry it; when every counterpart has such a clause, the clause is missing here.
CLAUSE_RATIO = 0.92
CLAUSE_MIN_MISSING_CHARS = 15
CLAUSE_MIN_WORDS = 3
# Counterparts that name the missing clause (the others, written as one clause, cannot): two agree on it.
MIN_CLAUSE_VOTES = 2
# Cosine gap (multilingual-e5-small) between "closer to this rendering" and "closer to the others" when the clause
# is left out: measured on the shared cases and injected dropped clauses; faithful sentences rarely pass 0.01.
CLAUSE_GAP = 0.015
# A clause found missing by every counterpart scores at least this; it is a warning from this gap on (below, the
# installer audit's condensed French sentences; the dropped introductory clause of shared/cases/03 scores 0.019).
CLAUSE_SCORE = 0.65
CLAUSE_WARNING_GAP = 0.018
# A clause the others carry that this rendering moved to a neighbouring sentence is no omission (see _moved_clause):
# translations of one clause score ~0.85-0.93 (multilingual-e5-small) against a sentence holding it.
MOVED_CLAUSE_COSINE = 0.85
MOVED_CLAUSE_MARGIN = 0.02
# Leave-one-out similarity says which clause of a counterpart this rendering lacks least well: in the eight audits
# 31 of 38 such warnings were free translations that carry the clause in other words. So the clause is looked for
# in clause-sized windows of every rendering (its length in words, and half again; multilingual-e5-small): a
# dropped clause matches a window of each other counterpart better than any window here. The smallest such margin
# over counterparts: audit free translations -0.07-0.09 (median 0.01), real drops -0.04-0.08, injected dropped
# clauses (devref, installer, handbook, aptitude) median 0.05, shared/cases/03 0.031; from this margin on (8 of
# the 31 false, 4 of the 7 real, 22 of 27 injected kept) the clause is a warning.
WINDOW_GAP = 0.025
_CLAUSE_SPLIT = regex.compile(r"(?<=[,;:])\s+|\s+(?=\()|(?<=\))\s+|\s+[–—]\s+")


def _chars(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


@register
class Omission(Check):
    kind = "omission"
    severity = Severity.ERROR
    description = "content the other renderings carry and this one lacks"

    def run(self, ctx: Context) -> Iterator[Finding]:
        for pg in ctx.paragraph_groups:
            yield from self._missing_paragraph(ctx, pg)
            for g in ctx.sentence_groups_by_paragraph_group.get(pg.index, []):
                yield from self._sentence_group(ctx, pg, g)

    def _expected(self, ctx: Context, lang: str, lengths: dict[str, int]) -> float:
        return median(lengths[o] * ctx.length_ratio[(lang, o)] for o in lengths if o != lang)

    def _agreement(self, ctx: Context, langs: list[str], lengths: dict[str, int]) -> float:
        """Largest disagreement in log length among `langs` once language length is accounted for."""
        worst = 0.0
        for i, a in enumerate(langs):
            for b in langs[i + 1 :]:
                if lengths[a] and lengths[b]:
                    worst = max(worst, abs(math.log(lengths[a] / (lengths[b] * ctx.length_ratio[(a, b)]))))
        return worst

    def _sentence_group(self, ctx: Context, pg: ParagraphGroup, g: SentenceGroup) -> Iterator[Finding]:
        present = g.present()
        in_paragraph = pg.present()
        lengths = {lang: _chars(ctx.text(lang, g.members[lang])) for lang in present}
        for lang in in_paragraph:
            others = [o for o in present if o != lang]
            if not others or max(lengths[o] for o in others) < MIN_CHARS:
                continue
            if lang not in present:
                # Blame a rendering for a missing sentence only when most of the others have it: a sentence that
                # one rendering alone has is that rendering's addition (or its unmatched text), not the others' gap.
                # The others' lengths need not agree here: the evidence is structural, and the paragraph's length
                # is checked in _missing_sentence (with five renderings one long rendering of the group hid half
                # the dropped sentences of the es/it/pt/nl installer guide).
                if len(others) * 2 > len(in_paragraph) - 1:
                    yield from self._missing_sentence(ctx, pg, g, lang, others)
                continue
            if len(others) >= 2 and self._agreement(ctx, others, lengths) > AGREEMENT:
                continue
            expected = self._expected(ctx, lang, lengths)
            ratio = lengths[lang] / expected
            gone = _bt_missing(ctx, g, lang)
            short = ratio < SHORT_RATIO and expected - lengths[lang] >= MIN_MISSING_CHARS
            clauses = None
            # Length alone cannot tell a dropped clause from a condensed sentence (see _length_severity): a short
            # sentence is also put to the clause test, whose evidence can make it a warning.
            if (not _bt_omission(gone) and ratio < CLAUSE_RATIO
                    and expected - lengths[lang] >= CLAUSE_MIN_MISSING_CHARS):
                clauses = _dropped_clause(ctx, g, lang, others)
            if not short and not _bt_omission(gone) and not clauses:
                continue
            sims = [ctx.cosine(lang, g.members[lang], o, g.members[o]) for o in others]
            mutual = [ctx.cosine(a, g.members[a], b, g.members[b]) for i, a in enumerate(others) for b in others[i + 1:]]
            deficit = 0.0
            if mutual and all(x is not None for x in sims + mutual):
                deficit = max(0.0, sum(mutual) / len(mutual) - sum(sims) / len(sims))  # type: ignore[arg-type]
            score = min(1.0, 0.5 + max(0.0, SHORT_RATIO - ratio) * 1.2 + deficit * 4 + 0.1 * (len(others) >= 2)
                        + (gone.share * 0.3 if gone else 0.0))
            severity = _length_severity(ratio, deficit)
            # Every other rendering needs more sentences for this part: a sentence is gone, not reworded. (Sentences
            # merged and condensed look the same: in the eight audits 4 of 11 such warnings between 2/3 and 3/4 of
            # the expected length were real; a bar at 2/3 cost a fifth of the injected dropped sentences.)
            if severity == Severity.INFO and short and all(len(g.members[o]) > len(g.members[lang]) for o in others):
                severity = Severity.WARNING
            sents = ctx.sentences(lang, g.members[lang])
            evidence = {"length_ratio": round(ratio, 3), "similarity_deficit": round(deficit, 4)}
            message = f"shorter than its counterparts ({ratio:.0%} of the expected length): content may be missing"
            if gone is not None and _bt_omission(gone):
                severity = Severity.ERROR if score >= 0.8 else Severity.WARNING
            if clauses:
                gap = min(g for _, g in clauses.values())
                margin = _window_margin(ctx, g, lang, others, clauses)
                evidence["missing_clause"] = {o: c for o, (c, _) in clauses.items()}
                evidence["clause_gap"] = round(gap, 4)
                evidence["clause_window_margin"] = round(margin, 4)
                score = max(score, CLAUSE_SCORE)
                # Found in no window of this rendering: a warning. A sentence already short by length only names
                # its missing clause here and stays info: the French installer and handbook condense whole
                # sentences, and of 14 such sentences the window test passed in the audits 5 were real.
                if gap >= CLAUSE_WARNING_GAP and margin >= WINDOW_GAP and not short:
                    severity = Severity.WARNING if severity == Severity.INFO else severity
                # What is missing is a whole sentence of every counterpart that names it, and every other rendering
                # has more sentences here: a sentence dropped beside one the alignment merged with it, not words
                # condensed. The window test is weak on a sentence-sized clause (similar words sit nearby: 0.012 for
                # the aptitude manual's dropped 'Most people should head straight for ...'), so any margin will do,
                # but not none, in this bead (a sentence merged into this one and reworded matches a window here
                # best: a NetworkManager catalogue message, -0.018) nor in the whole paragraph (a short sentence run
                # into the one before: '... en heb nu een probleem.' for 'Now I have a problem.', FAQ).
                whole = _whole_sentences(ctx, g, clauses)
                if gap >= CLAUSE_WARNING_GAP and margin > 0 and whole and all(
                        len(g.members[o]) > len(g.members[lang]) for o in others) and _window_margin(
                        ctx, g, lang, others, clauses, here=_paragraph_text(ctx, g, lang)) > 0:
                    severity = Severity.WARNING if severity == Severity.INFO else severity
                message = (f"a {'sentence' if whole else 'clause'} the others carry seems missing ({ratio:.0%} of "
                           f"the expected length): {clauses[min(clauses)][0]!r} ({min(clauses)})")
            if gone is not None:
                evidence["missing_in_backtranslation"] = list(gone.words)
                if not short:
                    message = (f"its back-translation lacks what the others' share: {', '.join(gone.words[:6])}")
            yield ctx.finding(self, lang, sents[0], " ".join(s.text for s in sents), message, score,
                              severity=severity, evidence=evidence)

    def _missing_sentence(self, ctx: Context, pg: ParagraphGroup, g: SentenceGroup, lang: str,
                          others: list[str]) -> Iterator[Finding]:
        para_len = {x: _chars(" ".join(ctx.by_lang[x].paragraph(i).text for i in pg.members[x]))
                    for x in pg.present()}
        ratio = para_len[lang] / self._expected(ctx, lang, {x: para_len[x] for x in [lang, *others]})
        if ratio >= PARAGRAPH_COMPLETE:
            return
        # Point at the sentence of this rendering just before the gap (or the paragraph's first).
        groups = ctx.sentence_groups_by_paragraph_group[pg.index]
        before = [x for x in groups if x.index < g.index and x.members.get(lang)]
        anchor = ctx.by_lang[lang].sentence(before[-1].members[lang][-1] if before else
                                            next(x.members[lang][0] for x in groups if x.members.get(lang)))
        share = sum(_chars(ctx.text(o, g.members[o])) for o in others) / sum(para_len[o] for o in others)
        score = min(1.0, 0.55 + (PARAGRAPH_COMPLETE - ratio) + share * 0.5 + 0.1 * (len(others) >= 2))
        yield ctx.finding(
            self, lang, anchor, anchor.text,
            f"a sentence the other renderings have is missing after this one ({', '.join(others)})", score,
            severity=Severity.ERROR if score >= 0.8 else Severity.WARNING,
            evidence={"counterparts": ctx.counterparts(g, lang), "paragraph_length_ratio": round(ratio, 3),
                      "missing_after": True})

    def _missing_paragraph(self, ctx: Context, pg: ParagraphGroup) -> Iterator[Finding]:
        present = pg.present()
        absent = [lang for lang in ctx.langs if lang not in present]
        if not absent or len(present) < 2:
            return  # a paragraph only one rendering has is reported by `unaligned_paragraph`
        for lang in absent:
            previous = [g for g in ctx.paragraph_groups if g.index < pg.index and g.members[lang]]
            following = [g for g in ctx.paragraph_groups if g.index > pg.index and g.members[lang]]
            near = previous[-1].members[lang][-1] if previous else following[0].members[lang][0] if following else None
            if near is None:
                continue
            text = " ".join(ctx.by_lang[o].paragraph(pg.members[o][0]).text[:200] for o in present[:1])
            moved = ctx.paragraph_group.get(ctx.moves(lang).get(pg.index, -1))
            if moved is not None:
                # Sections in another order (the Italian installer guide): nothing is missing. Info, so a reader
                # who cares about order still sees it; the left-over paragraph is not reported as unaligned.
                where = moved.members[lang][0]
                yield replace(ctx.finding(
                    self, lang, None, text, f"paragraph moved: the others have it after paragraph {near}, this "
                    f"rendering has it at paragraph {where}", 0.5, severity=Severity.INFO, paragraph=where,
                    evidence={"moved_from": near}), group=pg.index)
                continue
            # Located at the paragraph before the gap, but about the missing group (reports list it there, and
            # an entry the input itself states as empty or fuzzy is not reported twice).
            yield replace(ctx.finding(
                self, lang, None, text,
                f"paragraph missing {'after' if previous else 'before'} paragraph {near} "
                f"({', '.join(present)} {'has' if len(present) == 1 else 'have'} it)",
                0.9, paragraph=near,
                evidence={"counterparts": [{"lang": o, "paragraph": pg.members[o][0],
                                            "line": ctx.by_lang[o].paragraph(pg.members[o][0]).line,
                                            "text": ctx.by_lang[o].paragraph(pg.members[o][0]).text,
                                            "backtranslation": None} for o in present]}), group=pg.index)


def _length_severity(ratio: float, deficit: float) -> Severity:
    """Length alone is weak evidence: free translations condense (the French handbook and installer guide run at
    0.4-0.8 of the expected length on many sentences with no content lost; 4 of 23 such findings were real in the
    installer audit, with no threshold on length or similarity deficit separating them). Without structural
    evidence (fewer sentences, a sentence or paragraph missing in the alignment) or back-translations, a shortfall
    is info, and a warning only when more than half is gone and the similarity drops too."""
    if ratio < HALF_GONE_RATIO and deficit >= WARNING_DEFICIT:
        return Severity.WARNING
    return Severity.INFO


def _dropped_clause(ctx: Context, g: SentenceGroup, lang: str,
                    others: list[str]) -> dict[str, tuple[str, float]] | None:
    """The clause of each counterpart that this rendering lacks, with its cosine gap ({lang: (clause, gap)}), or
    None (see CLAUSE_GAP)."""
    if ctx.embed is None or len(others) < 2:
        return None
    texts = {o: ctx.text(o, g.members[o]) for o in [lang, *others]}
    base = {o: ctx.vector(o, g.members[o]) for o in texts}
    if any(v is None for v in base.values()):
        return None
    found = {}
    for o in others:
        # Clauses of each of the counterpart's sentences: where the alignment put two sentences in one bead, the
        # second is a clause too (a dropped sentence whose neighbour the others' beads merge with it; the aptitude
        # manual's 'Most people should head straight for the section on binary packages.').
        parts = [p for s in ctx.sentences(o, g.members[o]) for p in _CLAUSE_SPLIT.split(s.text) if p]
        candidates = [i for i, p in enumerate(parts) if len(p.split()) >= CLAUSE_MIN_WORDS]
        if len(parts) < 2 or not candidates:
            continue  # written as one clause here ('..., and' in one language, a participle in another)
        left_out = ctx.embed([" ".join(parts[:i] + parts[i + 1:]) for i in candidates])
        best = None
        for i, v in zip(candidates, left_out):
            here = float(v @ base[lang]) - float(base[o] @ base[lang])
            there = max(float(v @ base[m]) - float(base[o] @ base[m]) for m in others if m != o)
            if here > 0 and here - there >= CLAUSE_GAP and (best is None or here - there > best[0]):
                best = (here - there, parts[i])
        if best is None:
            return None
        found[o] = (best[1], best[0])
    if len(found) < MIN_CLAUSE_VOTES or _moved_clause(ctx, g, lang, found, base[lang]):
        return None
    return found


def _paragraph_text(ctx: Context, g: SentenceGroup, lang: str) -> str:
    """This rendering's sentences in the paragraph group of `g`, in order."""
    groups = ctx.sentence_groups_by_paragraph_group.get(g.paragraph_group, [])
    return " ".join(s.text for x in groups for s in ctx.sentences(lang, x.members.get(lang, ())))


def _whole_sentences(ctx: Context, g: SentenceGroup, found: dict[str, tuple[str, float]]) -> bool:
    """Whether each counterpart's missing clause is one of its sentences, whole."""
    return all(any(s.text.strip() == clause.strip() for s in ctx.sentences(o, g.members[o]))
               for o, (clause, _) in found.items())


def _windows(text: str, size: int) -> list[str]:
    """Spans of `text` of `size` and 1.5 x `size` words (the whole text when shorter), overlapping by half."""
    words = text.split()
    spans = []
    for n in sorted({max(2, size), max(3, round(size * 1.5))}):
        if n >= len(words):
            spans.append(text)
            continue
        starts = list(range(0, len(words) - n + 1, max(2, n // 2)))
        if starts[-1] != len(words) - n:
            starts.append(len(words) - n)
        spans += [" ".join(words[i:i + n]) for i in starts]
    return list(dict.fromkeys(spans))


def _window_margin(ctx: Context, g: SentenceGroup, lang: str, others: list[str],
                   found: dict[str, tuple[str, float]], here: str | None = None) -> float:
    """How much better each missing clause matches a window of the other counterparts than any window of this
    rendering (multilingual-e5 cosine; the smallest margin over counterparts and the others that carry it; see
    WINDOW_GAP). `here`: this rendering's text to search (default: its sentences in the group). Embeds about ten
    short spans per rendering per clause."""
    assert ctx.embed is not None
    texts = {o: ctx.text(o, g.members[o]) for o in [lang, *others]}
    if here is not None:
        texts[lang] = here
    margins = []
    for o, (clause, _) in found.items():
        spans = {m: _windows(texts[m], len(clause.split())) for m in texts if m != o}
        vecs = ctx.embed([clause, *(w for m in spans for w in spans[m])])
        best, i = {}, 1
        for m, ws in spans.items():
            best[m] = float((vecs[i:i + len(ws)] @ vecs[0]).max())
            i += len(ws)
        margins += [best[m] - best[lang] for m in others if m != o]
    return min(margins)


def _moved_clause(ctx: Context, g: SentenceGroup, lang: str, found: dict[str, tuple[str, float]],
                  here: np.ndarray) -> bool:
    """Whether the clauses the counterparts carry sit in another sentence of this rendering's paragraph (a sentence
    split in two that the alignment did not merge: 'L'installation se fera alors en anglais.'): each clause is
    closer (multilingual-e5 cosine) to one of those sentences than to this one, by MOVED_CLAUSE_MARGIN, and at
    least MOVED_CLAUSE_COSINE."""
    mine = set(g.members[lang])
    neighbours = [s.ref for x in ctx.sentence_groups_by_paragraph_group.get(g.paragraph_group, [])
                  for s in ctx.sentences(lang, x.members.get(lang, ())) if s.ref not in mine]
    if not neighbours or ctx.embed is None:
        return False
    clauses = ctx.embed([c for c, _ in found.values()])
    rows = [r for r in (ctx.vector(lang, [ref]) for ref in neighbours) if r is not None]
    if not rows:
        return False
    for v in clauses:
        elsewhere = max(float(v @ r) for r in rows)
        if elsewhere < MOVED_CLAUSE_COSINE or elsewhere < float(v @ here) + MOVED_CLAUSE_MARGIN:
            return False
    return True


def _bt_missing(ctx: Context, g: SentenceGroup, lang: str) -> Missing | None:
    """Content the other back-translations share and this one lacks; None without back-translations."""
    return missing_content(group_backtranslations(ctx, g), lang, ctx.pivot)


def _bt_omission(gone: Missing | None) -> bool:
    return gone is not None and gone.share >= BT_MISSING_SHARE and len(gone.words) >= BT_MIN_MISSING_WORDS

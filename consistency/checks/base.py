"""What a check is, and the context every check reads: renderings, alignment, similarities, counterparts."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, ClassVar, Iterable, Iterator, Mapping, Sequence

import numpy as np

from consistency.model import Finding, ParagraphGroup, Rendering, Sentence, SentenceGroup, SentenceRef, Severity
from consistency.units import plural_form


# A paragraph the alignment left out of its place is the same paragraph moved (see Context.relocated) when its
# multilingual-e5-small cosine to each counterpart is within MOVED_MARGIN of theirs to each other (translations of
# one paragraph score ~0.85-0.93 among themselves, neighbouring paragraphs on one topic ~0.75-0.85) and at least
# MOVED_MIN_COSINE; with a single counterpart, at least MOVED_PAIR_COSINE.
MOVED_MARGIN = 0.05
MOVED_MIN_COSINE = 0.8
MOVED_PAIR_COSINE = 0.85
# More left-over paragraphs than this: the alignment itself failed, and a best match among them proves nothing.
MOVED_MAX_CANDIDATES = 20


@dataclass
class Context:
    renderings: tuple[Rendering, ...]
    paragraph_groups: tuple[ParagraphGroup, ...]
    sentence_groups: tuple[SentenceGroup, ...]
    vecs: Mapping[str, np.ndarray] = field(default_factory=dict)  # one row per sentence, per language
    pivot: str = "en"
    # The sentence embedder (texts → unit-length rows), for checks that compare units below the sentence; None in
    # contexts built without one (the checks then skip that evidence).
    embed: Callable[[Sequence[str]], np.ndarray] | None = None
    # The rendering that is the original (--source, or a catalogue's source language): findings are never blamed
    # on it (see consistency/checks/source.py). None: every rendering is a peer.
    source: str | None = None
    # Findings the input states itself (an empty or fuzzy catalogue entry): reported under their kind's check.
    stated: tuple[Finding, ...] = ()
    # The input aligns its own units (catalogue entries, subtitle cues, bitext lines): strings of software and data
    # sets, where a placeholder is code to fill in, never a metavariable of prose that a translation may render.
    given: bool = False
    # The key of each given paragraph group, by its index - 1 (catalogue msgids; a plural form is 'msgid[n]').
    unit_keys: tuple[str, ...] = ()

    @cached_property
    def by_lang(self) -> dict[str, Rendering]:
        return {r.lang: r for r in self.renderings}

    @property
    def langs(self) -> list[str]:
        return [r.lang for r in self.renderings]

    @cached_property
    def _row(self) -> dict[str, dict[SentenceRef, int]]:
        return {r.lang: {s.ref: i for i, s in enumerate(r.sentences)} for r in self.renderings}

    @cached_property
    def group_of_sentence(self) -> dict[tuple[str, SentenceRef], SentenceGroup]:
        return {(lang, ref): g for g in self.sentence_groups for lang, refs in g.members.items() for ref in refs}

    @cached_property
    def _group_of_key(self) -> dict[str, int]:
        return {key: i for i, key in enumerate(self.unit_keys, 1)}

    @cached_property
    def copied_forms(self) -> dict[tuple[str, int], int]:
        """{(lang, group): the group it copies} for each plural form a catalogue gives the same text as the form
        before it: a language with fewer forms (Indonesian's one, filled in by consistency/units.py) or one that
        writes two alike. A defect there is the same defect as in the form it copies."""
        out = {}
        for key, i in self._group_of_key.items():
            form = plural_form(key)
            if form is None or form[1] == 0:
                continue
            before = self._group_of_key.get(f"{form[0]}[{form[1] - 1}]")
            g, h = self.paragraph_group.get(i), self.paragraph_group.get(before or -1)
            if g is None or h is None:
                continue
            for lang, paras in g.members.items():
                if paras and h.members.get(lang) and (self.by_lang[lang].paragraph(paras[0]).text
                                                     == self.by_lang[lang].paragraph(h.members[lang][0]).text):
                    out[(lang, i)] = h.index
        return out

    def unit_group(self, key: str) -> ParagraphGroup | None:
        """The given paragraph group of unit `key` (see unit_keys), or None."""
        index = self._group_of_key.get(key)
        return None if index is None else self.paragraph_group.get(index)

    @cached_property
    def paragraph_group(self) -> dict[int, ParagraphGroup]:
        """Paragraph groups by their index (SentenceGroup.paragraph_group)."""
        return {g.index: g for g in self.paragraph_groups}

    def counterpart_texts(self, lang: str, sentence: Sentence) -> dict[str, str]:
        """The text each other rendering aligns with `sentence`, by language ({} when it is in no sentence group)."""
        group = self.group_of_sentence.get((lang, sentence.ref))
        if group is None:
            return {}
        return {o: self.text(o, refs) for o, refs in group.members.items() if o != lang and refs}

    def counterpart_text(self, lang: str, sentence: Sentence) -> str:
        """The text the other renderings align with `sentence`, joined ('' when it is in no sentence group)."""
        return " ".join(self.counterpart_texts(lang, sentence).values())

    @cached_property
    def sentence_groups_by_paragraph_group(self) -> dict[int, list[SentenceGroup]]:
        out: dict[int, list[SentenceGroup]] = {}
        for g in self.sentence_groups:
            out.setdefault(g.paragraph_group, []).append(g)
        return out

    @cached_property
    def length_ratio(self) -> dict[tuple[str, str], float]:
        """Characters of a per character of b over the paragraphs both render: languages differ in length."""
        out = {}
        for a in self.langs:
            for b in self.langs:
                la = lb = 0
                for g in self.paragraph_groups:
                    if g.members[a] and g.members[b]:
                        la += sum(len(self.by_lang[a].paragraph(i).text) for i in g.members[a])
                        lb += sum(len(self.by_lang[b].paragraph(i).text) for i in g.members[b])
                out[(a, b)] = la / lb if la and lb else 1.0
        return out

    def sentences(self, lang: str, refs: Iterable[SentenceRef]) -> list[Sentence]:
        r = self.by_lang[lang]
        return [r.sentence(ref) for ref in refs]

    def text(self, lang: str, refs: Iterable[SentenceRef]) -> str:
        return " ".join(s.text for s in self.sentences(lang, refs))

    def vector(self, lang: str, refs: Iterable[SentenceRef]) -> np.ndarray | None:
        rows = [self._row[lang][ref] for ref in refs]
        if not rows or lang not in self.vecs:
            return None
        v = self.vecs[lang][rows].sum(axis=0)
        return v / max(float(np.linalg.norm(v)), 1e-8)

    def cosine(self, a: str, ra: Iterable[SentenceRef], b: str, rb: Iterable[SentenceRef]) -> float | None:
        va, vb = self.vector(a, ra), self.vector(b, rb)
        if va is None or vb is None:
            return None
        return float(va @ vb)

    def moves(self, lang: str) -> dict[int, int]:
        """{index of a paragraph group `lang` is absent from: index of the group holding `lang`'s rendering of it}
        for every paragraph of `lang` found moved (see `relocated`); computed once per language."""
        if lang not in self._moves:
            self._moves[lang] = {pg.index: g.index for pg in self.paragraph_groups
                                 if not pg.members[lang] and (g := self.relocated(lang, pg)) is not None}
        return self._moves[lang]

    @cached_property
    def _moves(self) -> dict[str, dict[int, int]]:
        return {}

    def relocated(self, lang: str, pg: ParagraphGroup) -> ParagraphGroup | None:
        """For a paragraph group `lang` is absent from: the group elsewhere in the document that holds `lang`'s
        rendering of it (sections in another order), or None. A candidate is a group with `lang` and none of pg's
        renderings, whose text is as close (multilingual-e5 cosine over the paragraph) to each of pg's paragraphs as
        they are to each other, less MOVED_MARGIN, and at least MOVED_MIN_COSINE."""
        present = pg.present()
        if not self.vecs or not present:
            return None
        candidates = [g for g in self.paragraph_groups
                      if g.index != pg.index and g.members[lang] and not any(g.members[o] for o in present)]
        if not candidates or len(candidates) > MOVED_MAX_CANDIDATES:
            return None  # nothing left over, or an alignment too broken to tell a move from a mismatch
        refs = {o: self._paragraph_refs(o, pg.members[o]) for o in present}
        mutual = [self.cosine(a, refs[a], b, refs[b]) for i, a in enumerate(present) for b in present[i + 1:]]
        mutual = [m for m in mutual if m is not None]
        floor = max(MOVED_MIN_COSINE, sum(mutual) / len(mutual) - MOVED_MARGIN) if mutual else MOVED_PAIR_COSINE
        best: tuple[float, ParagraphGroup] | None = None
        for g in candidates:
            mine = self._paragraph_refs(lang, g.members[lang])
            sims = [self.cosine(lang, mine, o, refs[o]) for o in present]
            if any(x is None or x < floor for x in sims):
                continue
            mean = sum(sims) / len(sims)  # type: ignore[arg-type]
            if best is None or mean > best[0]:
                best = (mean, g)
        return best[1] if best else None

    def _paragraph_refs(self, lang: str, indices: Iterable[int]) -> list[SentenceRef]:
        return [s.ref for i in indices for s in self.by_lang[lang].paragraph(i).sentences]

    # --- evidence --------------------------------------------------------------------------------------------------

    def counterparts(self, group: SentenceGroup, lang: str) -> list[dict[str, Any]]:
        out = []
        for other, refs in sorted(group.members.items()):
            if other == lang or not refs:
                continue
            sents = self.sentences(other, refs)
            out.append({
                "lang": other,
                "paragraph": sents[0].paragraph,
                "line": sents[0].line,
                "text": " ".join(s.text for s in sents),
                "backtranslation": _join_bt(sents),
            })
        return out

    def finding(self, check: "Check", lang: str, sentence: Sentence | None, text: str, message: str, score: float,
                severity: Severity | None = None, start: int | None = None, paragraph: int | None = None,
                evidence: Mapping[str, Any] | None = None) -> Finding:
        """A finding at a sentence (or a paragraph), with the aligned counterparts as evidence."""
        r = self.by_lang[lang]
        para_index = sentence.paragraph if sentence else paragraph
        para = r.paragraph(para_index) if para_index else None
        ev: dict[str, Any] = {}
        group_index = None
        if sentence is not None:
            group = self.group_of_sentence.get((lang, sentence.ref))
            if group is not None:
                ev["counterparts"] = self.counterparts(group, lang)
                group_index = group.paragraph_group
            if sentence.backtranslation is not None:
                ev["backtranslation"] = sentence.backtranslation
        elif para is not None:
            group_index = next((g.index for g in self.paragraph_groups if para.index in g.members[lang]), None)
        ev.update(evidence or {})
        return Finding(
            kind=check.kind,
            severity=severity or check.severity,
            lang=lang,
            path=r.path,
            paragraph=para_index,
            line=para.line if para else None,
            text=text,
            message=message,
            score=round(float(min(1.0, max(0.0, score))), 4),
            evidence=ev,
            sentence=sentence.index if sentence else None,
            start=(sentence.start + start if sentence and start is not None else
                   sentence.start if sentence else start),
            group=group_index,
        )


def _join_bt(sents: list[Sentence]) -> str | None:
    bts = [s.backtranslation for s in sents]
    return None if any(b is None for b in bts) else " ".join(bts)  # type: ignore[arg-type]


class Check:
    """One kind of defect. `run` yields findings; thresholds live as named constants in each check's module."""

    kind: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    description: ClassVar[str] = ""

    def run(self, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError


CHECKS: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    CHECKS[cls.kind] = cls
    return cls

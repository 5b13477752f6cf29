"""Synthetic faults, one small class each: given a rendering's paragraphs (and the others', for context), return the
faulty paragraphs and where the fault is. Documents are assumed paragraph-parallel (the clean corpora are)."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import ClassVar

from consistency.checks.text import numbers, tokens
from consistency.segment import split_sentences

Paragraphs = list[str]
_TERMINAL = tuple(".!?:;…\"'”»“)")
_WORD = re.compile(r"^[^\W\d_]+$")
# chrF between a paragraph and its counterpart: translations score ~10-35; near-copies (licences, URLs) 60+.
MAX_DONOR_CHRF = 40.0


@dataclass(frozen=True)
class Fault:
    type: str
    lang: str
    paragraphs: tuple[int, ...]  # ordinals (in the faulty rendering) where a finding counts as a detection
    touched: tuple[str, ...]  # texts of the faulty rendering's paragraphs the fault changed or borders
    detail: str


def _prose(text: str, min_words: int = 5) -> bool:
    return sum(1 for t in tokens(text) if _WORD.match(t.text) and len(t.text) >= 3) >= min_words


class Injector:
    name: ClassVar[str]
    accepts: ClassVar[frozenset[str]]  # finding kinds that count as catching this fault

    def inject(self, paras: Paragraphs, lang: str, others: dict[str, Paragraphs],
               rng: random.Random) -> tuple[Paragraphs, Fault] | None:
        raise NotImplementedError

    def _fault(self, lang: str, index: int, new: Paragraphs, detail: str, extra: tuple[int, ...] = ()) -> Fault:
        ords = tuple(sorted({index + 1, *extra}))
        touched = tuple(new[i - 1] for i in ords if 0 < i <= len(new))
        return Fault(self.name, lang, ords, touched, detail)


INJECTORS: dict[str, type[Injector]] = {}


def register(cls: type[Injector]) -> type[Injector]:
    INJECTORS[cls.name] = cls
    return cls


def _pick(rng: random.Random, candidates: list):
    return rng.choice(candidates) if candidates else None


@register
class DropSentence(Injector):
    name = "drop_sentence"
    accepts = frozenset({"omission"})

    def inject(self, paras, lang, others, rng):
        options = []
        for i, p in enumerate(paras):
            sents = split_sentences(lang, p)
            if len(sents) >= 2:
                options += [(i, k) for k, (_, s) in enumerate(sents) if _prose(s, 4)]
        choice = _pick(rng, options)
        if choice is None:
            return None
        i, k = choice
        sents = split_sentences(lang, paras[i])
        dropped = sents[k][1]
        new = list(paras)
        new[i] = " ".join(s for j, (_, s) in enumerate(sents) if j != k)
        return new, self._fault(lang, i, new, f"dropped: {dropped}")


@register
class TruncateWord(Injector):
    name = "truncate_word"
    accepts = frozenset({"truncation"})
    KEEP = 0.6

    def inject(self, paras, lang, others, rng):
        options = [(i, t) for i, p in enumerate(paras) for t in tokens(p) if _WORD.match(t.text) and len(t.text) >= 6]
        # Names first: the words the other renderings share are the ones a reader would miss most.
        shared = {t.text for ps in others.values() for p in ps for t in tokens(p)}
        names = [(i, t) for i, t in options if t.text in shared and t.text[0].isupper()]
        choice = _pick(rng, names) or _pick(rng, options)
        if choice is None:
            return None
        i, t = choice
        stub = t.text[: max(3, round(len(t.text) * self.KEEP))]
        new = list(paras)
        new[i] = paras[i][: t.start] + stub + paras[i][t.end :]
        return new, self._fault(lang, i, new, f"{t.text} → {stub}")


@register
class DoubleWord(Injector):
    name = "double_word"
    accepts = frozenset({"doubled_word"})

    def inject(self, paras, lang, others, rng):
        options = [(i, t) for i, p in enumerate(paras) for t in tokens(p) if _WORD.match(t.text) and len(t.text) >= 3]
        choice = _pick(rng, options)
        if choice is None:
            return None
        i, t = choice
        new = list(paras)
        new[i] = paras[i][: t.end] + " " + t.text + paras[i][t.end :]
        return new, self._fault(lang, i, new, f"{t.text} {t.text}")


@register
class GlueWords(Injector):
    name = "glue_words"
    accepts = frozenset({"glued_word"})

    def inject(self, paras, lang, others, rng):
        options = []
        for i, p in enumerate(paras):
            toks = tokens(p)
            for a, b in zip(toks, toks[1:]):
                if (p[a.end : b.start] == " " and _WORD.match(a.text) and _WORD.match(b.text)
                        and len(a.text) >= 3 and len(b.text) >= 3):
                    options.append((i, a, b))
        choice = _pick(rng, options)
        if choice is None:
            return None
        i, a, b = choice
        new = list(paras)
        new[i] = paras[i][: a.end] + paras[i][b.start :]
        return new, self._fault(lang, i, new, f"{a.text} {b.text} → {a.text}{b.text}")


@register
class Untranslated(Injector):
    name = "untranslated_paragraph"
    accepts = frozenset({"untranslated"})

    def inject(self, paras, lang, others, rng):
        donors = sorted(o for o in others if o != lang)
        # Only where the other text really differs: swapping a copyright line that every language keeps nearly
        # verbatim injects nothing.
        options = [(i, o) for i, p in enumerate(paras) if _prose(p, 6) for o in donors
                   if i < len(others[o]) and _prose(others[o][i], 6) and _chrf(p, others[o][i]) < MAX_DONOR_CHRF]
        choice = _pick(rng, options)
        if choice is None:
            return None
        i, donor = choice
        new = list(paras)
        new[i] = others[donor][i]
        return new, self._fault(lang, i, new, f"paragraph {i + 1} replaced by the {donor} text")


def _chrf(a: str, b: str) -> float:
    from sacrebleu.metrics import CHRF  # noqa: PLC0415

    return CHRF().sentence_score(a, [b]).score


@register
class CutParagraph(Injector):
    name = "cut_paragraph"
    accepts = frozenset({"truncation", "omission"})

    def inject(self, paras, lang, others, rng):
        options = [i for i, p in enumerate(paras) if _prose(p, 8)]
        i = _pick(rng, options)
        if i is None:
            return None
        p = paras[i]
        toks = [t for t in tokens(p) if 0.4 * len(p) <= t.end <= 0.7 * len(p)]
        if not toks:
            return None
        cut = rng.choice(toks).end
        new = list(paras)
        new[i] = p[:cut].rstrip(" ,;:")
        return new, self._fault(lang, i, new, f"cut after: …{new[i][-30:]}")


@register
class DropParagraph(Injector):
    name = "drop_paragraph"
    accepts = frozenset({"omission", "unaligned_paragraph"})

    def inject(self, paras, lang, others, rng):
        options = [i for i, p in enumerate(paras) if 0 < i < len(paras) - 1 and _prose(p, 6)]
        i = _pick(rng, options)
        if i is None:
            return None
        new = paras[:i] + paras[i + 1 :]
        # The finding points at a neighbour of the gap: paragraph i (before) or i + 1 (after) in the new numbering.
        return new, self._fault(lang, i - 1, new, f"dropped paragraph {i + 1}: {paras[i][:60]}", extra=(i + 1,))


@register
class ChangeNumber(Injector):
    name = "change_number"
    accepts = frozenset({"number_mismatch"})

    def inject(self, paras, lang, others, rng):
        options = []
        for i, p in enumerate(paras):
            for num in numbers(p, lang):
                # Only numbers the other renderings carry too: changing a number no one else has proves nothing.
                if num.value == int(num.value) and all(
                        i < len(ps) and any(n.value == num.value for n in numbers(ps[i], o)) for o, ps in others.items()):
                    options.append((i, num))
        choice = _pick(rng, options)
        if choice is None:
            return None
        i, num = choice
        value = int(num.value)
        changed = str(value + 1 if value % 10 != 9 else value - 1)
        new = list(paras)
        new[i] = paras[i][: num.start] + changed + paras[i][num.end :]
        return new, self._fault(lang, i, new, f"{num.text} → {changed}")

"""Agreement among back-translations: scores over the N renderings of one sentence group, kept apart from the
decisions the checks make on them (as OpusFilter separates score() from filtering).

All back-translations are in the pivot language, so chrF compares them directly: two faithful renderings of one
sentence back-translate to English that shares most character n-grams (chrF ~45-75 with opus-mt), a garbled or
truncated one shares little (~15-30, the level of unrelated sentences).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from statistics import mean
from typing import Mapping

from sacrebleu.metrics import CHRF

from consistency.checks.base import Context
from consistency.checks.text import tokens, zipf
from consistency.model import SentenceGroup

_chrf = CHRF()
# A back-translation that repeats itself (a model stuck in a loop: 'iden iden iden', 'tatstatstats') cannot vouch
# for a consensus. zlib squeezes such text below a third of its size; fluent English of 40+ characters stays
# above ~0.6 (there is little to share within one sentence).
DEGENERATE_COMPRESSION = 0.35
DEGENERATE_MIN_CHARS = 40
# A pivot word shorter than this, or this common (Zipf >= 5.5: 'the', 'have', 'which'), is not content.
CONTENT_MIN_CHARS = 3
FUNCTION_WORD_ZIPF = 5.5


@lru_cache(maxsize=65536)
def chrf(a: str, b: str) -> float:
    """Symmetric sentence chrF (0-100): the mean of both directions."""
    if not a.strip() or not b.strip():
        return 0.0
    return (_chrf.sentence_score(a, [b]).score + _chrf.sentence_score(b, [a]).score) / 2


@dataclass(frozen=True)
class Agreement:
    """How one rendering's back-translation compares with the others' in a sentence group."""

    own: float  # mean chrF against each other rendering
    consensus: float  # mean chrF among the other renderings
    others: int

    @property
    def gap(self) -> float:
        return self.consensus - self.own


def group_backtranslations(ctx: Context, group: SentenceGroup) -> dict[str, str]:
    """Each present rendering's back-translation of the group ({} unless every present one has one)."""
    out = {}
    for lang, refs in sorted(group.members.items()):
        if not refs:
            continue
        bts = [s.backtranslation for s in ctx.sentences(lang, refs)]
        if any(b is None for b in bts):
            return {}
        out[lang] = " ".join(bts)  # type: ignore[arg-type]
    return out


def degenerate(text: str) -> bool:
    import zlib  # noqa: PLC0415

    data = text.encode("utf-8")
    return len(data) >= DEGENERATE_MIN_CHARS and len(zlib.compress(data, 9)) / len(data) < DEGENERATE_COMPRESSION


def score(bts: Mapping[str, str]) -> dict[str, Agreement]:
    """Agreement of each rendering with the rest; empty with fewer than three (no consensus to compare with)."""
    langs = sorted(bts)
    if len(langs) < 3:
        return {}
    pair = {frozenset((a, b)): chrf(bts[a], bts[b]) for a, b in combinations(langs, 2)}
    out = {}
    for lang in langs:
        others = [o for o in langs if o != lang]
        out[lang] = Agreement(mean(pair[frozenset((lang, o))] for o in others),
                              mean(pair[frozenset(p)] for p in combinations(others, 2)), len(others))
    return out


def content_words(text: str, pivot: str) -> set[str]:
    return {t.folded for t in tokens(text) if len(t.text) >= CONTENT_MIN_CHARS and not t.is_number
            and zipf(t.folded, pivot) < FUNCTION_WORD_ZIPF}


@dataclass(frozen=True)
class Missing:
    words: tuple[str, ...]  # content words every other back-translation has and this one lacks
    share: float  # their share of the content the others agree on


def missing_content(bts: Mapping[str, str], lang: str, pivot: str) -> Missing | None:
    """Content shared by all the other back-translations and absent from `lang`'s (None without two others)."""
    others = [o for o in bts if o != lang]
    if lang not in bts or len(others) < 2:
        return None
    shared = set.intersection(*(content_words(bts[o], pivot) for o in others))
    if not shared:
        return Missing((), 0.0)
    mine = content_words(bts[lang], pivot)
    gone = tuple(sorted(w for w in shared if w not in mine and not any(m.startswith(w[:5]) for m in mine)))
    return Missing(gone, len(gone) / len(shared))


def _words(text: str) -> list[str]:
    return [t.folded for t in tokens(text)]


def _f(a: list, b: list) -> float:
    """F1 of two multisets (1.0 for equal ones, 0.0 when one is empty)."""
    from collections import Counter  # noqa: PLC0415

    ca, cb = Counter(a), Counter(b)
    common = sum((ca & cb).values())
    return 0.0 if not common else 2 * common / (len(a) + len(b))


@dataclass(frozen=True)
class Order:
    """How one rendering's back-translation agrees with the others' in its words and in their order."""

    words: float  # mean word (unigram) F1 against each other rendering
    order: float  # mean word-bigram F1 against each other rendering
    consensus_order: float  # mean word-bigram F1 among the other renderings
    # Word pairs this back-translation puts side by side whose words every other one has but never side by side
    # (a scrambled stretch breaks three or more); and the most any other rendering has against the rest.
    broken: int = 0
    broken_elsewhere: int = 0


def word_order(bts: Mapping[str, str]) -> dict[str, Order]:
    """Word and word-bigram agreement of each rendering with the rest; empty with fewer than three renderings.
    The same words in another order (a scrambled sentence) keep unigram F1 and lose bigram F1."""
    langs = sorted(bts)
    if len(langs) < 3:
        return {}
    words = {lang: _words(bts[lang]) for lang in langs}
    bigrams = {lang: list(zip(w, w[1:])) for lang, w in words.items()}
    out = {}
    for lang in langs:
        others = [o for o in langs if o != lang]
        elsewhere = max(_broken(o, [x for x in others if x != o], words, bigrams) for o in others)
        out[lang] = Order(mean(_f(words[lang], words[o]) for o in others),
                          mean(_f(bigrams[lang], bigrams[o]) for o in others),
                          mean(_f(bigrams[a], bigrams[b]) for a, b in combinations(others, 2)),
                          _broken(lang, others, words, bigrams), elsewhere)
    return out


def _broken(lang: str, others: list[str], words: Mapping[str, list[str]],
            bigrams: Mapping[str, list[tuple[str, str]]]) -> int:
    """Word pairs of `lang` whose two words all of `others` have, none of them as this pair."""
    shared = set.intersection(*(set(words[o]) for o in others)) if others else set()
    seen = set().union(*(set(bigrams[o]) for o in others)) if others else set()
    return sum(1 for a, b in set(bigrams[lang]) if a in shared and b in shared and (a, b) not in seen)

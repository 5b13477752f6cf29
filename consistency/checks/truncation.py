"""Truncation: a word or name cut short ('Antrop' where the other renderings have 'Anthropic'), or a paragraph that
stops mid-sentence."""
from __future__ import annotations

from typing import Iterator

from consistency.checks.base import Check, Context, register
import regex

from consistency.checks.text import edit_distance, fold, has_wordlist, tokens, word_forms, zipf
from consistency.checks.words import COMPOUNDING
from consistency.model import Finding, Severity

# A token this frequent (Zipf) in its own language is a real word there, never a stub ('Dia' is not 'Diana').
KNOWN_WORD_ZIPF = 1.0
# The stub must be clearly shorter than the full word: 'Depseek' vs 'Deepseek' (7/8) is a misspelling, not a cut.
MAX_KEPT_FRACTION = 0.85
# Stubs shorter than this match too many words by accident.
MIN_STUB = 4
# Compound tails (German 'Massenmarkt|penetrs') are tried from this length on.
MIN_TAIL = 5
_TERMINAL = tuple(".!?…:;\"'”»“)")
# What a cut must remove: at least this many letters, and not just an inflection ('Depseek' for 'Deepseeks' is a
# misspelling plus a genitive -s, not a cut).
MIN_CUT = 2
INFLECTIONS = {"s", "es", "e", "en", "n", "er", "em", "ern"}
# "avant -garde": a hyphenated word broken by a stray space is not a truncation.
_BROKEN_HYPHEN = regex.compile(r"\s?-\s?\p{L}")
# A final sentence this much shorter than its counterparts, with no closing punctuation, was cut mid-way.
CUT_SENTENCE_RATIO = 0.8


def cut_rest(stub: str, word: str) -> str | None:
    """What `word` has beyond the part `stub` spells ('antrop', 'anthropic' → 'ic'), allowing one edit once the
    stub is long enough; None when the stub does not spell the start of the word."""
    if word.startswith(stub):
        return word[len(stub):]
    if len(stub) < 5:
        return None
    best = min((edit_distance(stub, word[: len(stub) + d], 1), -d) for d in (-1, 0, 1))
    return word[len(stub) - best[1]:] if best[0] <= 1 else None


@register
class Truncation(Check):
    kind = "truncation"
    severity = Severity.ERROR
    description = "a word or name cut short, or a paragraph that stops mid-sentence"

    def run(self, ctx: Context) -> Iterator[Finding]:
        yield from self._words(ctx)
        yield from self._cut_sentences(ctx)

    def _words(self, ctx: Context) -> Iterator[Finding]:
        for pg in ctx.paragraph_groups:
            present = pg.present()
            if len(present) < 2:
                continue
            words: dict[str, dict[str, set[str]]] = {}  # lang -> folded -> surface forms
            for lang in present:
                for i in pg.members[lang]:
                    for t in tokens(ctx.by_lang[lang].paragraph(i).text):
                        if not t.is_number:
                            words.setdefault(lang, {}).setdefault(t.folded, set()).add(t.text)
            for lang in present:
                if not has_wordlist(lang):
                    continue
                own = words.get(lang, {})
                others: dict[str, set[str]] = {}
                surface: dict[str, str] = {}
                for other in present:
                    if other != lang:
                        for f, forms in words.get(other, {}).items():
                            others.setdefault(f, set()).add(other)
                            surface.setdefault(f, sorted(forms)[0])
                elsewhere = set(others)
                for i in pg.members[lang]:
                    for s in ctx.by_lang[lang].paragraph(i).sentences:
                        group = ctx.group_of_sentence.get((lang, s.ref))
                        aligned = set().union(*(word_forms(ctx.text(o, refs)) for o, refs in group.members.items()
                                                if o != lang)) if group else set()
                        for t in tokens(s.text):
                            if fold(t.text) in elsewhere or _BROKEN_HYPHEN.match(s.text, t.end):
                                continue
                            hit = self._stub(t.text, lang, own, others, aligned)
                            if hit:
                                full, langs = surface[hit[0]], hit[1]
                                score = 0.75 + 0.1 * (len(langs) - 1) + 0.1 * (len(t.text) / len(full) < 0.75)
                                yield ctx.finding(
                                    self, lang, s, t.text,
                                    f"'{t.text}' looks cut short: {', '.join(sorted(langs))} "
                                    f"{'has' if len(langs) == 1 else 'have'} '{full}'", score,
                                    severity=Severity.ERROR if score >= 0.8 else Severity.WARNING, start=t.start,
                                    evidence={"expected": full, "found_in": sorted(langs)})

    def _stub(self, word: str, lang: str, own: dict[str, set[str]], others: dict[str, set[str]], aligned: set[str]):
        if len(word) < MIN_STUB or any(ch.isdigit() for ch in word) or zipf(word.lower(), lang) >= KNOWN_WORD_ZIPF:
            return None
        folded = fold(word)
        parts = [folded]
        if lang in COMPOUNDING:
            parts += [folded[k:] for k in range(3, len(folded) - MIN_TAIL + 1)
                      if zipf(folded[k:], lang) < KNOWN_WORD_ZIPF]
        best = None
        for part in parts:
            if len(part) < MIN_STUB:
                continue
            for full, langs in others.items():
                if (len(full) < len(part) + 2 or len(part) > MAX_KEPT_FRACTION * len(full) or full in own
                        or zipf(full, lang) >= 4.0 or (full not in aligned and len(langs) < 2)):
                    continue
                rest = cut_rest(part, full)
                if rest is not None and len(rest) >= MIN_CUT and rest not in INFLECTIONS:
                    if best is None or (len(langs), len(full)) > (len(best[1]), len(best[0])):
                        best = (full, langs)
        return best

    def _cut_sentences(self, ctx: Context) -> Iterator[Finding]:
        for pg in ctx.paragraph_groups:
            present = pg.present()
            if len(present) < 2:
                continue
            last = {lang: ctx.by_lang[lang].paragraph(pg.members[lang][-1]) for lang in present}
            for lang in present:
                para = last[lang]
                if not para.sentences or para.text.rstrip().endswith(_TERMINAL) or para.heading:
                    continue
                others = [o for o in present if o != lang]
                if not all(last[o].text.rstrip().endswith(_TERMINAL) for o in others):
                    continue
                expected = sorted(len(last[o].text) * ctx.length_ratio[(lang, o)] for o in others)
                ratio = len(para.text) / expected[len(expected) // 2]
                if ratio < CUT_SENTENCE_RATIO:
                    s = para.sentences[-1]
                    yield ctx.finding(self, lang, s, s.text,
                                      f"the paragraph stops mid-sentence ({ratio:.0%} of the expected length)",
                                      min(1.0, 0.6 + (CUT_SENTENCE_RATIO - ratio)),
                                      evidence={"length_ratio": round(ratio, 3)})

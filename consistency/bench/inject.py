"""Synthetic faults, one small class each: given a rendering's paragraphs (and the others', for context), return the
faulty paragraphs and where the fault is. Documents are assumed paragraph-parallel (the clean corpora are)."""
from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from typing import Callable, ClassVar

from consistency.checks.text import Token, fold, has_wordlist, numbers, tokens, zipf
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
    # What a back-translation of the faulty rendering would read like, paragraph by paragraph (paragraph-parallel
    # with the faulty rendering): the English rendering with the same content change. None: the clean English
    # (the fault changes no meaning an MT model would carry over, or there is no English rendering).
    english: tuple[str, ...] | None = None


PIVOT = "en"  # the rendering whose text stands in for back-translations (consistency/bench/standin.py)


def _prose(text: str, min_words: int = 5) -> bool:
    return sum(1 for t in tokens(text) if _WORD.match(t.text) and len(t.text) >= 3) >= min_words


class Injector:
    name: ClassVar[str]
    accepts: ClassVar[frozenset[str]]  # finding kinds that count as catching this fault

    def inject(self, paras: Paragraphs, lang: str, others: dict[str, Paragraphs],
               rng: random.Random) -> tuple[Paragraphs, Fault] | None:
        raise NotImplementedError

    def _fault(self, lang: str, index: int, new: Paragraphs, detail: str, extra: tuple[int, ...] = (),
               english: Paragraphs | None = None) -> Fault:
        ords = tuple(sorted({index + 1, *extra}))
        touched = tuple(new[i - 1] for i in ords if 0 < i <= len(new))
        return Fault(self.name, lang, ords, touched, detail, tuple(english) if english is not None else None)


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
        english = _english(lang, others, i, lambda en: _drop_sentence_at(en, k, len(sents)))
        return new, self._fault(lang, i, new, f"dropped: {dropped}", english=english)


@register
class TruncateWord(Injector):
    """A word or name (6+ letters) that another rendering of the paragraph shares, cut to a stub: names first."""

    name = "truncate_word"
    accepts = frozenset({"truncation"})
    KEEP = 0.6

    def inject(self, paras, lang, others, rng):
        options = [(i, t) for i, p in enumerate(paras) for t in tokens(p)
                   if _WORD.match(t.text) and len(t.text) >= 6 and _shared(t.text, i, others, every=False)]
        names = [(i, t) for i, t in options if t.text[0].isupper() and _shared(t.text, i, others)]
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
        english = _english(lang, others, i, lambda en: _cut_at(en, cut / len(p)))
        return new, self._fault(lang, i, new, f"cut after: …{new[i][-30:]}", english=english)


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
        en = others.get(PIVOT)
        english = en[:i] + en[i + 1 :] if en is not None and lang != PIVOT else None
        # The finding points at a neighbour of the gap: paragraph i (before) or i + 1 (after) in the new numbering.
        return new, self._fault(lang, i - 1, new, f"dropped paragraph {i + 1}: {paras[i][:60]}", extra=(i + 1,),
                                english=english)


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



# --- helpers shared by the injectors below --------------------------------------------------------------------------


def _shared(word: str, i: int, others: dict[str, Paragraphs], every: bool = True) -> bool:
    """Whether `word` is a token of the other renderings' paragraph i: of every one (or of any one)."""
    hits = [i < len(ps) and any(t.text == word for t in tokens(ps[i])) for ps in others.values()]
    return bool(hits) and (all(hits) if every else any(hits))


def _in_no_other(word: str, i: int, others: dict[str, Paragraphs]) -> bool:
    folded = fold(word)
    return not any(i < len(ps) and any(t.folded == folded for t in tokens(ps[i])) for ps in others.values())


def _english(lang: str, others: dict[str, Paragraphs], i: int, change: Callable[[str], str]) -> Paragraphs | None:
    """The English paragraphs with paragraph i changed as the fault changed this rendering's (None: no English, or
    the fault is in the English itself, whose back-translation is its own text)."""
    en = others.get(PIVOT)
    if en is None or lang == PIVOT or i >= len(en):
        return None
    out = list(en)
    out[i] = change(en[i])
    return out


def _counterpart(k: int, n: int, m: int) -> int:
    """The sentence of m that sits where sentence k of n does (the same one when the counts agree)."""
    if m == n or n <= 1:
        return min(k, m - 1)
    return round(k * (m - 1) / (n - 1))


def _in_sentence(text: str, k: int, n: int, change: Callable[[str], str]) -> str:
    """`text` (an English paragraph) with `change` applied to the sentence matching sentence k of n."""
    sents = split_sentences(PIVOT, text)
    if not sents:
        return text
    j = _counterpart(k, n, len(sents))
    off, s = sents[j]
    return text[:off] + change(s) + text[off + len(s) :]


def _drop_words(text: str, a: float, b: float) -> str:
    """`text` without the words whose start lies in [a, b) of its length (a fraction span)."""
    toks = tokens(text)
    gone = [t for t in toks if a * len(text) <= t.start < b * len(text)]
    if not gone or len(gone) == len(toks):
        return text
    return (text[: gone[0].start] + text[gone[-1].end :].lstrip(" ,;")).replace("  ", " ")


def _drop_sentence_at(text: str, k: int, n: int) -> str:
    sents = split_sentences(PIVOT, text)
    if len(sents) >= 2:
        j = _counterpart(k, n, len(sents))
        return " ".join(s for x, (_, s) in enumerate(sents) if x != j)
    return _drop_words(text, k / n, (k + 1) / n)


def _cut_at(text: str, share: float) -> str:
    ends = [t.end for t in tokens(text)]
    if not ends:
        return text
    cut = min(ends, key=lambda e: abs(e - share * len(text)))
    return text[:cut].rstrip(" ,;:")


def _case_like(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _sentences(paras: Paragraphs, lang: str, min_words: int = 4):
    """(paragraph index, sentence ordinal, sentence count, offset, sentence) for each prose sentence."""
    for i, p in enumerate(paras):
        sents = split_sentences(lang, p)
        for k, (off, s) in enumerate(sents):
            if _prose(s, min_words):
                yield i, k, len(sents), off, s


def _replace_sentence(p: str, off: int, old: str, new: str) -> str:
    return p[:off] + new + p[off + len(old) :]


# --- truncations and misspellings -----------------------------------------------------------------------------------


@register
class TruncateCommonWord(Injector):
    """An ordinary lower-case word (7+ letters) that no other rendering has, cut to 50-65 % of its letters."""

    name = "truncate_common_word"
    accepts = frozenset({"truncation"})
    KEEP = (0.5, 0.65)
    MIN_LETTERS = 7
    WORD_ZIPF = 2.0  # a word of the language (wordfreq), not a name or a code
    STUB_ZIPF = 3.0  # a stub this frequent is a word in its own right: no fault

    def inject(self, paras, lang, others, rng):
        known = has_wordlist(lang)
        options = []
        for i, p in enumerate(paras):
            for t in tokens(p):
                w = t.text
                if not (_WORD.match(w) and w.islower() and len(w) >= self.MIN_LETTERS):
                    continue
                if not _in_no_other(w, i, others):
                    continue
                if known and zipf(w, lang) < self.WORD_ZIPF:
                    continue
                keeps = range(math.ceil(len(w) * self.KEEP[0]), math.floor(len(w) * self.KEEP[1]) + 1)
                stubs = [w[:n] for n in keeps if n >= 3 and zipf(w[:n], lang) < self.STUB_ZIPF]
                if stubs:
                    options.append((i, t, stubs))
        choice = _pick(rng, options)
        if choice is None:
            return None
        i, t, stubs = choice
        stub = rng.choice(stubs)
        new = list(paras)
        new[i] = paras[i][: t.start] + stub + paras[i][t.end :]
        return new, self._fault(lang, i, new, f"{t.text} → {stub}")


_CODE = re.compile(r"^[^\W_]+$")


def _letters(word: str) -> int:
    return sum(ch.isalpha() for ch in word)


def _names(paras: Paragraphs, others: dict[str, Paragraphs], min_letters: int = 5,
           letters_only: bool = False) -> list[tuple[int, Token]]:
    """Capitalised names and codes that every other rendering of the paragraph has verbatim."""
    pattern = _WORD if letters_only else _CODE
    return [(i, t) for i, p in enumerate(paras) for t in tokens(p)
            if pattern.match(t.text) and t.text[0].isupper() and _letters(t.text) >= min_letters
            and _shared(t.text, i, others)]


@register
class TruncateName(Injector):
    """A name or code (5+ letters) every other rendering shares, cut to a stub of 50-70 %: Windows → Wind."""

    name = "truncate_name"
    accepts = frozenset({"truncation", "entity_mismatch"})
    KEEP = (0.5, 0.7)

    def inject(self, paras, lang, others, rng):
        choice = _pick(rng, _names(paras, others))
        if choice is None:
            return None
        i, t = choice
        w = t.text
        keeps = [n for n in range(math.ceil(len(w) * self.KEEP[0]), math.floor(len(w) * self.KEEP[1]) + 1)
                 if 3 <= n < len(w)]
        if not keeps:
            return None
        stub = w[: rng.choice(keeps)]
        new = list(paras)
        new[i] = paras[i][: t.start] + stub + paras[i][t.end :]
        return new, self._fault(lang, i, new, f"{w} → {stub}")


_VOWELS = "aeiou"
_CONSONANTS = "bcdfghklmnprstvz"


@register
class MisspellName(Injector):
    """One letter of a shared name (5+ letters) substituted, dropped or doubled; never the first or the last two."""

    name = "misspell_name"
    accepts = frozenset({"entity_mismatch"})

    def inject(self, paras, lang, others, rng):
        choice = _pick(rng, _names(paras, others, letters_only=True))
        if choice is None:
            return None
        i, t = choice
        w = t.text
        pos = rng.randint(1, len(w) - 3)
        op = rng.choice(("substitute", "drop", "double"))
        c = w[pos]
        if op == "drop":
            wrong = w[:pos] + w[pos + 1 :]
        elif op == "double":
            wrong = w[: pos + 1] + c + w[pos + 1 :]
        else:
            pool = _VOWELS if c.lower() in _VOWELS else _CONSONANTS
            sub = rng.choice([x for x in pool if x != c.lower()])
            wrong = w[:pos] + (sub.upper() if c.isupper() else sub) + w[pos + 1 :]
        new = list(paras)
        new[i] = paras[i][: t.start] + wrong + paras[i][t.end :]
        return new, self._fault(lang, i, new, f"{w} → {wrong} ({op})")


# --- word order, case, repetition -----------------------------------------------------------------------------------


def _word_runs(s: str, skip_first: bool = True) -> list[list[Token]]:
    """Maximal runs of word tokens separated by spaces only (no punctuation between them)."""
    runs: list[list[Token]] = []
    cur: list[Token] = []
    toks = tokens(s)
    for j, t in enumerate(toks):
        # A word glued to an apostrophe or a sign ("l'attendaient", "x/y") stays where it is.
        glued = (t.start > 0 and not s[t.start - 1].isspace()) or (t.end < len(s) and s[t.end] in "'’-/")
        if (skip_first and j == 0) or glued or not _HAS_LETTER.search(t.text):
            if len(cur) >= 1:
                runs.append(cur)
            cur = []
            continue
        if cur and s[cur[-1].end : t.start].strip(" "):
            runs.append(cur)
            cur = []
        cur.append(t)
    if cur:
        runs.append(cur)
    return runs


_HAS_LETTER = re.compile(r"[^\W\d_]")


def _windows(s: str, sizes: range) -> list[list[Token]]:
    out = []
    for run in _word_runs(s):
        for n in sizes:
            for a in range(0, len(run) - n + 1):
                w = run[a : a + n]
                if len({t.text for t in w}) > 1:
                    out.append(w)
    return out


def _permute(s: str, window: list[Token], order: list[int]) -> str:
    gaps = [s[a.end : b.start] for a, b in zip(window, window[1:])]
    words = [window[j].text for j in order]
    body = words[0] + "".join(g + w for g, w in zip(gaps, words[1:]))
    return s[: window[0].start] + body + s[window[-1].end :]


def _shuffled_order(n: int, texts: list[str], rng: random.Random) -> list[int]:
    """A random order in which no word keeps its place (a rotation if 50 draws find none)."""
    order = list(range(n))
    for _ in range(50):
        rng.shuffle(order)
        if all(texts[j] != texts[k] for k, j in enumerate(order)):
            return order
    return list(range(1, n)) + [0]


def _shuffle_english(s: str, share: float, order: list[int]) -> str:
    """The English sentence with the window of the same size nearest the same relative position permuted alike."""
    options = _windows(s, range(len(order), len(order) + 1))
    if not options:
        return s
    w = min(options, key=lambda w: (abs(w[0].start / max(1, len(s)) - share), w[0].start))
    return _permute(s, w, order)


@register
class ShuffleWords(Injector):
    """3-5 consecutive words inside one sentence (no punctuation among them) put in another order."""

    name = "shuffle_words"
    accepts = frozenset({"garbled"})

    def inject(self, paras, lang, others, rng):
        options = [(i, k, n, off, s, w) for i, k, n, off, s in _sentences(paras, lang)
                   for w in _windows(s, range(3, 6))]
        choice = _pick(rng, options)
        if choice is None:
            return None
        i, k, n, off, s, w = choice
        texts = [t.text for t in w]
        order = _shuffled_order(len(w), texts, rng)
        faulty = _permute(s, w, order)
        new = list(paras)
        new[i] = _replace_sentence(paras[i], off, s, faulty)
        share = w[0].start / max(1, len(s))
        english = _english(lang, others, i,
                           lambda en: _in_sentence(en, k, n, lambda e: _shuffle_english(e, share, order)))
        return new, self._fault(lang, i, new, f"{' '.join(texts)} → {' '.join(texts[j] for j in order)}",
                                english=english)


_SENTENCE_END = tuple(".!?:")


@register
class CapitaliseFunctionWords(Injector):
    """Two frequent short words (Zipf >= 5.5, <= 5 letters) capitalised mid-sentence: 'und' → 'Und'."""

    name = "capitalise_function_words"
    accepts = frozenset({"garbled"})
    ZIPF = 5.5
    MAX_LEN = 5

    def inject(self, paras, lang, others, rng):
        options = []
        for i, _, _, off, s in _sentences(paras, lang):
            toks = tokens(s)
            cands = [t for j, t in enumerate(toks) if j > 0 and t.text.islower() and 2 <= len(t.text) <= self.MAX_LEN
                     and _WORD.match(t.text) and zipf(t.text, lang) >= self.ZIPF
                     and not s[: t.start].rstrip().endswith(_SENTENCE_END)]
            if len(cands) >= 2:
                options.append((i, off, s, cands))
        choice = _pick(rng, options)
        if choice is None:
            return None
        i, off, s, cands = choice
        picked = sorted(rng.sample(cands, 2), key=lambda t: t.start)
        faulty = s
        for t in reversed(picked):
            faulty = faulty[: t.start] + t.text[0].upper() + t.text[1:] + faulty[t.end :]
        new = list(paras)
        new[i] = _replace_sentence(paras[i], off, s, faulty)
        return new, self._fault(lang, i, new, ", ".join(f"{t.text} → {t.text.capitalize()}" for t in picked))


@register
class RepeatPhrase(Injector):
    """A phrase of 2-3 words repeated in place: 'cada vez' → 'cada vez cada vez'."""

    name = "repeat_phrase"
    accepts = frozenset({"doubled_word", "repeated_phrase"})

    def inject(self, paras, lang, others, rng):
        options = []
        for i, p in enumerate(paras):
            for run in _word_runs(p, skip_first=False):
                for n in (2, 3):
                    for a in range(0, len(run) - n + 1):
                        w = run[a : a + n]
                        if all(_WORD.match(t.text) for t in w) and sum(len(t.text) for t in w) >= 6:
                            options.append((i, w))
        choice = _pick(rng, options)
        if choice is None:
            return None
        i, w = choice
        p = paras[i]
        phrase = p[w[0].start : w[-1].end]
        new = list(paras)
        new[i] = p[: w[-1].end] + " " + phrase + p[w[-1].end :]
        return new, self._fault(lang, i, new, f"{phrase} {phrase}")


# --- omissions and untranslated text --------------------------------------------------------------------------------

_DELIMITER = re.compile(r"[,;](?=\s)")
_TRAILING = ".!?…:;\"'”»“)"


def _clauses(s: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of the spans of `s` that can go as a clause: `s[start:end]` is removed. intro: up to and
    including the first comma and the space after it; middle: a delimiter and what follows up to the next one;
    final: the last delimiter and what follows up to the closing punctuation."""
    marks = [m.start() for m in _DELIMITER.finditer(s)]
    if not marks:
        return []
    body_end = len(s.rstrip(_TRAILING))
    out = []
    first = marks[0]
    if s[first] == ",":
        after = first + 1
        while after < len(s) and s[after].isspace():
            after += 1
        out.append(("intro", 0, after))
    for a, b in zip(marks, marks[1:]):
        out.append(("middle", a, b))
    if marks[-1] < body_end:
        out.append(("final", marks[-1], body_end))
    return out


def _drop_clause(s: str, kind: str, a: int, b: int) -> str:
    rest = s[:a] + s[b:]
    if kind == "intro" and s[:1].isupper() and rest[:1].islower():
        rest = rest[0].upper() + rest[1:]
    return rest


def _clause_fits(s: str, a: int, b: int) -> bool:
    words = len(tokens(s))
    gone = len(tokens(s[a:b]))
    # A clause, not most of the sentence: what is left stays the larger part, or at least a third of it.
    return gone >= 3 and 0.15 * words <= gone <= 2 / 3 * words and words - gone >= 3


def _drop_english_clause(s: str, kind: str, centre: float) -> str:
    options = [(k, a, b) for k, a, b in _clauses(s) if _clause_fits(s, a, b)]
    if not options:
        n = len(tokens(s))
        return _drop_words(s, max(0.0, centre - 0.15), min(1.0, centre + 0.15)) if n >= 6 else s
    k, a, b = min(options, key=lambda c: (c[0] != kind, abs((c[1] + c[2]) / 2 / max(1, len(s)) - centre), c[1]))
    return _drop_clause(s, k, a, b)


@register
class DropClause(Injector):
    """A clause (3+ words, 15-67 % of the sentence) dropped from a sentence that stays: a span between commas or
    semicolons, the introductory phrase before the first comma, or the last clause after a comma."""

    name = "drop_clause"
    accepts = frozenset({"omission"})

    def inject(self, paras, lang, others, rng):
        options = [(i, k, n, off, s, c) for i, k, n, off, s in _sentences(paras, lang, 5) for c in _clauses(s)
                   if _clause_fits(s, c[1], c[2])]
        choice = _pick(rng, options)
        if choice is None:
            return None
        i, k, n, off, s, (kind, a, b) = choice
        faulty = _drop_clause(s, kind, a, b)
        new = list(paras)
        new[i] = _replace_sentence(paras[i], off, s, faulty)
        centre = (a + b) / 2 / max(1, len(s))
        english = _english(lang, others, i,
                           lambda en: _in_sentence(en, k, n, lambda e: _drop_english_clause(e, kind, centre)))
        return new, self._fault(lang, i, new, f"dropped ({kind}): {s[a:b].strip(' ,;')}", english=english)


@register
class UntranslatedSentence(Injector):
    """One sentence of a paragraph of 2+ sentences replaced by the English rendering's sentence at the same place
    (only where both paragraphs have as many sentences, so that the place matches)."""

    name = "untranslated_sentence"
    accepts = frozenset({"untranslated"})

    def inject(self, paras, lang, others, rng):
        en = others.get(PIVOT)
        if lang == PIVOT or en is None:
            return None
        options = []
        for i, p in enumerate(paras[: len(en)]):
            mine, theirs = split_sentences(lang, p), split_sentences(PIVOT, en[i])
            if len(mine) < 2 or len(mine) != len(theirs):
                continue
            options += [(i, off, s, e) for (off, s), (_, e) in zip(mine, theirs)
                        if _prose(e, 4) and _prose(s, 4) and _chrf(s, e) < MAX_DONOR_CHRF]
        choice = _pick(rng, options)
        if choice is None:
            return None
        i, off, s, e = choice
        new = list(paras)
        new[i] = _replace_sentence(paras[i], off, s, e)
        return new, self._fault(lang, i, new, f"{s[:60]} → {e[:60]}")


# --- placeholders ---------------------------------------------------------------------------------------------------

# Placeholders a translator must copy verbatim, most specific first; an UPPER_CASE word comes last (it may be a
# metavariable or an acronym).
_PLACEHOLDERS = (
    ("dollar", re.compile(r"\$\{?[A-Za-z_]\w*\}?")),
    ("brace", re.compile(r"\{[A-Za-z_][\w.]*\}")),
    ("printf_named", re.compile(r"%\([A-Za-z_]\w*\)[-+ 0#]*\d*[sdifrx]")),
    ("printf", re.compile(r"(?<![\w%])%[-+0#]*\d*(?:\.\d+)?[sdifuxXc](?![A-Za-z])")),
    ("angle", re.compile(r"<[A-Za-z_][\w-]*>")),
    ("option", re.compile(r"(?<![\w-])--[A-Za-z][\w-]*[A-Za-z0-9]")),
    ("upper", re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*(?![\w-])")),
)

# Just enough of a glossary to make a placeholder look translated; unknown words get their vowels shifted.
_GLOSSARY = {
    "de": {"file": "datei", "name": "bezeichnung", "dir": "verz", "directory": "verzeichnis", "path": "pfad",
           "user": "benutzer", "number": "nummer", "count": "anzahl", "size": "groesse", "mode": "modus",
           "order": "bestellung", "source": "quelle", "dest": "ziel", "target": "ziel", "value": "wert",
           "list": "liste", "pattern": "muster", "string": "zeichenkette", "command": "befehl", "time": "zeit",
           "key": "schluessel", "host": "rechner", "group": "gruppe", "owner": "besitzer", "backup": "sicherung",
           "force": "erzwingen", "all": "alle", "help": "hilfe", "version": "fassung", "verbose": "ausfuehrlich",
           "preserve": "erhalten", "no": "kein", "output": "ausgabe", "input": "eingabe", "link": "verweis",
           "level": "stufe", "line": "zeile", "width": "breite", "date": "datum", "email": "epost"},
    "fr": {"file": "fichier", "name": "nom", "dir": "rep", "directory": "repertoire", "path": "chemin",
           "user": "utilisateur", "number": "numero", "count": "nombre", "size": "taille", "mode": "maniere",
           "order": "commande", "source": "origine", "dest": "cible", "target": "cible", "value": "valeur",
           "list": "liste", "pattern": "motif", "string": "chaine", "command": "commande", "time": "temps",
           "key": "cle", "host": "hote", "group": "groupe", "owner": "proprietaire", "backup": "sauvegarde",
           "force": "forcer", "all": "tout", "help": "aide", "version": "edition", "verbose": "bavard",
           "preserve": "conserver", "no": "non", "output": "sortie", "input": "entree", "link": "lien",
           "level": "niveau", "line": "ligne", "width": "largeur", "date": "jour", "email": "courriel"},
    "id": {"file": "berkas", "name": "nama", "dir": "dir", "directory": "direktori", "path": "jalur",
           "user": "pengguna", "number": "nomor", "count": "jumlah", "size": "ukuran", "mode": "moda",
           "order": "pesanan", "source": "sumber", "dest": "tujuan", "target": "tujuan", "value": "nilai",
           "list": "daftar", "pattern": "pola", "string": "untai", "command": "perintah", "time": "waktu",
           "key": "kunci", "host": "inang", "group": "grup", "owner": "pemilik", "backup": "cadangan",
           "force": "paksa", "all": "semua", "help": "bantuan", "version": "versi", "verbose": "rinci",
           "preserve": "pertahankan", "no": "tanpa", "output": "keluaran", "input": "masukan", "link": "tautan",
           "level": "tingkat", "line": "baris", "width": "lebar", "date": "tanggal", "email": "surel"},
}
_SHIFT = str.maketrans("aeiouAEIOU", "eiouaEIOUA")


def _translated(ident: str, lang: str) -> str:
    """A translated-looking variant of an identifier: glossary words replaced, else the inner vowels shifted."""
    parts = re.split(r"([_\-.])", ident)
    glossary = _GLOSSARY.get(lang, {})
    out = [_case_like(glossary[p.lower()], p) if p.lower() in glossary else p for p in parts]
    if out != parts:
        return "".join(out)
    longest = max(range(len(parts)), key=lambda j: len(parts[j]))
    p = parts[longest]
    shifted = p[:1] + p[1:].translate(_SHIFT)
    if shifted == p:
        shifted = p + _case_like("x", p[-1:] or "x")
    parts[longest] = shifted
    return "".join(parts)


def _variant(kind: str, text: str, lang: str) -> str:
    if kind == "brace":
        return "{" + _translated(text[1:-1], lang) + "}"
    if kind == "printf_named":
        m = re.match(r"%\((\w+)\)(.*)", text)
        return f"%({_translated(m.group(1), lang)}){m.group(2)}"  # type: ignore[union-attr]
    if kind == "printf":
        conv = text[-1]
        return text[:-1] + {"s": "d", "d": "s"}.get(conv, "s")
    if kind == "dollar":
        m = re.match(r"(\$\{?)(\w+)(\}?)", text)
        return m.group(1) + _translated(m.group(2), lang) + m.group(3)  # type: ignore[union-attr]
    if kind == "angle":
        return "<" + _translated(text[1:-1], lang) + ">"
    if kind == "option":
        return "--" + _translated(text[2:], lang)
    return _translated(text, lang)


def _occurs(text: str, where: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(text) + r"(?!\w)", where) is not None


def placeholders(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every placeholder in `text`, most specific kind first where two overlap."""
    out: list[tuple[str, int, int]] = []
    for kind, pattern in _PLACEHOLDERS:
        for m in pattern.finditer(text):
            if kind == "upper" and (len(m.group()) < 3 or _letters(m.group()) < 2):
                continue
            if not any(a < m.end() and m.start() < b for _, a, b in out):
                out.append((kind, m.start(), m.end()))
    return sorted(out, key=lambda x: x[1])


@register
class TranslatePlaceholder(Injector):
    """A placeholder every other rendering keeps verbatim ({name}, %s, $VAR, <file>, --option, FILE) translated
    in this one: {order_number} → {nomor_pesanan}, %s → %d, FILE → DATEI."""

    name = "translate_placeholder"
    accepts = frozenset({"placeholder_mismatch", "entity_mismatch"})

    def inject(self, paras, lang, others, rng):
        options = [(i, kind, a, b) for i, p in enumerate(paras) for kind, a, b in placeholders(p)
                   if all(i < len(ps) and _occurs(p[a:b], ps[i]) for ps in others.values())]
        # Real placeholders before upper-case words, which may be acronyms.
        choice = _pick(rng, [o for o in options if o[1] != "upper"]) or _pick(rng, options)
        if choice is None:
            return None
        i, kind, a, b = choice
        p = paras[i]
        old = p[a:b]
        changed = _variant(kind, old, lang)
        if changed == old:
            return None
        new = list(paras)
        new[i] = p[:a] + changed + p[b:]
        return new, self._fault(lang, i, new, f"{old} → {changed}")

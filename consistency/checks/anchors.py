"""Anchors that survive translation unchanged: numbers and names. The renderings vote; the odd one out is blamed."""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Iterator

import regex

from consistency.checks.base import Check, Context, register
from consistency.checks.text import (ENDINGS, SPACED_LETTER, LangSet, Token, after_sigil, base, closes_sentence,
                                     edit_distance, fold, is_function_word, numbers, similar_names, tokens, word_forms,
                                     zipf)
from consistency.lexicon import known, lower_case_form
from consistency.model import Finding, ParagraphGroup, Sentence, Severity

# Digits that belong to placeholders ('%1$s', '%.50s') or to words and codes ('phase2', 'Base64-Text').
# Only letters of scripts that space their words make a code: '于2021年3月' is words and numbers, not a code.
# Numbered placeholders are code too: ICU/.NET '{0}', '{1,number}', Qt '%1' ('{1}' for '{0}' is a placeholder's
# defect, not a number's: found by a new user's .properties and .ts catalogues).
_IN_CODE = regex.compile(rf"%[\d$.#+-]*[a-zA-Z]|\{{\d+(?:,[^{{}}]*)?\}}|(?<![%\w])%L?\d+(?![\d$\w])"
                         rf"|{SPACED_LETTER}(?:{SPACED_LETTER}|\p{{Nd}})*\p{{Nd}}"
                         rf"(?:{SPACED_LETTER}|[\p{{Nd}}-])*", regex.V1)
# A file path: absolute, or relative to the current or home directory ('/usr/share/doc/fhs-2.3.html', '~/.config').
_PATH = regex.compile(r"(?<![\w/.~])(?:~|\.{1,2})?/[\w.+-]+(?:/[\w.+-]+)*/?")
# Links and addresses: their digits are theirs ('gpl-3.0.de.html'), placeholder_mismatch's business (handbook audit).
LINK = regex.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Numbers written in words ('three', 'cinquante', 'lima puluh'): num2words (cardinal and ordinal forms, 50+ languages)
# says how a language spells a number; a missing "3" is not a defect when the rendering says "three", nor a missing
# "50" when it says "une cinquantaine" (about fifty: the form with a suffix of up to NUMBER_WORD_SUFFIX letters, or,
# for a form ending in a vowel, without it: 'cinquant-aine'). Measured: the devref and handbook audits' French
# 'cinquantaine' and 'vingtaine' were false number findings.
NUMBER_WORD_SUFFIX = 5
# num2words spells 'eins', 'un', 'uno': inflected forms of one, as articles and numerals, are told here.
# Months by name: Chinese, Japanese and Korean write them as numbers ('3月', '3월' for 'March').
MONTHS = {
    "en": "january february march april may june july august september october november december",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "id": "januari februari maret april mei juni juli agustus september oktober november desember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}
# Numbers in Han characters (Chinese, Japanese: '五冊', '三週間') and Korean number words ('다섯 권', '세 권').
_HAN_NUMERALS = {ch: i for i, ch in enumerate("〇一二三四五六七八九十")} | {"零": 0, "两": 2, "兩": 2, "百": 100, "千": 1000}
_KOREAN_NUMBERS = {w: i for i, w in enumerate("영 하나 둘 셋 넷 다섯 여섯 일곱 여덟 아홉 열".split())} | {
    "한": 1, "두": 2, "세": 3, "네": 4, "스무": 20}
_MONTH_VALUES = {lang: {fold(w): i for i, w in enumerate(ws.split(), 1)} for lang, ws in MONTHS.items()}
# Inflected forms ("einem", "une", "zweiten") are caught by the first letters. Zero is also the adjective 'null'
# ('négative ou nulle' for '<= 0': gdk-pixbuf's French catalogue, Debian .mo audit; 'octet nul' for '0 byte').
_NUMBER_WORD_EXTRA = {"de": {"ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "eines": 1},
                      "fr": {"une": 1, "nul": 0, "nulle": 0, "nuls": 0, "nulles": 0},
                      "es": {"una": 1, "un": 1, "nulo": 0, "nula": 0, "nulos": 0, "nulas": 0},
                      "it": {"una": 1, "un": 1, "nullo": 0, "nulla": 0, "nulli": 0, "nulle": 0},
                      "pt": {"uma": 1, "nulo": 0, "nula": 0, "nulos": 0, "nulas": 0}, "en": {"null": 0}}


@lru_cache(maxsize=4096)
def _number_words(value: int, lang: str) -> tuple[tuple[str, ...], ...]:
    """The folded word forms num2words gives for `value` in `lang` (cardinal, ordinal), each as a tuple of words;
    () where num2words does not know the language."""
    try:
        from num2words import num2words  # noqa: PLC0415  (loaded only when a number is missing)
    except ImportError:
        return ()
    out = []
    for to in ("cardinal", "ordinal"):
        try:
            text = num2words(value, lang=lang, to=to)
        except (NotImplementedError, OverflowError, ValueError, TypeError, KeyError, IndexError):
            continue
        words = tuple(t.folded for t in tokens(text))
        if words and words not in out:
            out.append(words)
    return tuple(out)


class _Spelled:
    """The numbers a text writes in words, months or Roman or Han numerals: `value in spelled`."""

    def __init__(self, text: str, lang: str):
        self.lang = base(lang)
        toks = tokens(text)
        self.words = [t.folded for t in toks]
        extra = _NUMBER_WORD_EXTRA.get(self.lang, {})
        months = _MONTH_VALUES.get(self.lang, {})
        self.values = ({extra[w] for w in self.words if w in extra}
                       | {months[t.folded] for t in toks if t.folded in months and t.text[:1].isupper()}
                       | {v for t in toks if (v := _roman(t.text)) is not None})
        if self.lang in ("zh", "ja", "ko"):
            self.values |= {_HAN_NUMERALS[ch] for ch in text if ch in _HAN_NUMERALS}
        if self.lang == "ko":
            self.values |= {_KOREAN_NUMBERS[t.text] for t in toks if t.text in _KOREAN_NUMBERS}

    def __contains__(self, value: int) -> bool:
        if value in self.values:
            return True
        if value < 0 or value > 10**6 or not self.words:
            return False
        for form in _number_words(value, self.lang):
            if len(form) > 1:
                n = len(form)
                if any(tuple(self.words[i:i + n]) == form for i in range(len(self.words) - n + 1)):
                    return True
                continue
            w = form[0]
            if w in self.words:
                return True
            if len(w) < 4:
                continue
            stems = [w] + ([w[:-1]] if len(w) >= 5 and w[-1] in "aeiou" else [])
            if any(x.startswith(st) and len(x) - len(st) <= NUMBER_WORD_SUFFIX and x not in _all_number_words(self.lang)
                   for x in self.words for st in stems):
                return True  # 'cinquantaine', not 'seventeen' for 'seven'
        return False


@lru_cache(maxsize=None)
def _all_number_words(lang: str) -> frozenset[str]:
    """Every single-word form num2words gives for 0-100, the hundreds and 1000 in `lang`."""
    return frozenset(f[0] for v in [*range(101), *range(200, 1001, 100)] for f in _number_words(v, lang)
                     if len(f) == 1)


@dataclass(frozen=True)
class Occurrence:
    lang: str
    sentence: Sentence
    text: str
    start: int


def _sentences(ctx: Context, pg: ParagraphGroup, lang: str) -> list[Sentence]:
    return [s for i in pg.members[lang] for s in ctx.by_lang[lang].paragraph(i).sentences]


def _aligned_sentence(ctx: Context, occ: Occurrence, lang: str, fallback: list[Sentence]) -> Sentence:
    """The sentence of `lang` aligned with the sentence where `occ` stands (else the nearest by position)."""
    group = ctx.group_of_sentence.get((occ.lang, occ.sentence.ref))
    if group and group.members.get(lang):
        return ctx.by_lang[lang].sentence(group.members[lang][0])
    other = _sentences(ctx, ctx.paragraph_group[group.paragraph_group], occ.lang) if group else [occ.sentence]
    pos = other.index(occ.sentence) / max(1, len(other)) if occ.sentence in other else 0
    return fallback[min(len(fallback) - 1, int(pos * len(fallback)))]


# Digits, a comma, then digits that are no group of three: a list with its space lost ('1,2 or 3'), or a decimal
# comma. Read as a list only where a rendering lacks the value it would otherwise hold.
_LIST = regex.compile(r"(\p{Nd}+),(\p{Nd}{1,2}|\p{Nd}{4,})")


def _list_parts(text: str) -> tuple[str, ...]:
    """The numbers of `text` read as a list ('1,2' → ('1', '2')); empty where it cannot be one ('1,000', '3')."""
    m = _LIST.fullmatch(text)
    return m.groups() if m else ()


def _needed_support(n_others: int) -> int:
    """How many other renderings must agree before the one lacking an anchor is blamed: all of one, else two."""
    return 1 if n_others == 1 else 2


@register
class NumberMismatch(Check):
    kind = "number_mismatch"
    severity = Severity.ERROR
    description = "a number that differs from, or is missing against, the other renderings"

    def run(self, ctx: Context) -> Iterator[Finding]:
        for pg in ctx.paragraph_groups:
            present = pg.present()
            if len(present) < 2:
                continue
            occ: dict[str, dict[float, list[Occurrence]]] = {}
            spelled: dict[str, _Spelled] = {}
            in_code = {(lang, s.ref): [*_IN_CODE.finditer(s.text), *LINK.finditer(s.text)]
                       for lang in present for s in _sentences(ctx, pg, lang)}
            codes = {m.group().casefold() for found in in_code.values() for m in found}
            for lang in present:
                for s in _sentences(ctx, pg, lang):
                    masked = [(m.start(), m.end()) for m in in_code[(lang, s.ref)]]
                    heading = _section_number_end(s.text) if s.start == 0 else 0
                    for num in numbers(s.text, lang):
                        if any(a <= num.start < b for a, b in masked):
                            continue  # a digit of a placeholder or a code ('%1$s', 'phase2', 'Base64')
                        if _spaced_code(s.text, num.start, num.text, codes):
                            continue  # 'RAID 0' where the others write the code 'RAID0'
                        if num.end <= heading:
                            continue  # a heading's own number ('F.1. Preamble'): numbering, not content
                        occ.setdefault(lang, {}).setdefault(num.value, []).append(
                            Occurrence(lang, s, num.text, num.start))
                spelled[lang] = _Spelled(" ".join(s.text for s in _sentences(ctx, pg, lang)), lang)
            yield from self._heading_numbers(ctx, pg, present)
            for lang in present:
                others = [o for o in present if o != lang]
                mine = occ.get(lang, {})
                extra = [(v, o) for v, os in mine.items() if not any(v in occ.get(x, {}) for x in others)
                         for o in os[:1]]
                missing = []
                for value in sorted({v for x in others for v in occ.get(x, {})}):
                    support = [x for x in others if value in occ.get(x, {})]
                    if value in mine or len(support) < _needed_support(len(others)):
                        continue
                    if value == int(value) and int(value) in spelled[lang]:
                        continue
                    raw = {x.text for sup in support for x in occ[sup][value]}
                    if any(o.text in raw or raw & set(_list_parts(o.text)) for os in mine.values() for o in os):
                        continue  # the same digits, read by another language's separators ('40,000' in Spanish),
                        # or a list with its space lost ('(1,2 or 3)' beside '(1, 2 ou 3)')
                    missing.append((value, occ[support[0]][value][0], support))
                sents = _sentences(ctx, pg, lang)
                used = set()
                for value, first, support in missing:
                    where = _aligned_sentence(ctx, first, lang, sents)
                    # Every other rendering must carry the number (in digits or words) to blame this one: where
                    # some lack it too, the others disagree among themselves and the wrong one may be among them
                    # (catalogues audit: two of four renderings with a wrong bound each made the two right ones
                    # 'miss' it; all 14 real missing or replaced numbers of the eight audits had every other one).
                    split = any(x not in support and not (value == int(value) and int(value) in spelled[x])
                                for x in others)
                    severity = Severity.INFO if split else Severity.WARNING
                    swap = next(((v, o) for v, o in extra if o.sentence == where and v not in used), None)
                    if swap:
                        used.add(swap[0])
                        # A warning: another number in its place is as often the example localised (aptitude's
                        # screenshots, '28,5 ko' for '1000', 'unter 31' for 'within 30') as a wrong figure (audits:
                        # 1 real of 5 such errors).
                        yield ctx.finding(self, lang, where, swap[1].text,
                                          f"{swap[1].text} where {', '.join(support)} {_verb(support)} {first.text}",
                                          0.9 if len(support) > 1 or len(others) == 1 else 0.7, start=swap[1].start,
                                          severity=severity,
                                          evidence={"expected": first.text, "found_in": support})
                    else:
                        yield ctx.finding(self, lang, where, where.text,
                                          f"{first.text} is missing ({', '.join(support)} {_verb(support)} it)",
                                          0.8 if len(support) > 1 else 0.6, severity=severity,
                                          evidence={"expected": first.text, "found_in": support})
                written = {x.text for other in others for xs in occ.get(other, {}).values() for x in xs}
                for value, o in extra:
                    if value in used or len(others) < 2 and missing:
                        continue
                    if o.text in written:
                        continue
                    parts = _list_parts(o.text)
                    if parts and set(parts) <= written:
                        continue  # a list whose space is lost: each of its numbers is the others' own
                    if value == int(value) and sum(int(value) in spelled[x] for x in others) * 2 >= len(others):
                        continue  # the others spell it out ('minus one'; 'Le 2 differenze' for 'These two …')
                    if value == 0:
                        continue  # zero is said in words no list maps to a digit ('non-zero', 'nul', 'kein')
                    if any(m.group().casefold() == f"v{o.text}"
                           for x in others for s in _sentences(ctx, pg, x) for m in in_code[(x, s.ref)]):
                        continue  # the others write it as a version code ('v7+' for 'versión 7+'); not any code
                        # holding the digit ('PS/2' beside a '1' changed to '2': installer fault benchmark)
                    if any(occ.get(x) for x in others) or len(others) >= 2:
                        # Inside a file path only this rendering writes, the number is the path's: a reference
                        # the translation added ('(FHS, /usr/share/doc/debian-policy/fhs/fhs-2.3.html)'), info.
                        added_path = any(m.start() <= o.start < m.end() for m in _PATH.finditer(o.sentence.text))
                        yield ctx.finding(self, lang, o.sentence, o.text,
                                          f"{o.text} appears in no other rendering", 0.6 if len(others) >= 2 else 0.4,
                                          severity=Severity.INFO if added_path else Severity.WARNING, start=o.start)

    def _heading_numbers(self, ctx: Context, pg: ParagraphGroup, present: list[str]) -> Iterator[Finding]:
        """A heading's own number ('6.4.3.' where the others agree on '6.4.2.'): renumbered. One that some renderings
        carry and others leave out is a convention of the numbering, not a defect (skipped in the vote above)."""
        numbered = {lang: h for lang in present if (h := _heading_number(ctx, pg, lang))}
        for lang, (s, mine) in numbered.items():
            others = {o: h[1] for o, h in numbered.items() if o != lang}
            if len(others) >= 2 and len(set(others.values())) == 1 and mine not in others.values():
                expected = next(iter(others.values()))
                if self._reordered(ctx, lang, mine, expected, others):
                    continue
                yield ctx.finding(self, lang, s, mine, f"section number {mine} where {', '.join(sorted(others))} "
                                  f"{_verb(list(others))} {expected}", 0.9, start=0,
                                  evidence={"expected": expected, "found_in": sorted(others)})

    def _reordered(self, ctx: Context, lang: str, mine: str, expected: str, others: dict[str, str]) -> bool:
        """Whether the rendering has the others' number on another heading and they have its number elsewhere:
        sections in another order, each numbered right for it (the Italian installer guide's 8.2.2 and 8.2.3)."""
        def numbers(x: str) -> set[str]:
            return {h[1] for g in ctx.paragraph_groups if g.members[x] and (h := _heading_number(ctx, g, x))}
        return expected in numbers(lang) and all(mine in numbers(o) for o in others)


_WORD_BEFORE = regex.compile(r"(\p{L}+)[\s-]$")


# 'F.1.', 'D.3.2', '8.2.3.', '1.' (not '600 Mo', '3.5 GB').
_SECTION_NUMBER = regex.compile(r"^\s*(?:\p{Lu}\.\p{Nd}+(?:\.\p{Nd}+)*\.?|\p{Nd}+(?:\.\p{Nd}+)*\.)(?=\s|$)")
_ROMAN = regex.compile(r"^[IVXLC]{2,}$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _section_number_end(text: str) -> int:
    """Where the section number that opens a heading ends ('8.2.3. Application …', 'F.1. Preamble'), else 0."""
    m = _SECTION_NUMBER.match(text)
    return m.end() if m else 0


def _roman(word: str) -> int | None:
    """The value of a Roman numeral of two or more letters ('XXI' → 21: 'siglo XXI' for '21st century')."""
    if not _ROMAN.match(word):
        return None
    values = [_ROMAN_VALUES[c] for c in word]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _spaced_code(text: str, start: int, number: str, codes: set[str]) -> bool:
    """Whether the number at `start` is the end of a code written with a space or a hyphen ('RAID 0', 'base-64')
    that some rendering of the paragraph writes solid ('RAID0', 'Base64-Kopfteile')."""
    m = _WORD_BEFORE.search(text, 0, start)
    if not m:
        return False
    code = f"{m.group(1)}{number}".casefold()
    return code in codes or any(c.startswith(code + "-") for c in codes)


def _heading_number(ctx: Context, pg: ParagraphGroup, lang: str) -> tuple[Sentence, str] | None:
    sents = _sentences(ctx, pg, lang)
    if not sents or sents[0].start != 0:
        return None
    end = _section_number_end(sents[0].text)
    return (sents[0], sents[0].text[:end].strip()) if end else None


def _verb(langs: list[str]) -> str:
    return "has" if len(langs) == 1 else "have"


# --- names ---------------------------------------------------------------------------------------------------------

# Languages that capitalise every noun: a capital letter there says nothing about names.
CAPITALISED_NOUNS = LangSet({"de", "lb"})
# The same acronym across languages (AI in English, KI in German, IA in French and Spanish).
ALIASES = [{"AI", "KI", "IA", "AL"}, {"US", "USA", "AS", "EUA", "EE.UU", "ÉU"}, {"EU", "UE"}, {"UN", "ONU", "PBB", "UNO"},
           {"NATO", "OTAN", "NAVO"}, {"UK", "RU"}, {"GDP", "PIB", "BIP", "PDB"}]
_ALIAS = {a: frozenset(group) for group in ALIASES for a in group}
# Names this common in their own language (Zipf >= 4, ten per million words) are everyday vocabulary that
# translators render freely ('US' → 'américain', 'China' → 'Tiongkok'); their absence proves nothing.
COMMON_NAME_ZIPF = 4.0
# A token sharing this many first letters with a missing name, and known to nobody, is that name mangled
# ('Trähusbyggarförening' for 'Trähusbyggarnas Riksförening').
MANGLED_PREFIX = 6
# A name of two uncommon words ('Elena Kovacs', not 'Debian Policy' or 'Session Initiation Protocol') missing as a
# whole is a dropped name, not a rewording: both under ten per million words in the language that has them (first
# names such as 'Elena' reach 3.8), one under one per million.
NAME_ZIPF = 4.0
RARE_NAME_ZIPF = 3.0
# A name every other rendering writes in this many paragraphs or more and this one in none is the translation's own
# name for it (maintguide audit: French 'libtruc1' for 'libfoo1' throughout, 4 false warnings; es 'CÓMO', fr 'FAQ').
NAME_CONVENTION_USES = 2
# A sentence shorter than this share of its expected length has lost content along with the name.
SHORT_CONTEXT = 0.6
# Names this long and longer are compared letter by letter: shorter ones differ by one letter legitimately
# across languages too often ('Iran'/'Irak').
MISSPELT_MIN = 5
# Codes in capitals are compared from three letters on ('RAID', 'SCSI', 'DHCP').
MISSPELT_MIN_CODE = 3
# A code's mangled form keeps its shape: first letter, length within one, and at least this difflib ratio of its
# letters ('NIIDID'/'NEEDED' 0.5, 'RIEDMI'/'README' 0.67, 'UNRILIESID'/'UNRELEASED' 0.7); below NO_WORD_ZIPF and
# unknown to the dictionary it is no word of the language either.
CODE_SHAPE_RATIO = 0.5
NO_WORD_ZIPF = 1.0
# Codes this long may have two letters changed and still be read as that code mangled (shorter ones are other
# codes: 'DNS'/'DHS').
CODE_TWO_EDITS = 4
_QUANTITY = regex.compile(r"^\p{Nd}+(?:[.,]\p{Nd}+)?\p{L}{1,3}$")
# A code with a lower-case tail of one or two letters ('VT2x', 'RTL8111x', 'CDs'): compared as a code, so that a
# letter added to it is a mangling, and the language's endings ('CDs', 'URLs') pass as inflection.
_CODE_TAIL = regex.compile(r"^(?=.*\p{Lu}.*\p{Lu}|.*\p{Nd})[\p{Lu}\p{Nd}]{2,}\p{Ll}{1,2}$")
_ACRONYM = regex.compile(r"^(?:\p{Lu}{2,}\p{Ll}?|\p{Lu}+\p{Nd}+\p{Lu}*|\p{Lu}\p{Ll}*\p{Nd}+)$")


def _entity_tokens(sentences: list[Sentence], lang: str) -> list[Occurrence]:
    """Names and codes: acronyms, words with digits, and capitalised words not opening a sentence."""
    out = []
    for s in sentences:
        toks = tokens(s.text)
        for k, t in enumerate(toks):
            if t.is_number or len(t.text) < 2 or after_sigil(s.text, t.start):
                continue
            if _QUANTITY.match(t.text):
                continue  # a number with its unit ('780MB'): number_mismatch's business
            acronym = bool(_ACRONYM.match(t.text)) or (t.has_digit and any(c.isalpha() for c in t.text))
            opening = k == 0 or _opens(s.text[toks[k - 1].end : t.start], (".", ":", "«", "“", "\"", "„"))
            capital = t.text[0].isupper() and not opening and len(t.text) >= 3
            if (acronym or (capital and lang not in CAPITALISED_NOUNS)) and zipf(t.text.lower(), lang) < COMMON_NAME_ZIPF:
                out.append(Occurrence(lang, s, t.text, t.start))
    return out


# Japanese writes in three scripts at once; Han characters, kana and Hangul stand for a syllable or a word each,
# about as much as SYLLABIC_WEIGHT Latin letters.
_SCRIPT_FAMILY = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HALFWIDTH": "CJK", "CJK": "CJK"}
SYLLABIC_WEIGHT = 3


def _script(word: str) -> str:
    """The script of a word's first letter, by the first word of its Unicode name ('LATIN', 'CJK', 'HANGUL')."""
    ch = next((c for c in word if c.isalpha()), "")
    name = unicodedata.name(ch, "?").split(" ", 1)[0] if ch else "?"
    return _SCRIPT_FAMILY.get(name, name)


def _main_script(text: str) -> str:
    """The script a text is mostly written in: a rendering in another script than a name's writes that name in its
    own ('Lopez' is '洛佩斯' in Chinese, 'Лопес' in Russian), so the name's absence there proves nothing."""
    counts: dict[str, float] = {}
    for ch in text:
        if ch.isalpha():
            name = _script(ch)
            counts[name] = counts.get(name, 0) + (SYLLABIC_WEIGHT if name in ("CJK", "HANGUL") else 1)
    return max(counts, key=lambda k: (counts[k], k)) if counts else "?"


def _present(name: str, vocabulary: set[str], surface: set[str]) -> bool:
    if name.upper() in _ALIAS and surface & _ALIAS[name.upper()]:
        return True
    f = fold(name)
    if f in vocabulary or (len(f) > 3 and f.endswith("s") and f[:-1] in vocabulary):
        return True
    if "-" in f and all(part in vocabulary for part in f.split("-") if part):
        return True  # inside a longer compound ('Pre-Boot-Execution-Environment-Methode')
    return any(similar_names(f, v) for v in vocabulary if abs(len(v) - len(f)) <= 1)


@register
class EntityMismatch(Check):
    kind = "entity_mismatch"
    severity = Severity.WARNING
    description = "a name or code that the other renderings agree on and this one lacks"

    def run(self, ctx: Context) -> Iterator[Finding]:
        uses: dict[str, Counter] = {}
        for pg in ctx.paragraph_groups:
            present = pg.present()
            if len(present) < 2:
                continue
            sents = {lang: _sentences(ctx, pg, lang) for lang in present}
            vocab = {lang: set().union(*(word_forms(s.text) for s in sents[lang])) for lang in present}
            surface = {lang: {t.text for s in sents[lang] for t in tokens(s.text)} for lang in present}
            # A capitalised word supports a name only where it is capitalised too, or at least no common word:
            # 'Maritime' (English title case) is not backed by the French 'maritime', 'Miles' is by 'miles'.
            capitals = {lang: {fold(w) for w in surface[lang] if w[:1].isupper() or zipf(w, lang) < COMMON_NAME_ZIPF}
                        for lang in present}
            names = {lang: _entity_tokens(sents[lang], lang) for lang in present}
            scripts = {lang: _main_script(" ".join(s.text for s in sents[lang])) for lang in present}
            for lang in present:
                yield from self._misspelt(ctx, lang, [o for o in present if o != lang], names, vocab, sents[lang])
            for lang in present:
                others = [o for o in present if o != lang]
                seen: set[str] = set()
                for o in others:
                    for occ in names[o]:
                        key = fold(occ.text)
                        if key in seen or _present(occ.text, vocab[lang], surface[lang]):
                            continue
                        plain = occ.text[:1].isupper() and not _ACRONYM.match(occ.text) and not any(
                            c.isdigit() for c in occ.text)
                        if plain and _script(occ.text) != scripts[lang]:
                            continue  # 'Lopez' in Chinese is '洛佩斯', in Russian 'Лопес': written in its script
                        support = [x for x in others
                                   if _present(occ.text, capitals[x] if plain else vocab[x], surface[x])]
                        if len(support) < _needed_support(len(others)):
                            continue
                        seen.add(key)
                        where = _aligned_sentence(ctx, occ, lang, sents[lang])
                        strong = len(support) == len(others) and len(others) >= 2
                        why = _why_missing(ctx, occ, lang, where, vocab, others) if strong else None
                        if why and _never_used(ctx, uses, occ.text, lang, support):
                            why = None  # a convention of this translation ('libtruc1' for 'libfoo1', 'CÓMO')
                        # A name merely absent is mostly a translator's rewording ('these two techniques' for
                        # 'LVM and RAID', 'Strg' for 'Ctrl'): info. It is a defect when the rest of the name
                        # survived, a mangled form of it stands there, or the content around it is gone too.
                        yield ctx.finding(
                            self, lang, where, occ.text,
                            f"'{occ.text}' ({', '.join(support)}) has no counterpart here" + (f": {why}" if why else ""),
                            0.8 if why else 0.5, severity=Severity.WARNING if why else Severity.INFO,
                            evidence={"expected": occ.text, "found_in": support, **({"reason": why} if why else {})})

    def _misspelt(self, ctx: Context, lang: str, others: list[str], names: dict[str, list[Occurrence]],
                  vocab: dict[str, set[str]], sentences: list[Sentence]) -> Iterator[Finding]:
        """A name one letter off the spelling the others agree on ('Depseek' for 'Deepseek', 'Müller' for 'Miller'):
        a misspelling, not a match. Changes at the end are inflection or exonyms ('Chine', 'Chinas') and pass."""
        # Any spelling in the others counts, not only their name-like tokens: German capitalises every noun, so
        # its names are not told apart, yet its 'Deepseek' still votes for the spelling.
        spelled: dict[str, list[str]] = {}
        for o in others:
            for w in vocab[o]:
                spelled.setdefault(w, []).append(o)
        seen: set[str] = set()
        # A word opening a sentence may be a name too ('Sofware in the Public Interest'), if the dictionary
        # rejects it. German capitalises every noun, so its names are not told apart from nouns by case
        # anywhere: a capitalised word its dictionary rejects may be a name ('Lipux' for 'Linux').
        candidates = names[lang] + [replace(o, lang=lang) for o in _capitalised(sentences, openers=True)
                                    if known(o.text, lang) is False]
        if lang in CAPITALISED_NOUNS:
            candidates = candidates + [replace(o, lang=lang) for o in _capitalised(sentences)
                                       if known(o.text, lang) is False]
        for occ in candidates:
            mine = fold(occ.text)
            code = occ.text.isupper() or bool(_CODE_TAIL.match(occ.text))
            digits = any(ch.isdigit() for ch in occ.text)
            # (A name of MISSPELT_MIN letters with one dropped is one letter shorter: 'Lnux'.)
            if mine in seen or len(mine) < (MISSPELT_MIN_CODE if code else MISSPELT_MIN - 1) \
                    or any(mine in vocab[o] for o in others):
                continue
            if known(occ.text, lang):
                # A word of this language ('Meilen' is German): the literal-translation rule's business. So is a
                # code in capitals that is one: a translated metavariable ('NAMA' for 'NAME', 'DOMÄNE' for
                # 'DOMAIN'), however rare the word ('domäne' is at Zipf 3.3, the mangled 'BOUS' at 2.5: a
                # frequency bar that let 'BOUS' through made 'DOMÄNE' a false error in the handbook).
                continue
            for name, support in sorted(spelled.items()):
                if len(support) < _needed_support(len(others)):
                    continue
                if name.replace("-", "") == mine:
                    continue  # written solid ('Fallback' for 'fall-back'): a spelling of the language
                distance = edit_distance(name, mine, 2)
                # Codes are not respelled: two letters changed in a code of four or more is still that code
                # mangled ('REOD' for 'RAID', 'BOUS' for 'BIOS'), if it keeps its first letter and length.
                if not (distance == 1 or (code and distance == 2 and len(mine) == len(name) >= CODE_TWO_EDITS
                                          and mine[0] == name[0])):
                    continue
                if code and (name.endswith(mine) or mine.endswith(name)
                             or name.rstrip("0123456789") == mine.rstrip("0123456789")):
                    continue  # the family ('UEFI' beside 'EFI', 'GRUB' beside 'GRUB2'); 'DHCPX' for 'DHCP' is mangled
                if code and mine.startswith(name) and mine[len(name):] in ENDINGS.get(lang, ENDINGS["*"]):
                    continue  # the code with the language's ending ('SONAMEN', German plural of 'SONAME')
                if digits and (name in vocab[lang] or not any(c.isdigit() for c in name)):
                    continue  # 'RAID1' beside 'RAID': a variant of the code; only a code replaced is mangled
                # Codes do not inflect: any one-letter change counts ('REOD' for 'RAID', 'XMPPX'). Names may change
                # their ending by inflection or exonym ('Chinas', 'Chine'): only inner changes count.
                if not code and (len(name) < MISSPELT_MIN or name[0] != mine[0] or name[-2:] != mine[-2:]):
                    continue
                if code and not any(t.text.isupper() and fold(t.text) == name for o in support
                                    for x in _sentences_of(ctx, occ, o) for t in tokens(x.text)):
                    continue  # the others must write it as a code too
                seen.add(mine)
                expected = next((t.text for o in support for x in _sentences_of(ctx, occ, o)
                                 for t in tokens(x.text) if fold(t.text) == name), name)
                # A letter added at the end of a code may be another code of the family ('NULL' beside 'NUL' in
                # the catalogue audit): the others agree, yet only a warning.
                strong = (len(support) == len(others) and len(others) >= 2
                          and not (code and mine.startswith(name) and len(mine) == len(name) + 1))
                yield ctx.finding(self, lang, occ.sentence, occ.text,
                                  f"'{occ.text}' is misspelt: {', '.join(support)} {_verb(support)} '{expected}'",
                                  0.85 if strong else 0.7, start=occ.start,
                                  severity=Severity.ERROR if strong else Severity.WARNING,
                                  evidence={"expected": expected, "found_in": support})
                break


def _opens(gap: str, marks: tuple[str, ...]) -> bool:
    """Whether the text between two tokens ends in a mark that opens a sentence or a quotation. A stop or colon
    opens only with a space after it: 'Aptitude::ProblemResolver' and 'debian.Name' are one qualified name
    (the aptitude fault benchmark's misspelt 'Aptitude::ProbleResolver' passed as a sentence opener)."""
    mark = gap.strip()[-1:]
    return mark in marks and (mark not in ".:!?" or gap[-1:].isspace())


def _capitalised(sentences: list[Sentence], openers: bool = False) -> list[Occurrence]:
    """Capitalised words of `sentences` (one letter short of MISSPELT_MIN and longer) that do not open a sentence,
    or with `openers`, those that do."""
    out = []
    for s in sentences:
        toks = tokens(s.text)
        for k, t in enumerate(toks):
            opens = k == 0 or _opens(s.text[toks[k - 1].end : t.start], (".", ":", "!", "?"))
            if (opens == openers and t.text[:1].isupper() and t.text[1:].islower()
                    and len(t.text) >= MISSPELT_MIN - 1 and t.text.isalpha()):
                out.append(Occurrence("", s, t.text, t.start))
    return out


def _sentences_of(ctx: Context, occ: Occurrence, lang: str) -> list[Sentence]:
    """The sentences of `lang` in the paragraph group where `occ` stands."""
    group = ctx.group_of_sentence.get((occ.lang, occ.sentence.ref))
    if group is None:
        return []
    return _sentences(ctx, ctx.paragraph_group[group.paragraph_group], lang)


def _never_used(ctx: Context, uses: dict[str, Counter], name: str, lang: str, support: list[str]) -> bool:
    """Whether `lang` writes `name` in none of its paragraphs while each rendering in `support` writes it in at least
    NAME_CONVENTION_USES: the translation's own name for the thing, used throughout (the French maintainers' guide
    renames the example 'libfoo1' to 'libtruc1', Spanish writes 'CÓMO' for 'HOWTO'), not a name lost here.
    `uses` memoises, per language, in how many paragraphs each word form occurs."""
    def count(x: str) -> int:
        if x not in uses:
            uses[x] = Counter(w for p in ctx.by_lang[x].paragraphs for w in word_forms(p.text))
        return uses[x][fold(name)]
    return count(lang) == 0 and all(count(x) >= NAME_CONVENTION_USES for x in support)


def _why_missing(ctx: Context, occ: Occurrence, lang: str, where: Sentence, vocab: dict[str, set[str]],
                 others: list[str]) -> str | None:
    """Why a name the others all carry is a defect here, or None when its absence may well be a rewording."""
    toks = tokens(occ.sentence.text)
    k = next((i for i, t in enumerate(toks) if t.start == occ.start), None)
    if k is not None:
        for j in (k - 1, k + 1):
            if not (0 <= j < len(toks)) or not toks[j].text[:1].isupper() or toks[j].text.isupper():
                continue
            if known(toks[j].text, occ.lang) or zipf(toks[j].text.lower(), occ.lang) >= RARE_NAME_ZIPF:
                continue  # a descriptive name ('Artistic License', 'Debian Policy'): translating it is fine
            replaced = _replaced_part(where, toks[j].text, j - k, occ, vocab, others, lang)
            if replaced:
                return (f"the rest of the name, '{toks[j].text}', is here with '{replaced}' in place of "
                        f"'{occ.text}' (a name translated word for word)")
    # Headings and labels say less by nature: a name they leave out is condensed, not lost ('Autres logiciels
    # disponibles' for 'Other software available for Debian', the French ISO 15924 names without the variants in
    # brackets, 'warang citi' for 'Warang Citi (Varang Kshiti)'; installer and Debian .mo audits, 15 false warnings).
    prose = closes_sentence(occ.sentence.text)
    if k is not None and prose and zipf(occ.text.lower(), occ.lang) < NAME_ZIPF:
        for j in (k - 1, k + 1):
            if 0 <= j < len(toks) and toks[j].text[:1].isupper() and not toks[j].text.isupper() \
                    and zipf(toks[j].text.lower(), occ.lang) < NAME_ZIPF and fold(toks[j].text) not in vocab[lang] \
                    and min(zipf(toks[j].text.lower(), occ.lang), zipf(occ.text.lower(), occ.lang)) < RARE_NAME_ZIPF \
                    and _proper(toks[j].text) and _proper(occ.text) \
                    and any(fold(toks[j].text) in vocab[x] for x in others if x != occ.lang) \
                    and _spaced(occ.sentence.text, toks[j], toks[k]):
                # The whole name is one the others write too: a German noun beside a code ('Handbuchpfad MANPATH',
                # 'Originalautoren libfoo-1') is no first name (catalogues, devref and maintguide audits). Its words
                # stand apart: 'ReleaseGoals/LAFileRemoval' is a page's path, which a translation may describe in
                # words (maintguide audit, French: two false warnings).
                pair = " ".join(t.text for t in sorted((toks[j], toks[k]), key=lambda t: t.start))
                return f"the whole name '{pair}' is missing"
    name = fold(occ.text)
    if len(name) >= MANGLED_PREFIX:
        for t in tokens(where.text):
            f = fold(t.text)
            if (f[:MANGLED_PREFIX] == name[:MANGLED_PREFIX] and f != name and not any(f in vocab[o] for o in others)
                    and not known(t.text, lang) and t.text[:1].isupper() == occ.text[:1].isupper()):
                # (A name mangled keeps its capital; 'multidisque' for 'Multidisk' is the name translated.)
                return f"'{t.text}' stands there instead (a mangled form)"
    if occ.text.isupper() and occ.text.isalpha() and len(name) >= CODE_TWO_EDITS:
        for t in tokens(where.text):
            f = fold(t.text)
            if (t.text.isupper() and t.text.isalpha() and f[:1] == name[:1] and f != name
                    and abs(len(f) - len(name)) <= 1 and SequenceMatcher(None, f, name).ratio() >= CODE_SHAPE_RATIO
                    and not any(f in vocab[o] for o in others) and zipf(t.text.lower(), lang) < NO_WORD_ZIPF
                    and known(t.text, lang) is False):
                # A code the others keep, and in its place capitals of its shape that are no word of this
                # language ('NIIDID' for 'NEEDED', 'RIEDMI' for 'README': maintguide fault benchmark). A code the
                # language names in its own words ('NAMA', 'LISEZMOI', 'DATEI') is a word, or shaped otherwise.
                return f"'{t.text}' stands there instead (the code mangled)"
    # A short sentence around the gap: content dropped along with the name. Only for a proper name: in the
    # installer audits words a translation renders ('Enter' as 'Entrée', 'HOWTO' as 'CÓMO', 'Lesser') were false.
    group = ctx.group_of_sentence.get((lang, where.ref))
    if group is not None and _proper(occ.text) and prose:
        expected = sorted(len(ctx.text(o, group.members[o])) * ctx.length_ratio[(lang, o)]
                          for o in others if group.members.get(o))
        if expected and len(ctx.text(lang, group.members[lang])) < SHORT_CONTEXT * expected[len(expected) // 2]:
            return "the sentence around it is short too (content dropped)"
    return None


def _spaced(text: str, a: Token, b: Token) -> bool:
    """Whether two tokens of `text` are separated by white space only."""
    first, second = sorted((a, b), key=lambda t: t.start)
    gap = text[first.end:second.start]
    return bool(gap) and gap.isspace()


def _replaced_part(where: Sentence, companion: str, side: int, occ: Occurrence, vocab: dict[str, set[str]],
                   others: list[str], lang: str) -> str | None:
    """'Meilen Brundage' for 'Miles Brundage': the companion part of the name stands in this rendering, and on the
    side where the missing part stood (side -1: the missing part came after it) stands a word no other rendering
    has, capitalised like a name (any noun in German). Returns that word, or None."""
    toks = tokens(where.text)
    for i, t in enumerate(toks):
        if fold(t.text) != fold(companion):
            continue
        # Word order inside a name may differ between renderings ('Brundage Miles'): the expected side first.
        for j in (i - side, i + side):
            if not (0 <= j < len(toks)):
                continue
            w = toks[j].text
            if (w[:1].isupper() and not w.isupper() and not any(fold(w) in vocab[o] for o in others)
                    and not is_function_word(w.lower(), lang) and fold(w)[:3] != fold(occ.text)[:3]):
                return w
    return None


def _proper(word: str) -> bool:
    """A proper name: the English Hunspell dictionary rejects it in lower case ('Kovacs', 'Elena'), unlike the
    words of a descriptive name that translations render ('Interface Devices', 'Filesystem Hierarchy')."""
    return lower_case_form(word, "en") is False

"""Truncation: a word or name cut short ('Antrop' where the other renderings have 'Anthropic'), or a paragraph that
stops mid-sentence."""
from __future__ import annotations

from collections import Counter
from statistics import median
from typing import Iterator

import regex

from consistency.checks.anchors import CAPITALISED_NOUNS, LINK
from consistency.checks.base import Check, Context, register
from consistency.checks.text import (CLOSERS, COMPOUNDING, ENDINGS, LOANWORD_SPELLING, STOPS, TERM_USES,
                                     after_sigil, borrowed, closes_sentence, edit_distance, fold, has_wordlist,
                                     is_function_word, tokens, without_possessive, word_forms, zipf)
from consistency.lexicon import completion, known, lower_case_form
from consistency.model import Finding, Severity

# A token this frequent (Zipf) in its own language is a real word there, never a stub ('Dia' is not 'Diana').
COMMON_WORD_ZIPF = 3.0
# wordfreq's long tail (Zipf 1-3) holds names and junk as well as rare words ('macke' 1.6): a stub found there
# needs every other rendering to have the full word in the aligned sentence.
RARE_WORD_ZIPF = 1.0
# The stub must be clearly shorter than the full word: 'Depseek' vs 'Deepseek' (7/8) is a misspelling, not a cut.
MAX_KEPT_FRACTION = 0.85
# Stubs shorter than this match too many words by accident; a name cut to three letters ('Lin' for 'Linux') needs
# every other rendering to have the name in the aligned sentence.
MIN_STUB = 4
MIN_NAME_STUB = 3
# A cut-short ordinary word must not be an English term kept in the text ('config', 'regex'): rarer in English
# than once per million words.
FOREIGN_TERM_ZIPF = 3.0
# The dictionaries reject it; web text may still have it as junk, a typo or an abbreviation (Zipf < 2.5: 'anot',
# 'trus', 'benu'; injected cuts 'beca', 'targ', 'informa', 'progr', 'termi' sit at 2.1-2.5).
CUT_WORD_ZIPF = 2.5
# The rest of a compound is a word of its own there ('byte' in 'Nullbyte' 2.9; the 'ic' of 'Anthropic' is none).
COMPOUND_HEAD_ZIPF = 2.0
MIN_COMPOUND_HEAD = 4  # shorter rests are word ends that happen to spell something ('Garan|tie')
# Compound tails (German 'Massenmarkt|penetrs') are tried from this length on.
MIN_TAIL = 5
_SPACED_NUMBER = regex.compile(r"\s(\p{Nd}+)\b")
# Closing punctuation, brackets included: a paragraph ending in a link ('…/team/>') or a reference ends well.
# German closes quotations with '«' and '“' (»config«, „so“): a message ending on one ends well (catalogue audit).
_TERMINAL = STOPS + tuple(CLOSERS)
# What a cut must remove: at least this many letters, and not just an inflection ('Depseek' for 'Deepseeks' is a
# misspelling plus a genitive -s, not a cut).
MIN_CUT = 2
INFLECTIONS = {"s", "es", "e", "en", "n", "er", "em", "ern"}
# Endings that derive one word from another across these languages: a known word plus one of them is a cognate.
DERIVATIONS = {"ly", "ed", "ing", "ion", "ions", "ation", "ment", "ement", "ive", "ity", "ite", "ness", "ers", "era",
               "ee", "es", "ung", "ungen", "ieren", "iert", "isch", "ique", "able", "ible"}
# A text that ends on a placeholder ('cannot remove %s') ends there on purpose.
PLACEHOLDER_END = regex.compile(r"(?:%[\w$.-]*[a-zA-Z]|\{[\w.]+\}|\$\{?\w+\}?)[\"'»”)]*$")
# "avant -garde": a hyphenated word broken by a stray space is not a truncation.
_BROKEN_HYPHEN = regex.compile(r"\s?-\s?\p{L}")
# A final sentence this much shorter than its counterparts, with no closing punctuation, was cut mid-way; fewer
# missing characters than MIN_CUT_CHARS is wording (short option descriptions vary by a few words).
CUT_SENTENCE_RATIO = 0.8
MIN_CUT_CHARS = 20
HALF_CUT_RATIO = 0.5
# Renderings that must have the full word for a stub to be an error.
MIN_CUT_WITNESSES = 2
# Ending on a function word ('…Prioritäten und') is itself the sign of a cut: a smaller shortfall will do. Above
# 0.85 it is word order ('… yang baru' 87-88 %, '… sind' 87 %, a German 'mit' before a command block 95 %: 4 false
# warnings in the catalogue and FAQ audits, against 1 real at 86 %); injected cuts keep 40-70 %.
DANGLING_RATIO = 0.85
MIN_DANGLING_CHARS = 5


def _inflected(word: str, lang: str) -> bool:
    """A known word plus an inflectional ending ('Exports' = 'Export' + 's') is a whole word, not a stub."""
    return any(word.endswith(e) and len(word) - len(e) >= 3 and zipf(word[: -len(e)], lang) >= COMMON_WORD_ZIPF
               for e in ENDINGS.get(lang, ENDINGS["*"]))


# Linking elements between the parts of a compound (German 'Arbeit-s-platz', Dutch 'boek-en-kast').
_LINKS = ("s", "es", "n", "en", "e", "-")


def _compound_head(head: str, lang: str) -> bool:
    """Whether `head` is the first part of a compound: a word of the language, maybe with a linking element
    ('Massenmarkt|penetrs', 'Dateinamen|list'). A split anywhere else is no compound seam ('vereistenT|ype',
    'Debian-spiegelse|rvers': the aptitude manual's false cuts)."""
    forms = {head} | {head[: -len(x)] for x in _LINKS if head.endswith(x)}
    return any(len(f) >= MIN_COMPOUND_HEAD and (known(f, lang) is True or zipf(f, lang) >= COMPOUND_HEAD_ZIPF)
               for f in forms)


def _compound_of(part: str, full: str, langs: set[str]) -> bool:
    """'Locale-Archivdatei', 'Nullbyte', 'Topologieinformation': the full word is the stub plus another word, a
    compound of the languages that write them solid, not the stub's missing end."""
    rest = full[len(part):]
    if rest.startswith("-"):
        return True
    return (len(rest) >= MIN_COMPOUND_HEAD and all(lang in COMPOUNDING for lang in langs)
            and all(zipf(rest, lang) >= COMPOUND_HEAD_ZIPF for lang in langs))


def _is_name(folded: str, form: str, langs: set[str]) -> bool:
    """Whether a word the other renderings have is a name: capitalised in a language that capitalises only names,
    or unknown to the dictionaries of every language that has it ('Anthropic' in German)."""
    if not form[:1].isupper():
        return False
    return any(o not in CAPITALISED_NOUNS for o in langs) or all(known(form, o) is False for o in langs)


def cut_rest(stub: str, word: str) -> str | None:
    """What `word` has beyond the part `stub` spells ('antrop', 'anthropic' → 'ic'), allowing one edit once the
    stub is long enough; None when the stub does not spell the start of the word."""
    if word.startswith(stub):
        return word[len(stub):]
    if len(stub) < 5:
        return None
    best = min((edit_distance(stub, word[: len(stub) + d], 1), -d) for d in (-1, 0, 1))
    end = len(stub) - best[1]
    if best[0] > 1 or "-" in word[end - 1 : end + 1]:
        return None  # the edit falls on the word's hyphen: another name ('ISC-dhcpd' beside 'isc-dhcp-server')
    return word[end:]


@register
class Truncation(Check):
    kind = "truncation"
    severity = Severity.ERROR
    description = "a word or name cut short, or a paragraph that stops mid-sentence"

    def run(self, ctx: Context) -> Iterator[Finding]:
        self._uses = Counter((r.lang, t.text) for r in ctx.renderings for p in r.paragraphs for t in tokens(p.text))
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
                        # A run of Han or kana is words written together: no stub of another's word.
                        if not t.is_number and not t.unspaced:
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
                            # The possessive is no part of the name ('Debian's' has 'Debian'); a compound's
                            # hyphen parts are words of it ('Ethernet-Karte' has 'Ethernet': installer faults).
                            form = without_possessive(sorted(forms)[0])
                            keys = {f: form, without_possessive(f): form}
                            if "-" in f and f.count("-") == form.count("-"):
                                keys.update((k, w) for k, w in zip(f.split("-"), form.split("-")) if k)
                            for key, shown in keys.items():
                                others.setdefault(key, set()).add(other)
                                surface.setdefault(key, shown)
                # Hyphen parts count as words of the others too ('networkd' in 'systemd-networkd').
                elsewhere = set(others) | {w for o in present if o != lang for i in pg.members[o]
                                           for w in word_forms(ctx.by_lang[o].paragraph(i).text)}
                for i in pg.members[lang]:
                    for s in ctx.by_lang[lang].paragraph(i).sentences:
                        group = ctx.group_of_sentence.get((lang, s.ref))
                        counterparts = [ctx.text(o, refs) for o, refs in group.members.items()
                                        if o != lang and refs] if group else []
                        aligned = set().union(*(word_forms(text) for text in counterparts))
                        # Full forms this sentence still has as often as every counterpart: a stub beside them is a
                        # word of its own ('Post' beside 'Postfix'), not one of them cut.
                        counts = [Counter(without_possessive(t.folded) for t in tokens(text)) for text in counterparts]
                        here = Counter(without_possessive(t.folded) for t in tokens(s.text))
                        mine = frozenset(w for w in here if counts and here[w] >= min(c[w] for c in counts))
                        for t in tokens(s.text):
                            if (t.unspaced or fold(t.text) in elsewhere or _BROKEN_HYPHEN.match(s.text, t.end)
                                    or after_sigil(s.text, t.start)):
                                continue
                            spaced = _SPACED_NUMBER.match(s.text, t.end)
                            if spaced and fold(t.text + spaced.group(1)) in elsewhere:
                                continue  # 'RAID 10' where the others write 'RAID10'
                            initial = not s.text[: t.start].strip(" \"'“„«([")
                            hit = self._stub(t.text, lang, own, others, aligned, len(present) - 1, initial,
                                             surface, mine)
                            if not hit:
                                cut = self._cut_words(ctx, lang, s, t, elsewhere)
                                if cut:
                                    yield cut
                            if hit:
                                full, langs = surface[hit[0]], hit[1]
                                score = 0.75 + 0.1 * (len(langs) - 1) + 0.1 * (len(t.text) / len(full) < 0.75)
                                # One witness may spell a different word ('Salisha' beside German 'Salish-Sprachen'
                                # in the catalogue audit): an error needs two.
                                sure = score >= 0.8 and len(langs) >= MIN_CUT_WITNESSES
                                yield ctx.finding(
                                    self, lang, s, t.text,
                                    f"'{t.text}' looks cut short: {', '.join(sorted(langs))} "
                                    f"{'has' if len(langs) == 1 else 'have'} '{full}'", score,
                                    severity=Severity.ERROR if sure else Severity.WARNING, start=t.start,
                                    evidence={"expected": full, "found_in": sorted(langs)})

    def _stub(self, word: str, lang: str, own: dict[str, set[str]], others: dict[str, set[str]], aligned: set[str],
              n_others: int, initial: bool, surface: dict[str, str], own_sentence: frozenset[str] = frozenset()):
        """The full word (folded) and the languages that have it, when `word` reads as its cut-off start.

        How much evidence a stub needs depends on how much of a word it is by itself: an unknown token needs the
        full word in the aligned sentence or in two renderings; a long-tail token ('macke') needs it in the aligned
        sentence; a word of the language (its dictionaries know it, or it is common) only counts as a cut-off name
        ('Wind' for 'Windows', 'Lin' for 'Linux'), with every other rendering agreeing on the full name in the
        aligned sentence.
        """
        frequency = zipf(word.lower(), lang)
        # Capitals throughout mark a code or a placeholder ('SOURCE', 'FORMAT'), in any language; codes do not
        # inflect ('VERS' is no plural of 'ver').
        code = word.isupper() and word.isalpha()
        if any(ch.isdigit() for ch in word):
            return None
        inflected = not code and _inflected(word.lower(), lang)
        is_word = frequency >= COMMON_WORD_ZIPF or (not code and known(word, lang) is True)
        capital = word[0].isupper() and (not initial or code)  # a code keeps its capitals anywhere
        if len(word) < MIN_STUB and not capital:
            return None
        name_like = code or (capital and lang not in CAPITALISED_NOUNS)
        folded = fold(word)
        parts = [folded]
        if lang in COMPOUNDING and not is_word:
            parts += [folded[k:] for k in range(3, len(folded) - MIN_TAIL + 1)
                      if zipf(folded[k:], lang) < RARE_WORD_ZIPF and _compound_head(folded[:k], lang)]
        best = None
        for part in parts:
            if len(part) < MIN_NAME_STUB:
                continue
            for full, langs in others.items():
                if len(full) < len(part) + 2 or len(part) > MAX_KEPT_FRACTION * len(full):
                    continue
                if full.startswith(part) and _compound_of(part, full, langs):
                    continue
                # A name: capitalised in a rendering whose language capitalises names only.
                name = capital and surface[full][:1].isupper() and any(o not in CAPITALISED_NOUNS for o in langs)
                # A known stem plus an ending is a word inflected ('Exports'), unless it stands where every other
                # rendering has a longer name this sentence lacks ('Inter' for 'Internet').
                if inflected and not (name and full in aligned and full not in own_sentence
                                      and len(langs) >= n_others and n_others >= 2):
                    continue
                if (is_word or inflected) and not code and full in own_sentence:
                    continue  # 'Post' (mail) beside 'Postfix' in the same sentence: a word of its own
                if is_word or len(part) < MIN_STUB or (code and known(word, lang)):
                    # A name needs every other rendering behind it; a code, which translations may rename, one;
                    # a word in capitals ('GRUP', 'PROGRAM') is a word, and needs them all too.
                    if not (name_like or name) or full not in aligned or not full.startswith(part):
                        continue
                    needed = n_others if not code or known(word, lang) else 1
                    if len(langs) < needed or (len(part) < MIN_STUB and not name):
                        continue
                elif frequency >= RARE_WORD_ZIPF:
                    if full not in aligned or not full.startswith(part):
                        continue
                elif full not in aligned and len(langs) < 2:
                    continue
                if not code and not (is_word or len(part) < MIN_STUB) and part == folded:
                    # One other language's longer word is weak evidence: cognates differ in their endings across
                    # languages ('formalisasi' / 'formalisations', 'proprietari' / 'propriétaires'). A cut name
                    # needs a name there (capitalised where only names are, or a word no dictionary knows); a cut
                    # word needs two renderings with the full word.
                    if name_like:
                        if not _is_name(full, surface[full], langs):
                            continue
                    elif len(langs) < min(2, n_others):
                        continue
                if part != folded and full[:3] != part[:3]:
                    continue  # a compound's tail starts as the word does ('ntype' is no cut of 'typeDép')
                rest = cut_rest(part, full)
                if rest is not None and lang in LOANWORD_SPELLING and not full.startswith(part):
                    rest = cut_rest(part, borrowed(full, lang))  # 'baltik' is how Indonesian spells 'baltique'
                if rest in DERIVATIONS and not code and (full.startswith(part) or frequency >= RARE_WORD_ZIPF):
                    continue  # a word of its own beside a derived cognate ('récursive', 'preseed'/'Preseeding')
                if code and not full.startswith(part):
                    continue  # codes are not respelled or translated ('KOMPLEMEN' is no 'COMPLEMENTS')
                if rest is not None and len(rest) >= MIN_CUT and rest not in INFLECTIONS:
                    if best is None or (len(langs), len(full)) > (len(best[1]), len(best[0])):
                        best = (full, langs)
        return best

    def _cut_words(self, ctx: Context, lang: str, s, t, elsewhere: set[str]) -> Finding | None:
        """An ordinary word cut short that no other rendering can vouch for ('verwe' for 'verwenden', 'présen'):
        a lower-case token the language's dictionaries reject, unknown to the web, that spells the start of a
        common word of the same language."""
        word = t.text
        if self._uses.get((lang, word), 0) >= TERM_USES:
            return None  # a form the translation uses again and again is its term ('konfig', 'diset')
        # Where nouns take a capital, a noun cut short keeps it ('Einstellu' for 'Einstellung': a new user's
        # catalogue); not at a sentence's start, where any word has one.
        noun = (lang in CAPITALISED_NOUNS and word[:1].isupper() and word[1:].islower()
                and bool(s.text[: t.start].strip()))
        if (not word.isalpha() or not (word.islower() or noun) or len(word) < MIN_STUB - 1
                or known(word, lang) is not False or zipf(word.lower(), lang) >= CUT_WORD_ZIPF
                or fold(word) in elsewhere
                or (lang != ctx.pivot and zipf(word.lower(), ctx.pivot) >= FOREIGN_TERM_ZIPF)):
            # (An English term kept in the text, 'install', 'crack': 'logic' for 'logiciel' cannot be told from
            # one; tried on the handbook, letting such words through flagged Indonesian loanwords.)
            return None
        full = completion(word.lower(), lang)
        if noun and full is not None:
            # ... the start of a noun, which the dictionary knows with its capital and only so.
            full = full.capitalize() if known(full.capitalize(), lang) and lower_case_form(full, lang) is False \
                else None
        # (One letter short of the common word is enough here: 'waaro' for 'waaronder' reads as 'waarom' less its
        # last letter, and a typo that drops it is a defect as well; a missing inflection is excluded below.)
        if full is None or len(word) > MAX_KEPT_FRACTION * len(full):
            return None
        if full[len(word):] in ENDINGS.get(lang, ENDINGS["*"]):
            return None  # the word plus a suffix of the language ('didaftar', 'didaftarkan'): a form, not a cut
        if not _in_prose(s.text, t.start, t.end):
            return None  # (last: it scans the sentence for links, and most tokens never get this far)
        if regex.match(rf"\s*\(\s*{regex.escape(word)}\w*\s*\)", s.text[t.end:], regex.IGNORECASE):
            return None  # an abbreviation spelled out in brackets ('paq (paquete)')
        return ctx.finding(self, lang, s, word, f"'{word}' is no {lang} word: it looks like '{full}' cut short",
                           0.7, severity=Severity.WARNING, start=t.start,
                           evidence={"expected": full, "found_in": [f"{lang} dictionary"]})

    def _cut_sentences(self, ctx: Context) -> Iterator[Finding]:
        for pg in ctx.paragraph_groups:
            present = pg.present()
            if len(present) < 2:
                continue
            last = {lang: ctx.by_lang[lang].paragraph(pg.members[lang][-1]) for lang in present}
            for lang in present:
                para = last[lang]
                text = para.text.rstrip()
                if not para.sentences or text.endswith(_TERMINAL):
                    continue
                others = [o for o in present if o != lang]
                words = tokens(text)
                # Headings end on capitals ('SEE ALSO'); a cut ends on a lower-case function word.
                dangling = (bool(words) and words[-1].end == len(text) and words[-1].text.islower()
                            and is_function_word(words[-1].text, lang))
                # Without a dangling word, a counterpart ending on a bracket with no stop before it closes no
                # sentence: ISO names with their variants in brackets, 'Moon (Moon code, Moon script)' for French
                # 'écriture Moon', end open in every language (Debian .mo audit, 4 false errors). After a dangling
                # word the others' '… (colon-separated)' still shows where the message ends (catalogue audit).
                punctuated = sum(last[o].text.rstrip().endswith(_TERMINAL) if dangling
                                 else closes_sentence(last[o].text) for o in others)
                if punctuated * 2 <= len(others):
                    continue  # the others end the same open way (option lists, UI messages): a style, not a cut
                origin = ctx.source or ctx.pivot
                if not dangling and origin in others and not closes_sentence(last[origin].text):
                    continue  # the original ends open too ('… wie in »%s«, fehlt' for '… as in '%s', is missing')
                if PLACEHOLDER_END.search(text):
                    continue  # a message ending on its placeholder ('… %s'), not a cut
                expected = median(len(last[o].text) * ctx.length_ratio[(lang, o)] for o in others)
                ratio = len(text) / expected
                missing = expected - len(text)
                if dangling and (ratio >= DANGLING_RATIO or missing < MIN_DANGLING_CHARS):
                    continue
                if not dangling and (ratio >= CUT_SENTENCE_RATIO or missing < MIN_CUT_CHARS):
                    continue
                s = para.sentences[-1]
                why = f"ends on '{words[-1].text}'" if dangling else "has no closing punctuation"
                # Without a dangling word, a message may simply end unpunctuated where the others punctuate (the
                # catalogue audit's German and Indonesian messages): an error only when half of it is gone. A
                # function word at the end with most of the length there is word order ('… yang baru', '… sind',
                # a German 'mit' before a command block: 4 false errors in the catalogue and FAQ audits).
                sure = (dangling and ratio < CUT_SENTENCE_RATIO) or ratio < HALF_CUT_RATIO
                yield ctx.finding(self, lang, s, s.text,
                                  f"the paragraph stops mid-sentence: it {why} and has {ratio:.0%} of the "
                                  f"expected length", min(1.0, 0.6 + (CUT_SENTENCE_RATIO - ratio) + 0.1 * dangling),
                                  severity=Severity.ERROR if sure else Severity.WARNING,
                                  evidence={"length_ratio": round(ratio, 3)})


# A host or file name ('traduc.org', 'gentoo.xml'), a path segment ('/devel/'), a word spelled with optional
# letters ('patro(o)n(en)', 'file(s)'), part of an identifier ('po_orig') or of a contraction or elision ('hasn't',
# 'jusqu'à'): audits of the wider Zipf bar for cut words.
_NOT_PROSE_AFTER = regex.compile(r"\.\p{L}|\(\p{L}{1,3}\)|/|_|['’]\p{L}")


def _in_prose(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a word of the prose: not inside a link or address (anchors.LINK), a path, a host
    or file name, an identifier or a contraction, nor the stem of a spelling with optional letters (faq, devref and
    aptitude audits)."""
    if any(m.start() <= start < m.end() for m in LINK.finditer(text)):
        return False
    return not (text[start - 1:start] in ("/", ".", "_") or _NOT_PROSE_AFTER.match(text, end))


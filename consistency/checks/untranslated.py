"""Untranslated: a sentence in the wrong language, or a fragment left in English ('“Choke Chinas Zugang')."""
from __future__ import annotations

from collections import Counter
from typing import Iterator

import regex
from sacrebleu.metrics import CHRF

from consistency.checks.anchors import CAPITALISED_NOUNS
from consistency.checks.base import Check, Context, register
from consistency.checks.bt import chrf, group_backtranslations
from consistency.checks.placeholders import code_spans
from consistency.checks.text import (TERM_USES, Token, fold, has_wordlist, is_function_word, prose_words, syntax_words,
                                     tokens, word_forms, zipf)
from consistency.langid import FragmentDetector
from consistency.lexicon import known
from consistency.model import Finding, Sentence, Severity

# lingua's confidence that a sentence is in another language, and at most this much that it is in its own.
FOREIGN_CONFIDENCE = 0.8
OWN_CONFIDENCE = 0.15
# Sentences with fewer words fool language identifiers (names, numbers, commands): a sentence needs this many
# prose words (letters only: not options, paths or calls such as chown(1)), and half its tokens must be prose.
MIN_WORDS = 4
MIN_PROSE_SHARE = 0.5
# chrF between a sentence and its counterpart in another language: translations score ~10-35,
# a copy of the other text ~80+.
COPY_CHRF = 70.0
# A copy of the pivot-language sentence needs fewer words (the copy is the evidence), most of them clearly of the
# pivot language: common there (Zipf >= 3) and ahead of the native frequency by half a Zipf point (Indonesian web
# text is full of English words, so a wider margin would call "list directory contents" Indonesian).
MIN_COPY_WORDS = 3
COPY_WORD_SHARE = 0.9
PIVOT_WORD_SHARE = 0.5
COPY_WORD_MARGIN = 0.5
# With back-translations: a sentence whose own text already matches the others' back-translations (chrF, mean
# over the others) is still in the pivot language. A real translation shares only names and numbers with them
# (~15-30); a sentence left in English scores like a back-translation does (~50-80).
PIVOT_COPY_CHRF = 55.0
# A word counts as English left behind when it is common in English (Zipf >= 3, once per million words),
# rare in the rendering's language, and clearly more English than native.
FOREIGN_WORD_ZIPF = 3.0
NATIVE_WORD_ZIPF = 3.0
FOREIGN_MARGIN = 1.0
FRAGMENT_CONFIDENCE = 0.7
# A loanword common enough in German to take its endings (Zipf of 'host' in German: 3.5, 'choke': under 2.5).
LOAN_ZIPF = 3.0
# Neighbours of a foreign word join the fragment when this much more frequent (Zipf) in English than natively.
LEANING_MARGIN = 0.5

# Text every rendering keeps in another language is info (a licence line, a program message) when short; prose
# of this many words is untranslated text nobody has translated yet: a warning with its own message.
KEPT_PROSE_WORDS = 8
# An error needs prose of the other language, not just its terms: this many of its core function words ('the',
# 'of', 'is') that the rendering's language lacks. Copies made of labels and names ('Essential, Required, …',
# 'Ol Chiki', 'Domain-based Message Authentication, Reporting and Conformance', 'local delivery only') were all 5
# false untranslated errors of the six audits, with 0-1 such words; 15 of the 16 real ones have 2-8.
MIN_SYNTAX_WORDS = 2
KEPT_SCORE = 0.7
# A translated frame around English kept on purpose ('Siehe Debian Policy Manual, Kapitel 8 »Shared libraries«',
# 'A parte Depends, altri campi di relazione sono Recommends'): outside quotation marks, at least one word of the
# rendering's language and fewer than this many lower-case words of the other. Cited titles and field names read
# that way were 21 of the 51 false untranslated warnings of the eight audits; the real mixed sentences ('Sedang
# extract contiguous file sebagai regular file', '%s dan %s adalah mutually exclusive') have two or more.
FRAME_FOREIGN_WORDS = 2
# A rendering whose prose sentences are (nearly) all in one other language is that language: one error says so.
WHOLE_SHARE = 0.9
WHOLE_MIN_SENTENCES = 3

_chrf = CHRF()


def _stem(folded: str) -> str:
    return folded[:-1] if len(folded) > 3 and folded.endswith("s") else folded


@register
class Untranslated(Check):
    kind = "untranslated"
    severity = Severity.ERROR
    description = "text left in another language"

    def run(self, ctx: Context) -> Iterator[Finding]:
        detector = FragmentDetector(set(ctx.langs) | {ctx.pivot})
        for r in ctx.renderings:
            sentences = list(r.sentences)
            # A word a translation uses again and again is its term for the thing ('Snapshot' for 'snapshot').
            uses = Counter(_stem(t.folded) for p in r.paragraphs for t in tokens(p.text))
            terms = {w for w, n in uses.items() if n >= TERM_USES}
            confs = detector.confidences_many([s.text for s in sentences])
            foreign: Counter = Counter()
            prose = 0
            for s, conf in zip(sentences, confs):
                words, chunks = prose_words(s.text)
                if conf and len(words) >= MIN_WORDS and len(words) >= MIN_PROSE_SHARE * chunks:
                    prose += 1
                    foreign[max(conf, key=lambda k: (conf[k], k))] += 1
                found = (self._sentence(ctx, detector, r.lang, s, conf) or self._still_pivot(ctx, r.lang, s)
                         or self._copied_pivot(ctx, r.lang, s))
                if found:
                    yield found
                    continue
                yield from self._fragments(ctx, detector, r.lang, s, terms)
            foreign.pop(r.lang, None)
            top = max(foreign, key=lambda k: (foreign[k], str(k)), default=None)
            if top and prose >= WHOLE_MIN_SENTENCES and foreign[top] >= WHOLE_SHARE * prose:
                first = sentences[0]
                yield ctx.finding(self, r.lang, first, first.text[:200],
                                  f"the whole {r.lang} rendering is in {top}: {foreign[top]} of its {prose} prose "
                                  f"sentences", 0.99, severity=Severity.ERROR,
                                  evidence={"detected": top, "sentences": foreign[top], "whole_rendering": True})

    def _sentence(self, ctx: Context, detector: FragmentDetector, lang: str, s: Sentence,
                  conf: dict[str, float]) -> Finding | None:
        words, chunks = prose_words(s.text)
        if not conf or len(words) < MIN_WORDS or len(words) < MIN_PROSE_SHARE * chunks:
            return None
        top = max(conf, key=lambda k: (conf[k], k))
        if top == lang or conf[top] < FOREIGN_CONFIDENCE or conf.get(lang, 0.0) > OWN_CONFIDENCE:
            return None
        if _translated_frame(s.text, lang, top):
            return None  # its English spans, if any, are reported as fragments
        if _mostly_kept_terms(ctx, detector, lang, s, top):
            return None
        group = ctx.group_of_sentence.get((lang, s.ref))
        copies, foreign_too = [], 0
        if group:
            for other, refs in group.members.items():
                if other == lang or not refs:
                    continue
                text = ctx.text(other, refs)
                if _chrf.sentence_score(s.text, [text]).score >= COPY_CHRF:
                    copies.append(other)
                if other == top:
                    continue
                # A counterpart that is just as foreign means the text is meant to stay so (a quote, a command).
                other_conf = detector.confidences(text)
                if other_conf and max(other_conf, key=lambda k: other_conf[k]) == top:
                    foreign_too += 1
        if foreign_too and not copies:
            return None
        if top != ctx.pivot and top in ctx.langs and top not in copies:
            return None  # Portuguese read as Spanish: a language of the document it does not copy is a confusion
        score = conf[top] if not copies else 0.99
        source = f" (a copy of the {', '.join(copies)} text)" if copies else ""
        # The same text in every rendering (but one, which may itself be at fault) is kept on purpose more often
        # than not: licences, titles of works, program messages.
        everywhere = group is not None and len(copies) >= max(2, len(group.present()) - 2)
        if everywhere and len(words) >= KEPT_PROSE_WORDS:
            # Prose that nobody translated (a paragraph added to the source since, or a pipeline that copied the
            # source into every slot) is still untranslated, just not this rendering's fault alone.
            return ctx.finding(self, lang, s, s.text, f"this sentence is in {top}, not {lang}: every rendering "
                               f"left it so (nobody has translated it yet)", KEPT_SCORE, severity=Severity.WARNING,
                               evidence={"detected": top, "confidence": round(conf[top], 3), "copy_of": copies,
                                         "kept_everywhere": True})
        # Language identification alone misreads sentences full of option names and paths ('preseed/url en
        # url'): an error needs the copy too (installer audit); without one it is a warning.
        sure = copies and len(syntax_words(s.text, top, lang)) >= MIN_SYNTAX_WORDS
        return ctx.finding(self, lang, s, s.text, f"this sentence is in {top}, not {lang}{source}", score,
                           severity=Severity.INFO if everywhere else None if sure else Severity.WARNING,
                           evidence={"detected": top, "confidence": round(conf[top], 3), "copy_of": copies})

    def _still_pivot(self, ctx: Context, lang: str, s: Sentence) -> Finding | None:
        """Back-translation evidence (None without back-translations): the text reads like the others' pivot."""
        group = ctx.group_of_sentence.get((lang, s.ref))
        if lang == ctx.pivot or s.backtranslation is None or group is None or len(tokens(s.text)) < MIN_WORDS:
            return None
        bts = {o: bt for o, bt in group_backtranslations(ctx, group).items() if o != lang}
        if not bts:
            return None
        sim = sum(chrf(s.text, bt) for bt in bts.values()) / len(bts)
        if sim < PIVOT_COPY_CHRF:
            return None
        return ctx.finding(self, lang, s, s.text, f"this sentence is still in {ctx.pivot}: it reads like the "
                           f"back-translations of {', '.join(sorted(bts))}", min(0.99, 0.5 + sim / 200),
                           evidence={"detected": ctx.pivot, "chrf_to_backtranslations": round(sim, 2)})

    def _copied_pivot(self, ctx: Context, lang: str, s: Sentence) -> Finding | None:
        """A copy of the pivot-language rendering's sentence, in words of that language, that another rendering did
        translate: short lines ('list one file per line') that language identifiers cannot place."""
        group = ctx.group_of_sentence.get((lang, s.ref))
        pivot = ctx.pivot
        if lang == pivot or group is None or not group.members.get(pivot) or not has_wordlist(lang):
            return None
        words, chunks = prose_words(s.text)
        if len(words) < MIN_COPY_WORDS or len(words) < MIN_PROSE_SHARE * chunks:
            return None
        source = ctx.text(pivot, group.members[pivot])
        if _chrf.sentence_score(s.text, [source]).score < COPY_CHRF:
            return None
        source_words = {w.casefold() for w in prose_words(source)[0]}
        if sum(w.casefold() in source_words for w in words) < COPY_WORD_SHARE * len(words):
            return None  # native words around the same options and names: a translated synopsis
        others = [o for o in group.present() if o not in (lang, pivot)]
        if others and all(_chrf.sentence_score(s.text, [ctx.text(o, group.members[o])]).score >= COPY_CHRF
                          for o in others):
            return None  # kept as it is everywhere: meant to stay
        if _translated_frame(s.text, lang, pivot):
            return None  # cited titles and names in a frame of this language ('Consulta … y …'): kept on purpose
        if not prose_words(_QUOTED.sub(" ", s.text))[0]:
            return None  # a quoted title the segmenter left as a sentence of its own: cited, not left
        # Distinct words: a name repeated ('Ol Chiki (Ol Cemet', Ol, Santali)') must not outvote the rest.
        distinct = list(dict.fromkeys(w.casefold() for w in words))
        pivot_words = [w for w in distinct if zipf(w, pivot) >= FOREIGN_WORD_ZIPF
                       and zipf(w, pivot) - zipf(w, lang) >= COPY_WORD_MARGIN]
        if len(pivot_words) < PIVOT_WORD_SHARE * len(distinct):
            return None
        sure = len(syntax_words(s.text, pivot, lang)) >= MIN_SYNTAX_WORDS
        return ctx.finding(self, lang, s, s.text, f"this sentence is the {pivot} text, left untranslated",
                           0.9, severity=None if sure else Severity.WARNING,
                           evidence={"detected": pivot, "copy_of": [pivot],
                                     "pivot_words": round(len(pivot_words) / len(distinct), 3)})

    def _fragments(self, ctx: Context, detector: FragmentDetector, lang: str, s: Sentence,
                   terms: set[str]) -> Iterator[Finding]:
        pivot = ctx.pivot
        if lang == pivot or not has_wordlist(lang) or not has_wordlist(pivot):
            return
        group = ctx.group_of_sentence.get((lang, s.ref))
        # Names and terms stay the same across renderings; a word that only the pivot-language rendering shares is
        # that language left behind, not a name.
        shared = set()
        if group:
            # The whole aligned paragraph of each other translation: a term it keeps in English anywhere there
            # ('application programming interface', 'named') is the field's term, not this translation's slip.
            pg = ctx.paragraph_group[group.paragraph_group]
            for other in pg.present():
                if other not in (lang, pivot):
                    shared |= {w for i in pg.members[other] for w in word_forms(ctx.by_lang[other].paragraph(i).text)}
        # Placeholders and ICU keywords ('{count, plural, one {…}}', '{name}') are code in every language.
        code = code_spans(s.text)
        toks = [t for t in tokens(s.text) if not any(a <= t.start < b for a, b in code)]
        flagged = [self._foreign(t, lang, pivot, shared, terms) for t in toks]
        i = 0
        while i < len(toks):
            if not flagged[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(toks) and (flagged[j + 1] or (j + 2 < len(toks) and flagged[j + 2]
                                                            and zipf(toks[j + 1].text.lower(), pivot) >= 5)):
                j += 1
            # (An English possessive inside the name is no lower-case word: 'Developer's Package Overview'.)
            capitals = all(t.text[:1].isupper() for t in toks[i:j + 1]
                           if not (t.text == "s" and s.text[t.start - 1:t.start] in ("'", "’")))
            if lang not in CAPITALISED_NOUNS and (j > i or i > 0) and capitals:
                i = j + 1  # capitals where only names take them: the name of a thing, kept as it is
                continue
            # Grow the run over neighbours that lean English even if common natively ('road' in German texts).
            while i > 0 and self._leaning(toks[i - 1], lang, pivot, shared):
                i -= 1
            while j + 1 < len(toks) and self._leaning(toks[j + 1], lang, pivot, shared):
                j += 1
            start, end = toks[i].start, toks[j].end
            fragment = s.text[start:end]
            conf = detector.confidences(fragment)
            if conf.get(pivot, 0.0) >= FRAGMENT_CONFIDENCE:
                # One word is more often a term kept on purpose ('deployment', 'Recommends') than a slip: info.
                # So is an English phrase in quotation marks or brackets: a screen label ('„Graphical install“')
                # or a gloss beside its translation ('hoge prioriteit (high priority)'), per the installer audits.
                # And a term the rendering introduces with its translation in brackets ('cylinder translation
                # technieken (cylinderomzettingstechnieken)': es-it-pt-nl installer audit), there and after.
                single = (i == j or _set_off(s.text, start, end)
                          or _glossed(ctx.by_lang[lang].paragraph(s.paragraph).text, fragment))
                yield ctx.finding(self, lang, s, fragment, f"'{fragment}' is {pivot}, left untranslated",
                                  conf[pivot] * (0.6 if single else 0.85),
                                  severity=Severity.INFO if single else Severity.WARNING, start=start,
                                  evidence={"detected": pivot, "confidence": round(conf[pivot], 3)})
            i = j + 1

    @staticmethod
    def _leaning(t: Token, lang: str, pivot: str, shared: set[str]) -> bool:
        if t.has_digit or t.unspaced or fold(t.text) in shared or not t.text.islower():
            return False
        return zipf(t.text, pivot) - zipf(t.text, lang) >= LEANING_MARGIN

    @staticmethod
    def _foreign(t: Token, lang: str, pivot: str, shared: set[str], terms: set[str]) -> bool:
        if t.has_digit or t.unspaced or len(t.text) < 3 or fold(t.text) in shared or t.text.isupper():
            return False
        if "-" in t.text and zipf(t.text.rsplit("-", 1)[1].lower(), lang) >= NATIVE_WORD_ZIPF:
            return False  # a native compound with a borrowed first part ('Scheduling-Attribute')
        if lang in CAPITALISED_NOUNS and t.text.endswith("s") and zipf(t.text[:-1].lower(), lang) >= LOAN_ZIPF:
            return False  # the genitive of a loanword ('des Hosts', 'des Operators')
        word = t.text.lower()
        native, foreign = zipf(word, lang), zipf(word, pivot)
        if not (foreign >= FOREIGN_WORD_ZIPF and native < NATIVE_WORD_ZIPF and foreign - native >= FOREIGN_MARGIN):
            return False
        # A loanword the language's dictionaries list ('Snapshot', 'repositori') and that this translation uses as
        # its term is a word of the language; used once ('Choke Chinas Zugang') it is still English left behind.
        return not (_stem(t.folded) in terms and known(t.text, lang))


# Quoted stretches: cited titles, screen labels and literal values that a translation may keep in English.
_QUOTED = regex.compile(r"«[^»]*»|»[^«]*«|“[^”]*”|„[^“”]*[“”]|\"[^\"]*\"|‘[^’]*’|‹[^›]*›|(?<!\w)'[^']*'(?!\w)")


def _mostly_kept_terms(ctx: Context, detector: FragmentDetector, lang: str, s: Sentence, top: str) -> bool:
    """Whether `s` reads as `top` only through terms every other counterpart keeps verbatim (command names, field
    names: 'Para full-upgrade, safe-upgrade, forbid-version, hold, install, … eliminar la etiqueta', aptitude
    audit): without them, fewer than MIN_WORDS prose words are left, or the rest is not `top`. Function words of
    `top`, kept or left, make it prose. Counterparts in `top`, or that read as `top` themselves (text every
    rendering left in English), do not count: they keep everything; at least one other must be there to ask."""
    def reads_as_top(text: str) -> bool:
        conf = detector.confidences(text)
        return bool(conf) and max(conf, key=lambda k: (conf[k], k)) == top

    def foreign_function_word(word: str) -> bool:
        return is_function_word(word.lower(), top) and not is_function_word(word.lower(), lang)

    others = [text for o, text in ctx.counterpart_texts(lang, s).items() if o != top and not reads_as_top(text)]
    if not others:
        return False
    vocabularies = [{u.text for u in tokens(o)} for o in others]
    words_here = tokens(s.text)
    kept = {t.text for t in words_here if all(t.text in v for v in vocabularies)}
    if not kept or any(foreign_function_word(w) for w in kept):
        return False  # a counterpart keeping 'the', 'of' verbatim keeps English prose, not terms (handbook audit)
    rest = " ".join(t.text for t in words_here if t.text not in kept)
    words, _ = prose_words(rest)
    if any(foreign_function_word(w) for w in words):
        return False  # English prose around the kept terms ('… Regents of the University of California')
    if len(words) < MIN_WORDS:
        return True
    conf = detector.confidences(rest)
    return not conf or max(conf, key=lambda k: (conf[k], k)) != top


def _translated_frame(text: str, lang: str, other: str) -> bool:
    """Whether `text` is `lang` around `other`-language names and quotations: outside quotation marks it has a word
    only `lang`'s dictionaries know and fewer than FRAME_FOREIGN_WORDS lower-case (or sentence-initial) words far
    more common in `other` (the margins of `_foreign`; dictionaries list loanwords such as 'the' in Italian, so
    they cannot say which words are foreign). Needs word lists for both languages; False without them."""
    if not has_wordlist(lang) or not has_wordlist(other):
        return False
    toks = tokens(_QUOTED.sub(" ", text))
    native, foreign = False, 0
    for k, t in enumerate(toks):
        if t.has_digit or t.unspaced or len(t.text) < 2:
            continue
        word = t.text.lower()
        if (t.text.islower() or k == 0) and "-" not in word and zipf(word, other) >= FOREIGN_WORD_ZIPF \
                and zipf(word, other) - zipf(word, lang) >= FOREIGN_MARGIN:
            foreign += 1
        elif known(t.text, lang) and known(t.text, other) is False:
            native = True
    return native and foreign < FRAME_FOREIGN_WORDS


_OPENERS = "\"'“„«‹‘([/"
_CLOSERS = "\"'”“»›’)]/"


# A bracket opening within this many words after an English term (no punctuation between; a bracket glued to a
# word is an argument, 'firstchar(source)') glosses it.
GLOSS_WORDS = 2
_GLOSS_AFTER = regex.compile(rf"^(?:\s+[^\s(),.;:!?]+){{0,{GLOSS_WORDS}}}\s+\(")


def _glossed(paragraph: str, fragment: str) -> bool:
    """Whether the paragraph introduces `fragment` with its translation in brackets right after it (up to
    GLOSS_WORDS words later): a term kept and explained, not text left untranslated."""
    at = paragraph.find(fragment)
    while at >= 0:
        if _GLOSS_AFTER.match(paragraph[at + len(fragment):]):
            return True
        at = paragraph.find(fragment, at + 1)
    return False


def _set_off(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands in quotation marks or brackets of its own, ends a bracket as a gloss, or
    stands inside a quotation (part of a cited title: '»Relationships between source and binary packages«')."""
    before, after = text[:start].rstrip(), text[end:].lstrip()
    if before and after and before[-1] in _OPENERS and after[0] in _CLOSERS:
        return True
    if after[:1] == ")" and before.rfind("(") > before.rfind(")"):
        return True  # a gloss closing its bracket after the translation ('(hoge prioriteit - high priority)')
    return any(m.start() < start and end < m.end() for m in _QUOTED.finditer(text))

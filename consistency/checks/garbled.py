"""Garbled: text no fluent writer of the language produces, or whose back-translation disagrees with what the
other renderings' back-translations agree on.

Offline: function words capitalised mid-sentence ('wie Die Regierung Und'), detokenisation artefacts ('US
-Unternehmen', 'KI -Modelle'). With back-translations and at least three renderings of a sentence: a
back-translation far from the consensus of the others (with two, a disagreement cannot say which one is at fault).
"""
from __future__ import annotations

from typing import Iterator

import regex

from consistency.checks.anchors import CAPITALISED_NOUNS
from consistency.checks.base import Check, Context, register
from consistency.checks.bt import degenerate, group_backtranslations, score, word_order
from consistency.checks.text import CORE_FUNCTION_ZIPF, LangTable, in_quotation, is_function_word, tokens, zipf
from consistency.lexicon import known, lemma, lower_case_form
from consistency.model import Finding, Sentence, Severity

# A sentence in title case (a heading: 'How Lessons Work') capitalises function words on purpose.
TITLE_CASE_SHARE = 0.5
# Sentences shorter than this (words) are headings, labels or list items.
MIN_WORDS = 5
# Capitals are expected after these (a sentence, a quotation, a list item starts).
_OPENERS = tuple(".:!?;\"'“”„«»‚‘’([{)]}—–-•*#/|>")
# A quotation mark glued to the word before it closes a quotation ('„Wo Sie die Installationsdateien finden“ gibt
# …'): a capital after it is expected only where a stop ends the quotation (installer fault benchmark: 'Gibt').
# (Apostrophes are left out: they elide and mark possessives.)
_CLOSING_QUOTE = regex.compile(r"[\p{L}\p{Nd}][\"“”«»]$")
_QUOTE_MARKS = regex.compile(r"[\"“”„«»]")
# A word a rendering capitalises mid-sentence this often, and at least twice as often as it writes it in lower
# case, is its convention (the Indonesian polite 'Anda', a product name), not a slip.
CONVENTION_USES = 2
CONVENTION_SHARE = 2
# A cross-reference before a title, which sentence-case languages start with a capital ('Bijlage B, De …',
# 'Section 6.3, Le …').
_REFERENCE = regex.compile(r"\b\p{Lu}\p{Ll}+\s+(?:\p{Nd}[\p{Nd}.]*|\p{Lu}(?:\.\p{Nd}+)*)[,:]$")
# ... and the verbs that point the reader to one ('see Be kind to translators', 'consult When and how to do an NMU',
# 'si consulti Le macchine Debian': the Developer's Reference links section titles so; devref audit, 3 false
# warnings). Lower case: a 'See' opening a sentence is no cross-reference inside one.
# So do the nouns that name a titled part of a document ('auf der Seite Ein neues Archiv erstellen', the title of
# the linked page: GNOME application help, a false warning), as they are written mid-sentence.
REFERENCE_WORDS = LangTable({
    "en": {"see", "consult", "page", "section", "chapter"},
    "de": {"siehe", "vgl", "Seite", "Abschnitt", "Kapitel"},
    "fr": {"voir", "consultez", "consulter", "page", "section", "chapitre", "rubrique"},
    "it": {"vedere", "veda", "consulti", "consultare", "vedi", "pagina", "sezione", "capitolo"},
    "es": {"véase", "consulte", "ver", "página", "sección", "capítulo"},
    "pt": {"veja", "consulte", "ver", "página", "secção", "seção", "capítulo"},
    "nl": {"zie", "raadpleeg", "pagina", "sectie", "hoofdstuk"},
    "id": {"lihat", "halaman", "bagian", "bab"}})
# Counterparts that must show a label before a capital here is read as the start of its translation.
LABEL_RENDERINGS = 2
_REFERENCE_TAIL = regex.compile(r"^(?:\p{Nd}|\p{Lu}$)")
# Languages whose titles and labels capitalise every word ('Information You Will Need').
TITLE_CASE = {"en"}
# The polite address is written with capitals mid-sentence in German ('können Sie', 'Ihre Daten') and
# Indonesian/Malay ('Anda').
POLITE = {"de": {"Sie", "Ihr", "Ihre", "Ihrer", "Ihren", "Ihrem", "Ihres", "Ihnen"}, "id": {"Anda"}, "ms": {"Anda"}}
# A hyphenated word broken off its head by a space ('US -Unternehmen'): MT detokenisers leave this.
_BROKEN_COMPOUND = regex.compile(r"(?<=[\p{L}\p{Nd}]) -(\p{L}{3,})\b")

# The others must agree among themselves at least this well (chrF): faithful opus-mt back-translations of one
# sentence score ~45-75, unrelated sentences ~15-25, so 40 says the consensus is real.
CONSENSUS_CHRF = 40.0
# ... and this rendering must fall this far below the consensus and below half of it: a reworded but faithful
# rendering loses ~10-15 points, a garbled one falls to the unrelated level.
MIN_GAP = 20.0
MAX_SHARE = 0.5
# Word order: the others' back-translations share this much of their word bigrams (F1), this one has nearly the
# same words (unigram F1) and far fewer of the bigrams: the words are there, their order is not.
ORDER_CONSENSUS = 0.6
ORDER_WORDS = 0.9
ORDER_GAP = 0.12
# In a long sentence a scrambled stretch costs little bigram F1: it still breaks this many word pairs whose words
# all the others have, while none of the others breaks more than ORDER_BROKEN_ELSEWHERE against the rest (a
# shuffle of 3-5 words breaks 2-6; rewording moves words rather than splitting pairs of shared ones). Two will
# do where no other rendering breaks any.
ORDER_BROKEN = 3
ORDER_BROKEN_ELSEWHERE = 1
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
        found = {}
        for r in ctx.renderings:
            conventions, pairs = _case_habits(r)
            for s in r.sentences:
                found[(r.lang, s.ref)] = self._capitalised_function_words(
                    r.lang, s, ctx.counterpart_text(r.lang, s), conventions, pairs)
        for r in ctx.renderings:
            for s in r.sentences:
                capitals = found[(r.lang, s.ref)]
                if capitals and _labels_in_counterparts(ctx, r.lang, s):
                    continue  # the others name a menu item or a title here: this capital starts its translation
                if capitals and all(weak for _, _, weak in capitals) and _labels_in_counterparts(ctx, r.lang, s, 1):
                    continue  # a label of function words ('the Go Back button'), which one counterpart shows too
                if capitals and _original_capitalises(ctx, r.lang, s, found):
                    continue  # the original capitalises here too: a title it cites, or lines it joins
                if capitals:
                    words = ", ".join(f"'{t}'" for t, _, _ in capitals)
                    yield ctx.finding(self, r.lang, s, s.text, f"function words capitalised mid-sentence: {words}",
                                      min(0.9, 0.6 + 0.1 * len(capitals)), start=None,
                                      evidence={"capitalised": [t for t, _, _ in capitals]})
            yield from self._broken_compounds(ctx, r)

    def _broken_compounds(self, ctx: Context, r) -> Iterator[Finding]:
        """'US -Unternehmen', 'negara -negara': one finding per paragraph, naming every split word."""
        for p in r.paragraphs:
            hits: list[tuple[Sentence, str, int]] = []
            for s in p.sentences:
                others = None  # the counterparts' text, fetched only for a sentence with a candidate
                for m in _BROKEN_COMPOUND.finditer(s.text):
                    word = m.group(1)
                    head = s.text[: m.start()].split()[-1]
                    if is_function_word(head.lower(), r.lang):
                        continue  # a suspended compound ('Ein- oder -Ausschalter', 'pre- and -post')
                    others = ctx.counterpart_text(r.lang, s) if others is None else others
                    if (f"-{word}" in others or not known(word, r.lang)
                            or (word.islower() and lower_case_form(word, r.lang) is False)):
                        continue  # an option ('-name': the others carry it too, or German writes 'Name'), no word
                    hits.append((s, f"{head} -{word}", m.start() - len(head)))
            if hits:
                s, text, start = hits[0]
                listed = ", ".join(f"'{t}'" for _, t, _ in hits[:5]) + (" …" if len(hits) > 5 else "")
                yield ctx.finding(self, r.lang, s, text, f"{len(hits)} hyphenated word{'s' * (len(hits) > 1)} split "
                                  f"by a space ({listed}): a machine-translation detokenisation artefact",
                                  min(0.9, 0.6 + 0.05 * len(hits)), start=start,
                                  evidence={"split_words": [t for _, t, _ in hits]})

    @staticmethod
    def _capitalised_function_words(lang: str, s: Sentence, others: str,
                                    capitalised: set[str] = frozenset(),
                                    pairs: set[tuple[str, str]] = frozenset()) -> list[tuple[str, int, bool]]:
        """The function words `s` capitalises mid-sentence, as (word, offset, weak): weak ones stand in a title-case
        run of function words only ('actually Work Can be found', 'the Go Back button'), which a label can be."""
        toks = tokens(s.text)
        if len(toks) < MIN_WORDS or sum(t.text[:1].isupper() for t in toks) > TITLE_CASE_SHARE * len(toks):
            return []
        other_words = {t.text for t in tokens(others)}
        out = []
        for k, t in enumerate(toks[1:], 1):
            w = t.text
            if w in POLITE.get(lang, ()):
                continue
            # Core function words only (no frequent short nouns); in German the lemma tells nouns apart instead.
            if (not (w[:1].isupper() and w[1:].islower()) or not is_function_word(w.lower(), lang)
                    or (lang not in CAPITALISED_NOUNS and zipf(w.lower(), lang) < CORE_FUNCTION_ZIPF)
                    or w.lower() in capitalised):
                continue
            before = s.text[: t.start].rstrip()
            label = all(x.text[:1].isupper() for x in toks[:k]) and not is_function_word(toks[k - 1].text.lower(), lang)
            if label or (toks[k - 1].text.isupper() and len(toks[k - 1].text) > 1):
                continue  # a title after a label ('NOTE Real TCP port', 'Hinweis Dies ist', 'VOCABULARY The ...')
            if not before or (before.endswith(_OPENERS) and not _closes_quotation(before)) or w in other_words:
                continue  # a sentence or quotation starts here, or the others capitalise it too (a name: 'La Paz')
            if in_quotation(s.text[: t.start]) or _REFERENCE.search(before) \
                    or toks[k - 1].text in REFERENCE_WORDS.get(lang, ()):
                continue  # a title: quoted ('“Information You Will Need”'), after a reference ('Hoofdstuk 7, De') or
                # after a verb that points to one ('see Be kind to translators')
            # English capitalises the words of titles and labels ('the Go Back button'): there any capitalised
            # neighbour makes a title; elsewhere only one that reads as a name does.
            title_case = lang in TITLE_CASE
            # A title-case run of function words alone is no name and may be a slip: it is kept, as weak, for the
            # counterparts to judge (installer fault benchmark: 'Work Can', 'Will Be' passed as titles).
            weak = title_case and _function_word_run(s.text, toks, k, lang)
            # The article of a name ('Le Caire', 'De Gaulle', 'Des Moines'), not of 'Par Le réseau', and not a word
            # the rendering writes in lower case before the same name elsewhere ('diikuti oleh Enter').
            if lang not in CAPITALISED_NOUNS and k + 1 < len(toks) and toks[k + 1].text[:1].isupper() and not weak \
                    and (title_case or _name_like(toks[k + 1].text, lang, other_words)) \
                    and (w.lower(), toks[k + 1].text) not in pairs:
                continue
            if lang not in CAPITALISED_NOUNS and toks[k - 1].text[:1].isupper() and not weak \
                    and not s.text[toks[k - 1].end:t.start].strip() \
                    and (title_case or _name_like(toks[k - 1].text, lang, other_words)
                         or (k >= 2 and toks[k - 2].text[:1].isupper())):
                continue  # inside a name or a title ('HOWTO Disk Besar'), not after one slip ('dari Oleh Par')
            if s.text[t.end:t.end + 1] in ("-", "/"):
                continue  # a suspended compound ('Vor- und Nachteile') or one written with a slash ('Ein/Ausgabe')
            if s.text[: toks[k - 1].end].split()[-1].startswith("-"):
                continue  # an option's description starts here ('--invert Nur …': help lines joined into one)
            if lower_case_form(w, lang) is False:
                continue  # the language writes this word with a capital (German nouns: 'Zeit', 'Jahr')
            if lang in CAPITALISED_NOUNS:
                base = lemma(w, lang)
                if not base or not base[:1].islower():
                    continue  # a noun ('Frage', 'Weg': the lemma keeps its capital)
            out.append((w, t.start, weak))
        return out

    def _backtranslated(self, ctx: Context) -> Iterator[Finding]:
        for g in ctx.sentence_groups:
            bts = group_backtranslations(ctx, g)
            if any(len(b) < MIN_CHARS for b in bts.values()):
                continue
            for lang, o in word_order(bts).items():
                scrambled = (o.consensus_order - o.order >= ORDER_GAP
                             or (o.broken >= ORDER_BROKEN and o.broken_elsewhere <= ORDER_BROKEN_ELSEWHERE)
                             or (o.broken >= ORDER_BROKEN - 1 and o.broken_elsewhere == 0))
                if o.consensus_order >= ORDER_CONSENSUS and o.words >= ORDER_WORDS and scrambled:
                    sents = ctx.sentences(lang, g.members[lang])
                    yield ctx.finding(
                        self, lang, sents[0], " ".join(s.text for s in sents),
                        f"its back-translation has the others' words in another order (word-pair agreement "
                        f"{o.order:.0%} against {o.consensus_order:.0%} among the others): scrambled word order",
                        min(1.0, 0.6 + (o.consensus_order - o.order)), severity=Severity.WARNING,
                        evidence={"word_f1": round(o.words, 3), "bigram_f1": round(o.order, 3),
                                  "broken_word_pairs": o.broken,
                                  "consensus_bigram_f1": round(o.consensus_order, 3), "backtranslation": bts[lang]})
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


def _closes_quotation(before: str) -> bool:
    """Whether `before` ends with a quotation mark that closes a quotation without a stop ('… finden“')."""
    return bool(_CLOSING_QUOTE.search(before))


def _labels_in_counterparts(ctx: Context, lang: str, s: Sentence, need: int = LABEL_RENDERINGS) -> bool:
    """Whether `need` (two) or more counterparts of `s` capitalise an everyday word mid-sentence that no other
    rendering has ('choose Finish partitioning', 'pilih Jangan ubah …'): a menu item or title stands there, which
    translations start with a capital of their own ('elige Se ha terminado…', 'het item Een shell uitvoeren';
    installer audits). One is not enough: machine translation capitalises at random in every rendering (the seed
    essay); it does for an English run of function words, which a label can be (`need` 1, see
    `_function_word_run`), and then a name's first word is no label. Languages that capitalise nouns, and words
    after sentence punctuation, tell nothing."""
    group = ctx.group_of_sentence.get((lang, s.ref))
    if group is None:
        return False
    texts = {o: ctx.text(o, refs) for o, refs in group.members.items() if refs}
    words = {o: {t.text.casefold() for t in tokens(text)} for o, text in texts.items()}
    labelled = 0
    for other, text in texts.items():
        if other == lang or other in CAPITALISED_NOUNS:
            continue
        elsewhere = set().union(*(w for o, w in words.items() if o != other))
        toks = tokens(text)
        for k, t in enumerate(toks[1:], 1):
            w = t.text
            if not (w[:1].isupper() and w[1:].islower()) or text[: t.start].rstrip().endswith(_OPENERS):
                continue
            if toks[k - 1].text[:1].isupper() or (k + 1 < len(toks) and _REFERENCE_TAIL.match(toks[k + 1].text)):
                continue  # part of a name ('Debian Installer') or a reference ('Section 6.3', 'Appendix B')
            if need < LABEL_RENDERINGS and k + 1 < len(toks) and toks[k + 1].text[:1].isupper():
                continue  # where one must do, a name's first word is none ('komponen Pemasang Debian')
            if w.casefold() in elsewhere:
                continue  # a name the other renderings write too ('Internet'): no label
            if lower_case_form(w, other) is True and not is_function_word(w.lower(), other):
                labelled += 1
                break
    return labelled >= need


def _original_capitalises(ctx: Context, lang: str, s: Sentence, found: dict) -> bool:
    """Whether the original (the declared source, else the pivot-language rendering) also capitalises function words
    mid-sentence in the counterpart of `s` (for the original itself: another rendering does). Cross-references
    cite section titles with their capital in every language ('see The Developer's Database', 'siehe Die
    Entwicklerdatenbank', 'vedere La sinossi': Developer's Reference; help lines joined, 'value This command …'):
    a convention the translation follows. Machine translation capitalises at random, where the original does not
    (the seed essay has no original; an injected capital sits in one rendering)."""
    group = ctx.group_of_sentence.get((lang, s.ref))
    origin = ctx.source or ctx.pivot
    if group is None or not group.members.get(origin):
        return False
    witnesses = [origin] if origin != lang else [o for o, refs in group.members.items() if refs and o != lang]
    # A title the original quotes speaks for capitals in quotation marks here, which are skipped anyway; where this
    # rendering quotes nothing, it may cite the title unquoted ('„Wo Sie …“ Gibt Infos' beside '“Where to Find
    # Installation Images” gives': installer fault benchmark).
    quoted = bool(_QUOTE_MARKS.search(s.text))
    return any(found.get((o, ref)) or _capitalised_anywhere(ctx.text(o, [ref]), o, quoted)
               for o in witnesses for ref in group.members[o])


def _capitalised_anywhere(text: str, lang: str, unquoted: bool = False) -> bool:
    """A function word with a capital mid-sentence, titles and names included ('via The Debian Package Tracker');
    the polite address ('Anda') is none (installer fault benchmark: it let 'system On it And try' pass).
    unquoted: only outside quotation marks."""
    if lang in CAPITALISED_NOUNS:
        return False
    toks = tokens(text)
    return any(t.text[:1].isupper() and t.text[1:].islower() and is_function_word(t.text.lower(), lang)
               and t.text not in POLITE.get(lang, ()) and not text[: t.start].rstrip().endswith(_OPENERS)
               and not (unquoted and in_quotation(text[: t.start])) for t in toks[1:])


# A title run of more words than this is a title whatever its words ('Information You Will Need').
WEAK_RUN = 3


def _function_word_run(text: str, toks: list, k: int, lang: str) -> bool:
    """Whether token k stands in a run of 2-3 adjacent capitalised words that are all everyday function words
    ('Work Can', 'Will Be', 'Go Back'): no name, and no word a title needs besides them."""
    def capital(j: int) -> bool:
        return 0 < j < len(toks) and toks[j].text[:1].isupper() and toks[j].text[1:].islower()
    lo, hi = k, k
    while capital(lo - 1) and not text[toks[lo - 1].end:toks[lo].start].strip():
        lo -= 1
    while capital(hi + 1) and not text[toks[hi].end:toks[hi + 1].start].strip():
        hi += 1
    run = [t.text for t in toks[lo:hi + 1]]
    return 2 <= len(run) <= WEAK_RUN and all(is_function_word(w.lower(), lang) and lower_case_form(w, lang) is True
                                             for w in run)


def _name_like(word: str, lang: str, other_words: set[str]) -> bool:
    """A capitalised word that reads as (part of) a name or title: the other renderings write it so too, it is
    written in capitals throughout, or the language's dictionary knows it only with its capital ('Caire'). A
    function word or an everyday lower-case word capitalised by mistake ('Le', 'Work') is none."""
    if word in other_words or (word.isupper() and len(word) > 1):
        return True
    if is_function_word(word.lower(), lang):
        return False
    return lower_case_form(word, lang) is not True


def _case_habits(r) -> tuple[set[str], set[tuple[str, str]]]:
    """In one pass over `r`: the lower-cased words it capitalises mid-sentence by convention (see CONVENTION_USES),
    and (word, next word) wherever it writes a word in lower case before another — a name keeps its article's
    capital wherever it is written (installer fault benchmark: 'diikuti Oleh Enter' beside 'diikuti lagi oleh
    Enter')."""
    upper: dict[str, int] = {}
    lower: dict[str, int] = {}
    pairs: set[tuple[str, str]] = set()
    for s in r.sentences:
        toks = tokens(s.text)
        for k, t in enumerate(toks):
            w = t.text
            if w.islower():
                lower[w] = lower.get(w, 0) + 1
                if k + 1 < len(toks):
                    pairs.add((w, toks[k + 1].text))
            elif k and w[:1].isupper() and w[1:].islower():
                upper[w.lower()] = upper.get(w.lower(), 0) + 1
    conventions = {w for w, n in upper.items() if n >= CONVENTION_USES and n >= CONVENTION_SHARE * lower.get(w, 0)}
    return conventions, pairs


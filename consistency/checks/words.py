"""Doubled words: the same word twice in a row."""
from __future__ import annotations

from typing import Iterator

import regex

from consistency.checks.base import Check, Context, register
from consistency.checks.text import CORE_FUNCTION_ZIPF, FUNCTION_WORD_ZIPF, is_function_word, tokens, zipf
from consistency.model import Finding, Severity

# Words a language legitimately repeats, lower-case and mid-sentence: a relative pronoun before an article
# ("…, die die Regierung", "…, dass sie sie"), a reflexive ("nous nous"), English "had had" / "that that".
LEGIT_DOUBLES = {
    "de": {"die", "der", "das", "sie", "es"},
    "fr": {"nous", "vous"},
    "en": {"had", "that", "is", "do"},
    "id": {"sangat"},
    # 'Se se tratar de…' (if it is about…): the conjunction before the reflexive pronoun.
    "pt": {"se"},
    "es": {"se"},
    "it": {"se"},
}
# German articles and pronouns double legitimately where a relative clause opens: after the comma ("…, die die
# Regierung") or after the preposition that governs the relative pronoun ("an der der Name erscheint").
AFTER_COMMA = {"de": {"die", "der", "das", "den", "dem", "des"}}
# One whitespace character between the two: a word repeated across a run of spaces is a column of a table or of
# `--help` output (`--context=NUM  NUM lines`), not a doubling (measured: the Debian .mo audit).
# The first word must not end a path or a file name ('debian/patches Patches', 'README.Debian debian').
_DOUBLE = regex.compile(r"(?<![\p{L}\p{Nd}_/.-])([\p{L}\p{Nd}]+)\s(\1)(?![\p{L}\p{Nd}_])", regex.IGNORECASE)
# A phrase of two to four words said twice in a row ('cada vez cada vez', 'nunca jamás nunca jamás'): the
# signature of machine translation stuck in a loop (argos-translate#318, LibreTranslate#167).
_PHRASE = regex.compile(r"(?<![\p{L}\p{Nd}-])((?:[\p{L}][\p{L}\p{Nd}]*\s+){1,3}[\p{L}][\p{L}\p{Nd}]*)\s+(\1)"
                        r"(?![\p{L}\p{Nd}])", regex.IGNORECASE)


@register
class DoubledWord(Check):
    kind = "doubled_word"
    severity = Severity.ERROR
    description = "the same word or phrase twice in a row ('wie wie', 'GPU GPU', 'cada vez cada vez')"

    def run(self, ctx: Context) -> Iterator[Finding]:
        for r in ctx.renderings:
            legit = LEGIT_DOUBLES.get(r.lang, set())
            paragraphs = {p.index: p for p in r.paragraphs}
            for s in r.sentences:
                others = ctx.counterpart_text(r.lang, s).casefold()
                mirrored = None  # asked only when a word is doubled: most sentences double none
                for m in _DOUBLE.finditer(s.text):
                    word = m.group(1)
                    if word.isdigit() or m.group().casefold() in others or m.group(1).isupper() != m.group(2).isupper():
                        continue  # the others double it too ('handle handle'), or a label and a title ('KEAMANAN Keamanan')
                    if _hard_break(paragraphs[s.paragraph], s.start + m.end(1)):
                        continue  # one line ends with the word and the next starts with it (a message's two lines)
                    if s.text[m.end():m.end() + 1] == "-" and is_function_word(word, r.lang):
                        continue  # a preposition before a compound that starts like it ('en en-tête': devref audit)
                    if m.group(1) == m.group(2):
                        if mirrored is None:
                            mirrored = _mirrored(ctx, r.lang, s)
                        if mirrored:
                            continue
                    if m.group(1) == m.group(2) \
                            and _metavariable(r, s.paragraph, m.group(1), is_function_word(word, r.lang)):
                        continue  # 'add the user tag tag' after '--add-user-tag tag', 'niveau niveau' (--log-level=niveau)
                    before = s.text[: m.start()].rstrip()
                    # A capitalised word before its lower-case twin mid-sentence names a thing by its label ('del
                    # Menú menú', config syntax 'Height height;'): 4 false errors in the aptitude audit, no real one
                    # in the eight audits. Opening a sentence ('The the') it is the classic doubling.
                    # Where it opens the line, every counterpart keeping the capitalised word verbatim before a
                    # word of its own says the same ('Height height;' beside 'Height hauteur;': a type and its
                    # placeholder in aptitude's configuration syntax).
                    labelled = (m.group(1)[:1].isupper() and m.group(1)[1:].islower() and m.group(2).islower()
                                and ((before != "" and before[-1:] not in ".!?:")
                                     or _kept_by_every_counterpart(ctx, r.lang, s, m.group(1))))
                    second = m.group(2)  # 'Nous nous' is legit, 'Der Der' is not
                    doubtful = (second.islower() and second in legit
                                and (second not in AFTER_COMMA.get(r.lang, ()) or _opens_relative(before, r.lang)))
                    # One letter twice is mostly a placeholder's or an elision's ('%s s'appuie'), not a word.
                    doubtful = doubtful or len(word) < 2 or labelled
                    message = (f"'{m.group(1)}' before '{m.group(2)}': a label and its noun, or a doubled word"
                               if labelled else f"'{word}' is doubled")
                    yield ctx.finding(
                        self, r.lang, s, m.group(), message, 0.5 if doubtful else 0.95,
                        severity=Severity.INFO if doubtful else None, start=m.start())
                for m in _PHRASE.finditer(s.text):
                    if m.group(1).isupper() != m.group(2).isupper():
                        continue  # a metavariable and its description ('BERKAS MASUKAN berkas masukan')
                    if _reduplicated(ctx, r.lang, s):
                        # The others repeat a word of theirs here too: the sentence says 'X to X' or 'X is the X'
                        # ('de champ en champ en cliquant', 'wobei der Name der Name von Boxen ist' beside 'field to
                        # field', 'Name is the Boxes name': GNOME application help, 2 false errors), and the
                        # repeated phrase is that figure running into the next word.
                        yield ctx.finding(self, r.lang, s, m.group(), f"the phrase '{m.group(1)}' is repeated, as "
                                          "the others repeat a word here", 0.5, severity=Severity.INFO,
                                          start=m.start())
                        continue
                    yield ctx.finding(self, r.lang, s, m.group(), f"the phrase '{m.group(1)}' is repeated", 0.9,
                                      start=m.start())


def _hard_break(paragraph, at: int) -> bool:
    """Whether the character at offset `at` of the paragraph is a line break the text itself holds, not one where
    a wrapped paragraph of the file goes on (`Paragraph.breaks`): a catalogue message's '\\n' ends a line on the
    screen, and the next line is a phrase of its own ('pas prêt pour la configuration\\nconfiguration impossible':
    dpkg's French catalogue, a false error in the catalogue audit). Across a wrap, 'the\\nthe' is the classic
    doubling, and stays one."""
    return paragraph.text[at:at + 1] == "\n" and at + 1 not in paragraph.breaks


def _mirrored(ctx: Context, lang: str, sentence) -> bool:
    """Whether at least half the counterparts double a content word of their own here: a metavariable beside its
    noun, which translations mirror ('the pattern pattern', 'el patrón patrón', 'user tag tag': aptitude manual).
    Only the same spelling twice counts (a title after its label, 'appendix Appendix B', 'die Die Distribution', is
    a defect even where the original has it too: installer and devref audits), and no function word: German
    'die die Tiere' opening a relative clause mirrors nothing ('relawan relawan' beside it is a defect)."""
    texts = list(ctx.counterpart_texts(lang, sentence).items())
    doubling = sum(any(m.group(1) == m.group(2) and not m.group(1).isdigit()
                       and not is_function_word(m.group(1), o) for m in _DOUBLE.finditer(t)) for o, t in texts)
    return doubling >= 1 and doubling * 2 >= len(texts)


# A word said again across at most this many frequent words (FUNCTION_WORD_ZIPF, of any length: Indonesian
# 'adalah') is a figure of the sentence ('field to field', 'Nom est le nom'), not a slip. Content words between
# ('network interface cards … cards', 'Parallel ATA, SCSI and Serial ATA') make a list, which says nothing: counting
# those cost half the injected repeated phrases of the handbook in the fault benchmark.
REDUPLICATION_GAP = 3


def _reduplicated(ctx: Context, lang: str, sentence) -> bool:
    """Whether most aligned counterparts of `sentence` (more than half: 'lines and lines' in two of four is a
    coordination, maintainers' guide fault benchmark) say a content word of theirs twice with one to
    REDUPLICATION_GAP frequent words between ('from field to field', 'Nom est le nom', 'Nama adalah nama'): the
    figure this rendering's repeated phrase mirrors ('de champ en champ en cliquant', 'wobei der Name der Name von
    Boxen ist'). Core function words (CORE_FUNCTION_ZIPF: 'you', 'une'; not 'name' at 5.6),
    codes in capitals, numbers and words under three letters are not the repeated word."""
    texts = ctx.counterpart_texts(lang, sentence)
    near = sum(_figure(text, other) for other, text in texts.items())
    return near * 2 > len(texts)


def _figure(text: str, lang: str) -> bool:
    """Whether `text` (in `lang`) says a content word twice across frequent words only (see `_reduplicated`)."""
    toks = tokens(text)
    words = [t.folded for t in toks]
    for i, t in enumerate(toks):
        w = words[i]
        if len(w) < 3 or not w.isalpha() or t.text.isupper() or zipf(w, lang) >= CORE_FUNCTION_ZIPF:
            continue
        for j in range(i + 2, min(len(words), i + 2 + REDUPLICATION_GAP)):
            if words[j] == w:
                if all(zipf(x, lang) >= FUNCTION_WORD_ZIPF for x in words[i + 1:j]):
                    return True
                break
    return False


def _kept_by_every_counterpart(ctx: Context, lang: str, sentence, word: str) -> bool:
    """Whether every aligned counterpart of `sentence` (at least two) writes `word` verbatim, as a token."""
    texts = list(ctx.counterpart_texts(lang, sentence).values())
    return len(texts) >= 2 and all(word in {t.text for t in tokens(text)} for text in texts)


def _metavariable(r, paragraph: int, word: str, function_word: bool = False) -> bool:
    """Whether `word` is an option's argument in this paragraph or the one before ('--log-level=niveau',
    '--add-user-tag tag'), or in a pattern or angle brackets ('^naam$', '<name>'): a manual's metavariable, which a
    sentence names after its noun ('the user tag tag', 'met de naam naam').
    A function word counts only in a pattern or angle brackets: '(the default)' makes no metavariable of 'the'
    (Dutch 'naam', name, is on the stop-word list)."""
    marks = r"[\^<]" if function_word else r"(?:[=:(^<]|--[\w-]+\s+)"
    pattern = regex.compile(rf"{marks}{regex.escape(word)}\b")
    texts = [p.text for p in r.paragraphs if p.index in (paragraph - 1, paragraph)]
    return any(pattern.search(t) for t in texts)


def _opens_relative(before: str, lang: str) -> bool:
    """Whether a relative pronoun may stand here: after a comma, or after a preposition ('…, an der der')."""
    if before.endswith(","):
        return True
    last = before.rsplit(None, 1)[-1] if before.split() else ""
    return last.islower() and is_function_word(last, lang)

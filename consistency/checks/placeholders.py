"""Placeholders, variables, URLs, e-mail addresses and inline code: text that must survive translation byte for
byte. The renderings vote; a rendering that lacks one the others agree on, or carries one they do not, is blamed."""
from __future__ import annotations

from typing import Iterator

import regex

from consistency.checks.anchors import Occurrence, _aligned_sentence, _needed_support, _sentences
from consistency.checks.base import Check, Context, register
from consistency.lexicon import known
from consistency.model import Finding, Severity
from consistency.units import plural_form

# The placeholder syntaxes of the common formats, as translate-toolkit's pofilter `variables`/`printf` checks and
# Okapi CheckMate's pattern check know them: ICU/Python/.NET `{name}` and `{0}`, ICU `{count, plural, ...}` (its
# head: the branches are translated), Jinja/Mustache `{{ x }}`, Ruby `%{name}`, Python `%(name)s`, printf `%s`
# `%1$d` `%-5.2f`, Objective-C `%@`, Qt `%1`, shell/Perl `${VAR}` `$VAR`; markup tags (`<b>`, `</b>`, `<br/>`;
# a tag with attributes by its name, `<xliff:g`, so a localised link inside it is judged as a URL); plus URLs,
# e-mail addresses, `inline code` and --long-options. Character references (&nbsp;, &laquo;) are typography,
# which languages set differently (French spaces before ':'), and are no placeholders.
# Tag names that are markup in UI strings and documentation (HTML's phrasing and common flow elements, plus any
# namespaced name such as xliff:g). Other words in angle brackets are metavariables (`<hostname>`, `<PID>`), which
# translations rightly translate (measured: the Debian .mo audit, benchmarks/audit/mo-catalogues.jsonl).
MARKUP_TAGS = frozenset("a abbr b big blockquote br cite code dd del dfn div dl dt em font h1 h2 h3 h4 h5 h6 hr i img "
                        "ins kbd li mark ol p pre q s samp small span strike strong sub sup table tbody td th "
                        "thead tr tt u ul var wbr".split())
PLACEHOLDER = regex.compile(
    r"\{\{\s*[\w.]+\s*\}\}"                      # {{ name }}
    r"|\{\w+,\s*(?:plural|select|selectordinal)\s*,"  # {count, plural, (ICU message argument)
    # {name}, {0}, {count, number}, {0:>5}, %{name}; not a shell brace expansion ('{pre,post}{inst,rm}')
    r"|%?\{[\w.]+(?:,\s*(?:number|date|time|spellout|ordinal|duration|choice)\b[^{}]*)?(?::[^{}\s]*)?\}"
    r"|%\(\w+\)[-+ #0]*\d*(?:\.\d+)?[sdifr]"     # %(name)s
    r"|(?<!%)%(?!%)(?:\d+\$)?[-+#0]*\d*(?:\.\d+)?(?:l|ll|h|z)?[sdiufxXeEgGcp@]"  # %s %1$d %-5.2f %@ (not %%)
    r"|(?<![%\w])%L?[1-9]\d?(?![\d$\w])"           # Qt %1 %L2 (QString::arg)
    rf"|</?(?:{'|'.join(sorted(MARKUP_TAGS, key=len, reverse=True))}|[A-Za-z][\w.-]*:[\w.-]+)\s*/?>"  # <b> </b> <br/>
    r"|<[A-Za-z][\w:.-]*(?=\s+[\w:.-]+\s*=)"         # <a href=..., <xliff:g id=...
    r"|\$\{\w+\}|(?<![\w$])\$[A-Z_][A-Z0-9_]{1,}\b"  # ${VAR}, $HOME
    # URLs (trailing punctuation is the sentence's; quotation marks are never part of one: »http://…«)
    r"|\b(?:https?|ftp)://[^\s<>\"')\]«»“”„]+[^\s<>\"')\].,;:!?«»“”„]"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"           # e-mail addresses
    r"|`[^`\n]+`"                                  # `inline code`
    r"|(?<![\w-])--(?:\[[a-z]+-\])?[a-z][a-z0-9]*(?:-[a-z0-9]+)*"    # --long-options, --[no-]negatable
)
# printf conversions need a letter after '%': '50 %' and '%d' in prose are different things; a number before the
# '%' (a percentage like '10%s' never is) keeps the percentage out.
_PERCENT_AFTER_NUMBER = regex.compile(r"\d\s?%")


# A strftime pattern ('%a %b %e %H:%M:%S %Z %Y') is the locale's date format, which a translation chooses for its
# language ('%A, den %d. %B %Y': Linux-PAM's German catalogue, a false error in the Debian .mo audit): its fields
# are not printf arguments that must survive. Known by a field printf has no conversion for (hours, minutes, year,
# month or weekday names, time zone) beside another field.
_STRFTIME_FIELD = regex.compile(r"(?<!%)%[-_0^#]?[aAbBCdDeFgGhHIjklmMpPrRsStTuUVwWxXyYzZ]")
# (Not the printf length modifiers '%ld' '%zu' '%jd' '%hd', glibc's '%m' (strerror) nor Python's '%r' and '%a'.)
_STRFTIME_ONLY = regex.compile(r"(?<!%)%[-_0^#]?[AbBCDFHMPRTUVwWyYZ]")


def date_format(text: str) -> bool:
    """Whether `text` holds a strftime date or time pattern: two or more fields, one of them a field printf has no
    conversion for ('%H:%M', '%d.%m.%Y'; not '%s of %d')."""
    return bool(_STRFTIME_ONLY.search(text)) and len(_STRFTIME_FIELD.findall(text)) >= 2


# What a strftime field shows (POSIX strftime): a translation may show it by another field ('%e' for '%d', '%A' for
# '%a', '%I %p' for '%H') or show more ('%A, den %d. %B'), but a part every other rendering shows and this one does
# not is lost ('Gespeichert um %H Uhr' for 'Saved at %H:%M:%S').
_DATE_PARTS = {**{f: "year" for f in "YyCGg"}, **{f: "month" for f in "mbBh"}, **{f: "day" for f in "dej"},
               **{f: "hour" for f in "HIkl"}, "M": "minute", "S": "second",
               **{f: "year month day" for f in "xDF"}, **{f: "hour minute second" for f in "XTr"}, "R": "hour minute",
               "c": "year month day hour minute second"}
_DATE_ORDER = ("year", "month", "day", "hour", "minute", "second")


def date_parts(text: str) -> set[str]:
    """The parts of a date and time a strftime pattern shows: {'year', 'month', 'day', 'hour', 'minute', 'second'}."""
    return {part for m in _STRFTIME_FIELD.finditer(text) for part in _DATE_PARTS.get(m.group()[-1], "").split()}


_ICU_HEAD = regex.compile(r"\{\w+,\s*(?:plural|select|selectordinal)\s*,")


def _icu_branches(text: str) -> set[int]:
    """Offsets of the braces that open an ICU branch (`one {# file}`, `female {she}`): the branch is message text
    that translations word their own way, not a placeholder; placeholders inside it still count."""
    if "{" not in text or not _ICU_HEAD.search(text):
        return set()
    out, stack = set(), []
    for i, ch in enumerate(text):
        if ch == "{":
            if stack and stack[-1][1]:
                out.add(i)
            stack.append((i, bool(_ICU_HEAD.match(text, i))))
        elif ch == "}" and stack:
            stack.pop()
    return out


def placeholders(text: str) -> list[tuple[str, int]]:
    """The placeholders of a text with their offsets, in order: [('{order_number}', 6), ('%s', 40)]."""
    out = []
    branches = _icu_branches(text)
    pos = 0
    while (m := PLACEHOLDER.search(text, pos)) is not None:
        pos = m.end()
        if m.start() in branches:  # the branch's own brace: look again just inside it ('one {{name}}')
            pos = m.start() + 1
            continue
        if m.group().startswith("%") and _PERCENT_AFTER_NUMBER.match(text, max(0, m.start() - 2)):
            continue
        out.append((m.group(), m.start()))
    return out


_SELECTOR = regex.compile(r"(?:=\d+|[\w-]+)\s*$")


def code_spans(text: str) -> list[tuple[int, int]]:
    """Spans of a text that are code, not words of its language: the placeholders, and the selectors of ICU
    branches (`one`, `other`, `=0`), which are keywords in every translation ('{count, plural, one {…}}')."""
    spans = [(start, start + len(p)) for p, start in placeholders(text)]
    for i in _icu_branches(text):
        m = _SELECTOR.search(text, 0, i)
        if m:
            spans.append((m.start(), i))
    return sorted(spans)


@register
class PlaceholderMismatch(Check):
    kind = "placeholder_mismatch"
    severity = Severity.ERROR
    description = "a placeholder, variable, URL, e-mail address or inline code changed, dropped or added"

    def run(self, ctx: Context) -> Iterator[Finding]:
        for pg in ctx.paragraph_groups:
            present = pg.present()
            if len(present) < 2:
                continue
            sents = {lang: _sentences(ctx, pg, lang) for lang in present}
            occ: dict[str, dict[str, list[Occurrence]]] = {}
            dated = any(date_format(s.text) for lang in present for s in sents[lang])
            for lang in present:
                for s in sents[lang]:
                    for text, start in placeholders(s.text):
                        if dated and text.startswith("%"):
                            continue
                        occ.setdefault(lang, {}).setdefault(text, []).append(Occurrence(lang, s, text, start))
            if dated:
                yield from _lost_date_parts(ctx, present, sents)
            if not occ:
                continue
            for lang in present:
                others = [o for o in present if o != lang]
                mine = occ.get(lang, {})
                extra = [os[0] for text, os in sorted(mine.items()) if not any(text in occ.get(o, {}) for o in others)]
                used: set[str] = set()
                for text in sorted({t for o in others for t in occ.get(o, {})}):
                    support = [o for o in others if text in occ.get(o, {})]
                    if text in mine or len(support) < _needed_support(len(others)):
                        continue
                    first = occ[support[0]][text][0]
                    where = _aligned_sentence(ctx, first, lang, sents[lang])
                    swap = next((e for e in extra if e.sentence == where and e.text not in used
                                 and (e.text[:1] == text[:1] or _domain(e.text) == _domain(text) != "")), None)
                    if swap is not None and swap.text.startswith(text + "-") and swap.text[len(text) + 1:].isalpha():
                        used.add(swap.text)
                        continue  # the code as the first part of a compound ('…@lists.debian.org-Mailingliste')
                    if swap is not None and _same(swap.text, text):
                        used.add(swap.text)
                        continue  # '%1$s' for '%s' (numbered so that the translation may reorder), '…/Goals/' for
                        # '…/Goals' (the same page)
                    if swap is not None and _localised(swap.text, text, lang, ctx.given,
                                                       " ".join(x.text for x in sents[lang])):
                        used.add(swap.text)
                        continue  # this language's version of a link, or a rendered metavariable (see _localised)
                    if swap is None and _COUNT.fullmatch(text) and _singular_form(ctx, pg.index, lang):
                        continue  # 'L'octet suivant …' for 'the next %d byte': the form for one needs no count
                    if swap is None and text.startswith("`") and text.strip("`") in where.text:
                        continue  # the code kept, its markup dropped ('*.orig.tar.{gz,bz2,xz}-Datei')
                    strong = len(support) == len(others)
                    if swap is not None:
                        used.add(swap.text)
                        message = f"'{swap.text}' where {', '.join(support)} {_verb(support)} '{text}'"
                        # One URL extending the other ('…/bookworm/./preseed.cfg' for '…/bookworm/') is as often the
                        # sentence worded around it as a wrong link (installer audit): a warning.
                        extended = swap.text.startswith(text) or text.startswith(swap.text)
                        # A file name the rendering renamed in its example and uses so again outside the link
                        # ('/scripts/orden_tardia.sh' for 'late_command.sh': es installer guide) is a choice: info
                        # (as a warning, 1 false of 1 in the eight audits).
                        mine_text = " ".join(x.text for x in sents[lang]).replace(swap.text, " ")
                        renamed = "://" in swap.text and (tail := swap.text.rstrip("/").rsplit("/", 1)[-1]) != \
                            text.rstrip("/").rsplit("/", 1)[-1] and len(tail) >= 4 and tail in mine_text
                        # A link written as a pattern ('…/tar-name-(.+)\.tar\.gz', a watch file's regex) holds
                        # placeholder words that translations translate (maintguide audit: 2 false errors, then
                        # 2 false warnings): info.
                        pattern = "://" in text and bool(_PATTERN_SYNTAX.search(text))
                        yield ctx.finding(self, lang, where, swap.text, message, 0.95 if strong else 0.8,
                                          severity=Severity.WARNING if extended else
                                          Severity.INFO if renamed or pattern else None,
                                          start=swap.start, evidence={"expected": text, "found_in": support})
                    else:
                        yield ctx.finding(self, lang, where, text,
                                          f"'{text}' is missing ({', '.join(support)} {_verb(support)} it)",
                                          0.9 if strong else 0.7,
                                          severity=Severity.ERROR if strong else Severity.WARNING,
                                          evidence={"expected": text, "found_in": support})
                # An extra one counts only in templated text where the others agree on their placeholders
                # (metavariables that every translation renders its own way, 'ATTR{attribut}', agree on none).
                agreed = len({tuple(sorted(occ.get(o, {}))) for o in others}) == 1
                if len(others) >= 2 and agreed and any(occ.get(o) for o in others):
                    plain = {_POSITION.sub("%", t) for o in others for t in occ.get(o, {})}
                    for e in extra:
                        # '%2$s', '%3$s' beside the others' '%s': the translation reorders the arguments.
                        if e.text.startswith("`") and all(e.text.strip("`") in " ".join(x.text for x in sents[o])
                                                          for o in others):
                            continue  # code the others write without its markup
                        if e.text not in used and _POSITION.sub("%", e.text) not in plain:
                            yield ctx.finding(self, lang, e.sentence, e.text,
                                              f"'{e.text}' appears in no other rendering", 0.6,
                                              severity=Severity.WARNING, start=e.start)


def _lost_date_parts(ctx: Context, present: list[str], sents: dict[str, list]) -> Iterator[Finding]:
    """A part of a date format (year, minutes, ...) that every other rendering's pattern shows and this one's does
    not: a warning (a date format is the locale's to choose, but not to cut)."""
    shown = {lang: set().union(*(date_parts(s.text) for s in sents[lang])) for lang in present}
    for lang in present:
        others = [o for o in present if o != lang]
        lost = [p for p in _DATE_ORDER if others and all(p in shown[o] for o in others) and p not in shown[lang]]
        where = next((s for s in sents[lang] if "%" in s.text), None)
        if lost and where is not None:
            yield ctx.finding(PlaceholderMismatch, lang, where, where.text,
                              f"the date format lacks the {', '.join(lost)} ({', '.join(others)} show it)", 0.7,
                              severity=Severity.WARNING, evidence={"lost": lost})


_POSITION = regex.compile(r"^%\d+\$")
# A printf integer conversion: the count a plural message is chosen by.
_COUNT = regex.compile(r"%(?:\d+\$)?[-+ #0']*\d*(?:hh|h|ll|l|j|z|t)?[diu]")


def _singular_form(ctx: Context, index: int, lang: str) -> bool:
    """Whether paragraph group `index` is the first plural form of a catalogue entry ('msgid[0]') and `lang` has a
    form of its own for other counts: the singular, which may leave the count out ('Un fichier' for '%d file';
    GNU msgfmt --check-format lets a form used for few values of n leave the count out: gettext's msgl-check.c,
    its plural distribution; the Debian .mo audit's one false placeholder error, gdk-pixbuf's French). A language
    with one form for every count (Indonesian: its only form fills the others, consistency/units.py) may not."""
    keys = ctx.unit_keys
    form = plural_form(keys[index - 1]) if 0 < index <= len(keys) else None
    if form is None or form[1] != 0:
        return False
    other = ctx.unit_group(f"{form[0]}[1]")
    if other is None or not other.members.get(lang) or not ctx.paragraph_group[index].members.get(lang):
        return False
    return (lang, other.index) not in ctx.copied_forms


# Regular-expression syntax no link has: a group, an escaped dot, a wildcard, a character class.
_PATTERN_SYNTAX = regex.compile(r"[(\\\[*]|\.\+")


def _same(found: str, expected: str) -> bool:
    """One placeholder written two ways: a printf argument with and without its position ('%1$s', '%s'), a URL with
    and without its trailing slash."""
    return (_POSITION.sub("%", found) == _POSITION.sub("%", expected)
            or ("://" in found and found.rstrip("/") == expected.rstrip("/")))


def _localised(found: str, expected: str, lang: str, units: bool = False, context: str = "") -> bool:
    """A link to this rendering's language version of the page (its path names the language: 'gpl-3.0.de.html',
    'smartquestionsfr'), or a documentation metavariable rendered as a word of the language ('{attribute}' →
    '{attribut}': a plain dictionary word, unlike the identifiers of templates, '{order_number}'). In units the
    input aligns itself (`units`: catalogue strings, bitext lines) a placeholder is filled in by code: '{nom}'
    for '{name}' is never a rendering but a broken string."""
    if not units and _domain(found) and _domain(found) == _domain(expected):
        return _metavariable(found.split("@")[0], expected.split("@")[0], lang, context.replace(found, " "))
    m = regex.match(r"^[a-z]+://[^/]+", found)
    e = regex.match(r"^[a-z]+://[^/]*\bexample\.(?:com|org|net)(?=/|$)", expected)
    if m and e and found[m.end():] == expected[e.end():]:
        return True  # the documentation example domain in the language's words ('esempio.com'; RFC 2606)
    if m:
        return bool(regex.search(rf"(?<![a-z]){regex.escape(lang)}(?![a-z])|{regex.escape(lang)}$", found[m.end():]))
    if units:
        return False
    word = regex.fullmatch(r"\{(\p{L}+)\}", expected)
    mine = regex.fullmatch(r"\{(\p{L}+)\}", found)
    return bool(word and mine and word.group(1).islower() and known(mine.group(1), lang))


def _domain(text: str) -> str:
    """The domain of an e-mail address ('' for anything else)."""
    return text.rpartition("@")[2].casefold() if "@" in text and "://" not in text else ""


def _metavariable(found: str, expected: str, lang: str, context: str) -> bool:
    """Whether the local part of an address is a documentation metavariable that the rendering translated
    ('package@packages.debian.org' → 'paquet@…', 'Paketname@…'; Developer's Reference): the original is made of
    English words ('package', 'packagename') and the rendering's starts or ends with a word of its language that
    its paragraph also uses outside the address, maybe inflected ('des Pakets … Paketname@…'). A list or role address translated
    without such a word ('debian-devel', 'owner@' → 'besitzer@') stays a finding."""
    if not (regex.fullmatch(r"\p{L}+", found) and regex.fullmatch(r"[a-z]+", expected)):
        return False
    if not (known(expected, "en") or any(known(expected[:i], "en") and known(expected[i:], "en")
                                         for i in range(3, len(expected) - 2))):
        return False
    words = {w.casefold() for w in regex.findall(r"\p{L}{4,}", context)}
    parts = {found[:i] for i in range(4, len(found) + 1)} | {found[i:] for i in range(0, len(found) - 3)}
    return any(known(p, lang) and any(w.startswith(p.casefold()) for w in words) for p in parts)


def _verb(langs: list[str]) -> str:
    return "has" if len(langs) == 1 else "have"

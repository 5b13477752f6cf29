"""Documents whose alignment is given, not found: catalogue units aligned by key, subtitle cues by time, bitext
lines by position. Each unit becomes a paragraph of its rendering and each key a paragraph group, so every check
runs unchanged; only the sentence alignment inside a group is computed (a unit may hold several sentences).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

from consistency.catalogue import FUZZY, UNTRANSLATED, Catalogue
from consistency.load import Source
from consistency.model import Finding, Paragraph, Severity

# Severities of the states a catalogue records itself: both are certain facts, but neither is a wrong text. A
# fuzzy entry is not shown to users by gettext (it falls back to the source); an empty one is not translated yet.
FUZZY_SEVERITY = Severity.WARNING
EMPTY_SEVERITY = Severity.WARNING


@dataclass(frozen=True)
class KeyedText:
    key: str
    text: str
    line: int


@dataclass(frozen=True)
class GivenDocument:
    """Renderings plus their alignment: `groups[k][lang]` holds the paragraph ordinals (1-based) of key k.

    `findings` are the ones the input states itself (an empty or fuzzy catalogue entry), found without any check.
    """

    name: str
    sources: tuple[Source, ...]
    groups: tuple[Mapping[str, tuple[int, ...]], ...]
    source_lang: str | None = None
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    keys: tuple[str, ...] = ()  # the key of each group, when the input has keys


def given_document(name: str, tracks: Mapping[str, tuple[str, Sequence[KeyedText]]],
                   source_lang: str | None = None, lang_from: str = "name") -> GivenDocument:
    """A document from keyed texts: `tracks[lang] = (path, [KeyedText, ...])`. Keys are grouped in the order the
    source (else the first language) lists them, then any others in the order met. Empty texts make no paragraph.
    """
    langs = sorted(tracks)
    first = source_lang if source_lang in tracks else langs[0]
    order: dict[str, None] = {}
    for lang in [first] + [lang for lang in langs if lang != first]:
        for u in tracks[lang][1]:
            order.setdefault(u.key, None)
    sources, index = [], {}
    for lang in langs:
        path, units = tracks[lang]
        paras, where = [], {}
        for u in units:
            if u.text.strip() and u.key not in where:
                paras.append(Paragraph(index=len(paras) + 1, line=u.line, text=u.text.strip()))
                where[u.key] = len(paras)
        sources.append(Source(path=path, lang=lang, lang_from=lang_from, paragraphs=tuple(paras)))
        index[lang] = where
    groups = tuple({lang: ((index[lang][key],) if key in index[lang] else ()) for lang in langs} for key in order)
    return GivenDocument(name, tuple(sources), groups, source_lang, keys=tuple(order))


def catalogue_document(name: str, catalogues: Mapping[str, Catalogue], source_lang: str,
                       source_catalogue: Catalogue | None = None) -> GivenDocument:
    """A document from one catalogue per language, aligned by unit key.

    The source rendering is `source_catalogue` (a monolingual base file, a POT) or, for bilingual formats, the
    sources the translations carry. Entries that are empty or fuzzy are left out of the checked text and reported
    as `untranslated` / `fuzzy` findings at their own file and line.
    """
    tracks: dict[str, tuple[str, list[KeyedText]]] = {}
    findings: list[tuple[str, Finding]] = []
    source_units: dict[str, KeyedText] = {}
    if source_catalogue is not None:
        source_units = {u.key: KeyedText(u.key, u.target if u.source is None else u.source, u.line)
                        for u in source_catalogue.units}
    for lang, cat in sorted(catalogues.items()):
        kept = []
        for u in cat.units:
            if u.source is not None and u.key not in source_units:
                source_units[u.key] = KeyedText(u.key, u.source, u.line)
            if u.state == FUZZY and u.target:
                findings.append((u.key, _state_finding("fuzzy", FUZZY_SEVERITY, lang, cat.path, u.line, u.target,
                                               "marked fuzzy: not shown to readers until someone reviews it",
                                               source_lang, source_units.get(u.key))))
            elif u.state == UNTRANSLATED:
                said = u.source if u.source is not None else source_units[u.key].text if u.key in source_units \
                    else u.key
                findings.append((u.key, _state_finding("untranslated", EMPTY_SEVERITY, lang, cat.path, u.line, said,
                                               "no translation: the entry is empty, readers see the source",
                                               source_lang, source_units.get(u.key))))
            else:
                kept.append(KeyedText(u.key, u.target, u.line))
        tracks[lang] = (cat.path, kept)
    for lang, cat in sorted(catalogues.items()):
        # A string the source has and this catalogue lacks (a base-file key missing from values-de/, an entry a
        # compiled MO leaves out because it was fuzzy or empty): readers see the source there too.
        have = {_entry(u.key) for u in cat.units}
        for key, su in source_units.items():
            if _entry(key) not in have and su.text.strip():
                findings.append((key, _state_finding("untranslated", EMPTY_SEVERITY, lang, cat.path, 0, su.text,
                                                     "no entry: the catalogue lacks this string, readers see the "
                                                     "source", source_lang, su)))
    _fill_plural_forms(tracks, source_units)
    if source_units and source_lang not in tracks:
        path = source_catalogue.path if source_catalogue is not None else next(iter(catalogues.values())).path
        tracks[source_lang] = (path, list(source_units.values()))
    doc = given_document(name, tracks, source_lang)
    group_of = {key: i for i, key in enumerate(doc.keys, 1)}
    stated = tuple(replace(f, group=group_of.get(key)) for key, f in findings)
    return replace(doc, source_lang=source_lang, findings=stated)


def _fill_plural_forms(tracks: dict[str, tuple[str, list[KeyedText]]], source_units: Mapping[str, KeyedText]) -> None:
    """A language with fewer plural forms than another uses its last form for the rest (Indonesian's one form
    serves every count; German's plural serves Russian's third form), so each form's group has its text instead
    of a gap the checks would call an omission."""
    top: dict[str, int] = {}
    for key in [*source_units, *(u.key for _, units in tracks.values() for u in units)]:
        if (form := plural_form(key)) is not None:
            top[form[0]] = max(top.get(form[0], 0), form[1])
    if not top:
        return
    for lang, (path, units) in tracks.items():
        forms: dict[str, dict[int, KeyedText]] = {}
        for u in units:
            if (form := plural_form(u.key)) is not None:
                forms.setdefault(form[0], {})[form[1]] = u
        extra = []
        for entry, have in forms.items():
            last = have[max(have)]
            extra += [KeyedText(f"{entry}[{n}]", last.text, last.line) for n in range(top[entry] + 1) if n not in have]
        units.extend(extra)


def _entry(key: str) -> str:
    """The entry a unit key belongs to: a plural form's key (`msgid[1]`) without its form, so a language with
    fewer plural forms than another (Indonesian has one) does not lack the others' forms."""
    return _PLURAL_FORM.sub("", key)


def plural_form(key: str) -> tuple[str, int] | None:
    """(entry, form) of a plural form's unit key ('msgid[1]' → ('msgid', 1)); None for any other key."""
    m = _PLURAL_FORM.search(key)
    return (key[: m.start()], int(m.group(1))) if m else None


_PLURAL_FORM = re.compile(r"\[(\d+)\]$")


def _state_finding(kind: str, severity: Severity, lang: str, path: str, line: int, text: str, message: str,
                   source_lang: str, source: KeyedText | None) -> Finding:
    evidence = {"counterparts": [{"lang": source_lang, "paragraph": None, "line": source.line, "text": source.text,
                                  "backtranslation": None}]} if source else {}
    return Finding(kind=kind, severity=severity, lang=lang, path=path, paragraph=None, line=line or None,
                   text=text, message=message, score=1.0, evidence=evidence)

"""Localisation catalogues: read PO/POT/MO, XLIFF 1.2 and 2.0, TMX, Qt .ts, Android strings.xml, iOS .strings,
Java .properties, JSON (flat and nested) and YAML into translation units, through translate-toolkit (polib for
PO/MO, which keeps each entry's line; lxml for multilingual TMX, which translate-toolkit reads as bilingual only).

Units are aligned by key (msgctxt + msgid, unit id, resource name, key path), never by embeddings: a catalogue
says itself which string renders which. A unit's `line` is the 1-based line of its entry in the file, so reports
point at the PO entry or XLIFF unit (0 when the format has no lines, as MO).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from consistency.errors import InputError
from consistency.langid import locale_tag

# Unit states, as PO and XLIFF name them.
TRANSLATED, FUZZY, UNTRANSLATED = "translated", "fuzzy", "untranslated"
# Extensions of each family; `.xml` is a catalogue only when it is an Android resource file (see `is_catalogue`).
BILINGUAL = {".po", ".pot", ".mo", ".gmo", ".xlf", ".xliff", ".sdlxliff", ".tmx", ".ts"}
XLIFF = {".xlf", ".xliff", ".sdlxliff"}
MONOLINGUAL = {".strings", ".properties", ".json", ".yaml", ".yml", ".xml"}
# Joins a unit's context to its id in keys (as gettext's own EOT separator in MO files).
CONTEXT_SEP = "\x04"


@dataclass(frozen=True)
class Unit:
    """One translatable string. `source` is None in monolingual formats (the base-language file carries it)."""

    key: str
    target: str
    source: str | None = None
    line: int = 0
    state: str = TRANSLATED
    note: str = ""


@dataclass(frozen=True)
class Catalogue:
    """The units of one file in one language; `source_lang` is the language the file names for its sources."""

    path: str
    lang: str | None
    units: tuple[Unit, ...]
    source_lang: str | None = None


def is_catalogue(path: Path) -> bool:
    """Whether `path` is read as a catalogue rather than as a document. Android resources are `.xml` files in a
    `values*` folder; any other `.json`/`.yaml` is a catalogue only inside a tree this module recognises."""
    suffix = path.suffix.lower()
    if suffix in BILINGUAL or suffix in {".strings", ".properties"}:
        return True
    if suffix == ".xml":
        return path.parent.name.startswith("values")
    return suffix in {".json", ".yaml", ".yml"}


def read_catalogue(path: Path) -> list[Catalogue]:
    """The catalogues in one file: one for most formats, one per language for a multilingual TMX.

    Raises InputError for a file the format's reader rejects (one line naming the file and the parser's reason).
    """
    suffix = path.suffix.lower()
    try:
        if suffix in {".po", ".pot"}:
            return [_read_po(path)]
        if suffix in {".mo", ".gmo"}:
            return [_read_mo(path)]
        if suffix == ".tmx":
            return _read_tmx(path)
        return [_read_toolkit(path, suffix)]
    except InputError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    except Exception as exc:  # noqa: BLE001 - parsers raise their own types (lxml, polib, ruamel, json)
        raise InputError(f"{path} is not a valid {suffix.lstrip('.')} catalogue: {_first_line(exc)}") from exc


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _key(context: str | None, msgid: str) -> str:
    return f"{context}{CONTEXT_SEP}{msgid}" if context else msgid


def _po_units(entries: Iterable, has_lines: bool) -> tuple[Unit, ...]:
    units = []
    for e in entries:
        if e.obsolete or not e.msgid:  # the header has an empty msgid
            continue
        line = e.linenum if has_lines else 0
        fuzzy = "fuzzy" in e.flags
        if e.msgid_plural:
            forms = e.msgstr_plural or {}
            for n in sorted(forms) or [0]:
                target = forms.get(n, "")
                source = e.msgid if n == 0 else e.msgid_plural
                units.append(Unit(_key(e.msgctxt, e.msgid) + f"[{n}]", target, source, line,
                                  _state(target, fuzzy), e.comment or ""))
        else:
            units.append(Unit(_key(e.msgctxt, e.msgid), e.msgstr, e.msgid, line, _state(e.msgstr, fuzzy),
                              e.comment or ""))
    return tuple(units)


def _state(target: str, fuzzy: bool) -> str:
    return UNTRANSLATED if not target else FUZZY if fuzzy else TRANSLATED


# A PO line that opens a string ('msgid "…', '"…' continuing one) must close it: polib reads 'msgid "Hello' up to the
# line's end without a word, inventing a msgid that no program has (a new user's broken fr.po; msgfmt rejects it).
_PO_STRING = re.compile(r'^\s*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?(?=")')
_PO_CLOSED = re.compile(r'"(?:[^"\\]|\\.)*"\s*$')


def _check_po_strings(path: Path) -> None:
    """Raise ValueError at the first line of a PO file whose string is not closed."""
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            start = _PO_STRING.match(line)
            if start and not line.lstrip().startswith("#") and not _PO_CLOSED.match(line, start.end()):
                raise ValueError(f"line {number}: the string is not closed with a quotation mark")


def _read_po(path: Path) -> Catalogue:
    import polib  # noqa: PLC0415

    _check_po_strings(path)
    po = polib.pofile(str(path), encoding="utf-8")
    return Catalogue(str(path), _lang_tag(po.metadata.get("Language")), _po_units(po, True), None)


def _read_mo(path: Path) -> Catalogue:
    import polib  # noqa: PLC0415

    mo = polib.mofile(str(path))
    return Catalogue(str(path), _lang_tag(mo.metadata.get("Language")), _po_units(mo, False), None)


def _lang_tag(value: str | None) -> str | None:
    """A catalogue's own language field (`de`, `pt_BR`, `sr@latin`) as a BCP-47 tag, or None; a field that names
    no known language is kept as written (hyphenated)."""
    if not value or not value.strip():
        return None
    return locale_tag(value) or value.strip().split("@")[0].replace("_", "-")


def _read_tmx(path: Path) -> list[Catalogue]:
    from lxml import etree  # noqa: PLC0415

    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    header = tree.find("header")
    srclang = _lang_tag(header.get("srclang")) if header is not None else None
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    rows: list[tuple[str, int, dict[str, str]]] = []
    for n, tu in enumerate(tree.iter("tu"), 1):
        texts = {}
        for tuv in tu.iter("tuv"):
            lang = _lang_tag(tuv.get(xml_lang) or tuv.get("lang"))
            seg = tuv.find("seg")
            if lang and seg is not None:
                texts[lang] = "".join(seg.itertext())
        rows.append((tu.get("tuid") or str(n), tu.sourceline or 0, texts))
    langs = sorted({lang for _, _, texts in rows for lang in texts})
    source = srclang if srclang in langs else None
    return [Catalogue(str(path), lang, tuple(
        Unit(key, texts.get(lang, ""), texts.get(source) if source else None, line,
             TRANSLATED if texts.get(lang) else UNTRANSLATED) for key, line, texts in rows), source)
        for lang in langs]


def _toolkit_store(path: Path, suffix: str):
    data = path.read_bytes()
    if suffix in {".xlf", ".xliff", ".sdlxliff"}:
        from translate.storage import xliff, xliff2  # noqa: PLC0415

        cls = xliff2.Xliff2File if b'version="2.' in data[:2000] else xliff.xlifffile
    elif suffix == ".ts":
        from translate.storage import ts2 as cls_mod  # noqa: PLC0415

        cls = cls_mod.tsfile
    elif suffix == ".xml":
        from translate.storage import aresource  # noqa: PLC0415

        cls = aresource.AndroidResourceFile
    elif suffix == ".strings":
        from translate.storage import properties  # noqa: PLC0415

        cls = properties.stringsutf8file if not data.startswith((b"\xff\xfe", b"\xfe\xff")) else \
            properties.stringsfile
    elif suffix == ".properties":
        from translate.storage import properties  # noqa: PLC0415

        cls = properties.javautf8file
    elif suffix == ".json":
        from translate.storage import jsonl10n  # noqa: PLC0415

        cls = jsonl10n.JsonNestedFile
    elif suffix in {".yaml", ".yml"}:
        from translate.storage import yaml as tt_yaml  # noqa: PLC0415

        cls = tt_yaml.YAMLFile
    else:
        raise InputError(f"{path}: unknown catalogue format {suffix!r}")
    store = cls()
    store.parse(data)
    return store, data.decode("utf-8", errors="replace")


def _read_toolkit(path: Path, suffix: str) -> Catalogue:
    store, text = _toolkit_store(path, suffix)
    bilingual = suffix in BILINGUAL
    lines = _line_finder(text)
    units = []
    # translate-toolkit prefixes an XLIFF 1.2 unit's id with its <file>'s name ('app\x04greet'), not a 2.0 one's:
    # within one <file> the id alone is the key, so that a 1.2 and a 2.0 file of the same units align (a new
    # user's app.de.xlf and app.fr.xlf).
    ids = [str(u.getid() or "") for u in store.units if not u.isheader()]
    prefixes = {i.split(CONTEXT_SEP, 1)[0] for i in ids}
    one_file = suffix in XLIFF and len(prefixes) == 1 and all(CONTEXT_SEP in i for i in ids)
    for u in store.units:
        if u.isheader() or (hasattr(u, "isobsolete") and u.isobsolete()):
            continue
        element = getattr(u, "xmlelement", None)
        if element is not None and element.get("translatable") == "false":
            continue  # Android: the same in every language by design (`istranslatable` also says no for "")
        uid = str(u.getid() or u.source)
        key = _key(u.getcontext() if bilingual else None, uid.split(CONTEXT_SEP, 1)[1] if one_file else uid)
        target = str(u.target or "") if bilingual else str(u.source or "")
        source = str(u.source or "") if bilingual else None
        if not key.strip(".") or (not bilingual and not u.getid()):
            continue  # comments and blank lines that .properties/.strings readers return as units
        line = element.sourceline if element is not None and element.sourceline else lines(str(u.getid() or ""))
        fuzzy = _needs_review(u, suffix) if bilingual else False
        units.append(Unit(key, target, source, line, _state(target, fuzzy),
                          str(u.getnotes() or "") if hasattr(u, "getnotes") else ""))
    lang = None
    if suffix in {".yaml", ".yml"}:
        units, lang = _rails_root(units)
    if bilingual:
        lang = _lang_tag(getattr(store, "gettargetlanguage", lambda: None)())
    source_lang = _lang_tag(getattr(store, "getsourcelanguage", lambda: None)()) if bilingual else None
    return Catalogue(str(path), lang, tuple(units), source_lang)


def _rails_root(units: list[Unit]) -> tuple[list[Unit], str | None]:
    """Rails-style YAML puts every key under the language (`de: {menu: ...}`): the root names the language and
    is left out of the keys, so `de->menu->open` aligns with `fr->menu->open`."""
    roots = {u.key.split("->", 1)[0] for u in units}
    if len(roots) != 1 or not all("->" in u.key for u in units):
        return units, None
    root = roots.pop()
    tag = _lang_tag(root)
    try:
        import langcodes  # noqa: PLC0415

        if not tag or not langcodes.tag_is_valid(tag):
            return units, None
    except ImportError:
        return units, None
    return [replace(u, key=u.key.split("->", 1)[1]) for u in units], tag


# XLIFF target states that mean "not final": 1.2 `needs-*` (and `new`), 2.0 `initial`.
_REVIEW_STATES = re.compile(r"^(needs-|new$|initial$)")


def _needs_review(unit, suffix: str) -> bool:
    """Fuzzy in PO terms. translate-toolkit calls every XLIFF unit without approved="yes" fuzzy, which would flag
    nearly every real file; the target's (or 2.0 segment's) `state` attribute is what the translator set."""
    if suffix not in {".xlf", ".xliff", ".sdlxliff"}:
        return bool(unit.isfuzzy())
    element = unit.xmlelement
    states = [el.get("state") for el in element.iter() if el.get("state")]
    return any(_REVIEW_STATES.match(s) for s in states)


def _line_finder(text: str):
    """Line of each key's definition, for formats without line tracking (JSON, YAML, .properties, .strings).

    A key is found where it is defined (`key =`, `"key":`, `key:` at a line start or in quotes), not where a
    comment mentions it; a nested key (`menu->open`, JSON's `.menu.open`) as its parts in order. Keys come in file
    order, so each search starts where the previous key was found (the same name under another parent, `error.open`
    after `menu.open`, lands on its own line), falling back to the whole text. 0 when not found.
    """
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    cursor = 0

    def defined(name: str, at: int) -> int:
        m = re.compile(r"(?:^[ \t]*|[\"'])" + re.escape(name) + r"[\"']?[ \t]*[:=]", re.M).search(text, at)
        return m.start() if m else -1

    def find(key: str, at: int) -> int:
        whole = defined(key.lstrip("."), at)
        if whole >= 0:
            return whole
        pos = at
        for part in [p for p in re.split(r"->|\.", key) if p]:
            pos = defined(part, pos)
            if pos < 0:
                return -1
        return pos

    def line(key: str) -> int:
        nonlocal cursor
        if not key:
            return 0
        pos = find(key, cursor)
        if pos < 0:
            pos = find(key, 0)
        if pos < 0:
            return 0
        cursor = pos + 1
        return bisect.bisect_right(starts, pos)

    return line

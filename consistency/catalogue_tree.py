"""Which catalogue files form one document, and the language of each, in the trees localisation projects keep:

    locale/<lang>/LC_MESSAGES/<domain>.po|.mo     gettext (document: the domain; source: <domain>.pot if any)
    po/<lang>.po  +  po/<domain>.pot              gettext in one folder (document: the folder)
    res/values-<lang>/strings.xml  + values/      Android (values-pt-rBR, values-b+sr+Latn; values/ is the source)
    <lang>.lproj/Localizable.strings              iOS (Base.lproj or en.lproj is the source)
    i18n/<lang>.json|.yaml                        web frameworks (the pivot language's file is the source)
    Messages_<lang>.properties + Messages.properties   Java resource bundles
    <name>.<lang>.xlf, <name>_<lang>.ts           one file per target language (the file names its source)
    *.tmx                                         every language in one file
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from consistency.catalogue import Catalogue, read_catalogue
from consistency.langid import locale_tag

_ANDROID = re.compile(r"^values-(?:b\+(?P<bcp>[A-Za-z0-9+]+)|(?P<lang>[a-z]{2,3})(?:-r(?P<region>[A-Z]{2}))?)$")


def _stem_tag(stem: str) -> str | None:
    """A whole file stem as a language (`de`, `pt_BR`, `zh_Hant`, `ast`). A three-letter stem with more after it
    is a name (`app_de` is the app's German file, not the Apma language in Germany)."""
    primary = re.split(r"[-_@]", stem)[0]
    if len(primary) == 3 and primary != stem:
        return None
    return locale_tag(stem)


@dataclass(frozen=True)
class CatalogueSet:
    """The catalogues of one document: one per language, plus the source catalogue when the tree has one."""

    name: str
    catalogues: dict[str, Catalogue]
    source: Catalogue | None
    source_lang: str | None


def path_lang(path: Path) -> tuple[str | None, str]:
    """(language tag, document key) that the path itself gives; the tag is None for a source/base file."""
    parts = path.parts
    name, suffix = path.name, path.suffix.lower()
    if len(parts) >= 3 and parts[-2] == "LC_MESSAGES":
        return locale_tag(parts[-3]), path.stem
    folder = path.parent.name
    if folder.startswith("values"):
        m = _ANDROID.match(folder)
        if folder == "values":
            return None, name
        if m:
            raw = m["bcp"].replace("+", "-") if m["bcp"] else m["lang"] + (f"-{m['region']}" if m["region"] else "")
            return locale_tag(raw), name
    if folder.endswith(".lproj"):
        base = folder[: -len(".lproj")]
        return (None if base == "Base" else locale_tag(base)), name
    if suffix in {".pot"}:
        return None, path.parent.name
    stem = path.stem
    if _stem_tag(stem):  # de.po, fr.json, id.yaml: the folder is the document
        return _stem_tag(stem), path.parent.name
    m = re.match(r"^(?P<doc>.+?)[._-](?P<lang>[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,4})?)$", stem)
    if m and locale_tag(m["lang"]):
        return locale_tag(m["lang"]), f"{path.parent.name}/{m['doc']}".lstrip("/")
    return None, f"{path.parent.name}/{stem}".lstrip("/")


def catalogue_sets(files: Iterable[Path], pivot: str = "en",
                   lang_of: Callable[[Path], str | None] = lambda path: None) -> list[CatalogueSet]:
    """Group catalogue files into documents. A file takes the language `lang_of` gives it (--lang), else the one
    its path names, else the one its header names (PO `Language:`, XLIFF `target-language`); a base file (values/,
    Base.lproj, a POT, `Messages.properties`) is the source; else the pivot language's catalogue is. Raises
    InputError for a file its reader rejects."""
    docs: dict[str, dict[str, Catalogue]] = {}
    sources: dict[str, Catalogue] = {}
    templates: dict[str, Catalogue] = {}  # .pot files by their domain (file stem)
    for path in sorted(files):
        lang, key = path_lang(path)
        for cat in read_catalogue(path):
            if path.suffix.lower() == ".tmx":
                docs.setdefault(str(path), {})[cat.lang or "und"] = cat
                if cat.source_lang:
                    sources.setdefault(str(path), cat)
                continue
            given = lang_of(path)
            if given:
                cat = replace(cat, lang=given)
            cat_lang = given or lang or cat.lang
            template = path.suffix.lower() == ".pot" and not given
            if cat_lang is None or template:
                sources[key] = cat
                if template:
                    templates.setdefault(path.stem, cat)
            else:
                docs.setdefault(key, {})[cat_lang] = cat
    out = []
    for key, cats in sorted(docs.items()):
        # A domain's template beside a locale/ tree's language folders ('locale/app.pot' for
        # 'locale/de/LC_MESSAGES/app.po') is its source as much as one under 'locale/templates/LC_MESSAGES/'.
        source = sources.get(key) or templates.get(key)
        source_lang = next((c.source_lang for c in cats.values() if c.source_lang), None) or pivot
        if key.endswith(".tmx"):
            source = None
        elif source is None and source_lang in cats and all(c.units and c.units[0].source is None
                                                            for c in cats.values()):
            source = cats.pop(source_lang)  # monolingual: the pivot's own file is the base
        out.append(CatalogueSet(key, cats, source, source_lang))
    return out

"""Inputs whose alignment the input itself states: localisation catalogues (by key), subtitles (by time) and
line-aligned bitexts (by position). Each becomes a `GivenDocument` (see consistency/units.py) that the pipeline
checks like any document, without searching for an alignment.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Sequence

from consistency import bitext, subtitles
from consistency.catalogue import is_catalogue
from consistency.catalogue_tree import catalogue_sets, path_lang
from consistency.errors import InputError
from consistency.load import SUFFIXES, Source, display_path
from consistency.model import Finding, Paragraph, Severity, Unmatched
from consistency.units import GivenDocument, catalogue_document

BITEXT_SUFFIXES = set(bitext.TABLE_SUFFIXES) | bitext.JSONL_SUFFIXES


def is_given(path: Path, known: set[str]) -> bool:
    """Whether the file is read by this module rather than as prose (see `load.SUFFIXES`)."""
    suffix = path.suffix.lower()
    if suffix in SUFFIXES:
        return False
    if suffix in {".json", ".yaml", ".yml"}:
        # Only where the path names a language (i18n/de.json, messages.fr.yaml): any other JSON in a folder (a
        # report written there by an earlier run, a config) is not a catalogue.
        return path_lang(path)[0] is not None
    return (suffix in subtitles.EXTENSIONS or suffix in BITEXT_SUFFIXES or suffix.lstrip(".") in known
            or is_catalogue(path))


def given_documents(files: Sequence[Path], known: set[str], pivot: str = "en", source: str | None = None,
                    lang_of: Callable[[Path], str | None] = lambda path: None
                    ) -> tuple[list[GivenDocument], list[Unmatched]]:
    """The documents the catalogue, subtitle and bitext files form, and the files that form none. lang_of: the
    language --lang gives a catalogue file, if any.

    Raises InputError for a file its reader rejects, or line-aligned files of different lengths.
    """
    cats = [p for p in files if is_catalogue(p) and p.suffix.lower() not in BITEXT_SUFFIXES]
    subs = [p for p in files if p.suffix.lower() in subtitles.EXTENSIONS]
    tables = [p for p in files if p.suffix.lower() in BITEXT_SUFFIXES]
    moses = [p for p in files if p.suffix.lstrip(".").lower() in known and p not in cats]
    docs: list[GivenDocument] = []
    unmatched: list[Unmatched] = []
    for cset in catalogue_sets(cats, source or pivot, lang_of):
        if len(cset.catalogues) + (cset.source is not None or any(
                u.source is not None for c in cset.catalogues.values() for u in c.units)) < 2:
            unmatched += [Unmatched(c.path, lang, "a catalogue without a source or another language")
                          for lang, c in cset.catalogues.items()]
            continue
        docs.append(catalogue_document(cset.name, cset.catalogues, cset.source_lang or source or pivot,
                                       cset.source))
    d, u = _subtitle_documents(subs, source)
    docs += d
    unmatched += u
    for group in _by_stem(moses).values():
        files_by_lang = bitext.moses_files(group, known)
        if files_by_lang is None:
            unmatched += [Unmatched(display_path(p), "", "no line-aligned counterpart") for p in group]
            continue
        name = display_path(group[0].with_suffix(""))
        docs.append(bitext_document(name, bitext.read_moses(files_by_lang), files_by_lang, source))
    for path in tables:
        rows = (bitext.read_jsonl(path, known) if path.suffix.lower() in bitext.JSONL_SUFFIXES
                else bitext.read_table(path, known))
        docs.append(bitext_document(display_path(path), rows, None, source, path))
    return docs, unmatched


def _by_stem(paths: Iterable[Path]) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for p in sorted(paths):
        out.setdefault(str(p.with_suffix("")), []).append(p)
    return out


def _subtitle_documents(files: Sequence[Path], source: str | None
                        ) -> tuple[list[GivenDocument], list[Unmatched]]:
    groups: dict[str, dict[str, Path]] = {}
    unmatched = []
    for p in sorted(files):
        lang, key = path_lang(p)
        if lang is None:
            unmatched.append(Unmatched(display_path(p), "", "the file name gives no language (de.srt, film.de.srt)"))
        else:
            groups.setdefault(key, {})[lang] = p
    docs = []
    for key, by_lang in sorted(groups.items()):
        if len(by_lang) < 2:
            unmatched += [Unmatched(display_path(p), lang, "no subtitles in another language")
                          for lang, p in by_lang.items()]
            continue
        tracks = {lang: subtitles.read_subtitles(p) for lang, p in sorted(by_lang.items())}
        # A cue without text is no paragraph (nothing to check) but a finding of its own: the screen stays empty
        # while the other languages show text, as an empty side of a bitext line.
        ordinal = {lang: {} for lang in tracks}
        sources = []
        for lang, cues in tracks.items():
            paras = []
            for i, c in enumerate(cues):
                if c.text:
                    paras.append(Paragraph(index=len(paras) + 1, line=c.line, text=c.text))
                    ordinal[lang][i] = len(paras)
            sources.append(Source(display_path(by_lang[lang]), lang, "name", tuple(paras)))
        groups_, stated = [], []
        for g in subtitles.time_groups(tracks):
            groups_.append({lang: tuple(ordinal[lang][i] for i in g.get(lang, ()) if i in ordinal[lang])
                            for lang in tracks})
            others = [(o, " ".join(tracks[o][i].text for i in ix)) for o, ix in g.items()]
            for lang, ix in g.items():
                said = [(o, t) for o, t in others if o != lang and t]
                if said and not any(tracks[lang][i].text for i in ix):
                    cue = tracks[lang][ix[0]]
                    stated.append(Finding(
                        kind="omission", severity=EMPTY_SIDE_SEVERITY, lang=lang, path=display_path(by_lang[lang]),
                        paragraph=None, line=cue.line or None, text="", message=f"the cue at "
                        f"{_clock(cue.start)} is empty in {lang}", score=1.0, group=len(groups_),
                        evidence={"counterparts": [{"lang": o, "paragraph": None, "line": None, "text": t,
                                                    "backtranslation": None} for o, t in said]}))
        docs.append(GivenDocument(key, tuple(sources), tuple(groups_), source, tuple(stated)))
    return docs, unmatched


def _clock(ms: int) -> str:
    h, rest = divmod(ms // 1000, 3600)
    return f"{h:02d}:{rest // 60:02d}:{rest % 60:02d}"


# An empty side of a line-aligned unit: the unit is certainly broken for training or publishing.
EMPTY_SIDE_SEVERITY = Severity.ERROR


def bitext_document(name: str, rows: Iterable[bitext.Row], files: dict[str, Path] | None, source: str | None,
                    path: Path | None = None) -> GivenDocument:
    """A document from line-aligned rows: each row a paragraph group, each non-empty side a paragraph; an empty
    side is an `omission` stated by the input (never dropped). `files` names each language's file (Moses), else
    every side lives in `path` (a table or JSONL)."""
    paras: dict[str, list[Paragraph]] = {}
    groups, stated = [], []
    langs: list[str] | None = None
    for row in rows:
        langs = langs or sorted(row.texts)
        member = {}
        for lang in langs:
            text = row.texts.get(lang, "").strip()
            where = display_path(files[lang]) if files else display_path(path)  # type: ignore[arg-type]
            if text:
                paras.setdefault(lang, []).append(Paragraph(len(paras.get(lang, [])) + 1, row.line, text))
                member[lang] = (len(paras[lang]),)
            else:
                member[lang] = ()
                others = [(o, row.texts.get(o, "")) for o in langs if o != lang and row.texts.get(o, "").strip()]
                if others:
                    stated.append(Finding(
                        kind="omission", severity=EMPTY_SIDE_SEVERITY, lang=lang, path=where, paragraph=None,
                        line=row.line, text="", message=f"unit {row.number} is empty in {lang}", score=1.0,
                        group=len(groups) + 1,
                        evidence={"counterparts": [{"lang": o, "paragraph": None, "line": row.line, "text": t,
                                                    "backtranslation": None} for o, t in others]}))
        groups.append(member)
    if not langs or len(langs) < 2:
        raise InputError(f"{name}: a bitext needs units in at least two languages")
    sources = tuple(Source(display_path(files[lang]) if files else display_path(path), lang, "name",  # type: ignore
                           tuple(paras.get(lang, ()))) for lang in langs)
    return GivenDocument(name, sources, tuple(groups), source, tuple(stated))

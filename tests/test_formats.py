"""Every input format, one content: the same catalogue of UI and help strings (English source; German, French and
Indonesian translations) with the same planted defects is written as PO, MO, XLIFF 1.2 and 2.0, TMX, Qt .ts, an
Android resource tree, an iOS .lproj tree, a Java resource bundle, flat and nested JSON, YAML, SRT and WebVTT
subtitles, a Moses bitext, a TSV table and JSONL, and checked by the real pipeline.

Each planted defect must be found with its kind, in its file, at its line; no clean unit may carry a finding at
warning or error, and the source never carries any.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

import pytest

from consistency.model import Severity
from consistency.pipeline import Settings, run_corpus

LANGS = ("de", "fr", "id")


@dataclass(frozen=True)
class U:
    key: str
    en: str
    de: str
    fr: str
    id: str
    # Planted defects: lang -> what is wrong (see DEFECT_KIND).
    defects: dict[str, str] = field(default_factory=dict)
    stale: str = ""  # a fuzzy unit's text, where the format can mark it fuzzy (else the good text is written)

    def text(self, lang: str, states: bool = True) -> str:
        if states and self.stale and self.defects.get(lang) == "fuzzy":
            return self.stale
        return getattr(self, lang)


# The kinds each planted defect must be reported as. An empty entry is `untranslated` in a catalogue (the entry
# says so itself) and `omission` in a line-aligned bitext (an empty side).
DEFECT_KIND = {
    "missing_placeholder": "placeholder_mismatch",
    "translated_variable": "placeholder_mismatch",
    "empty": "untranslated",
    "fuzzy": "fuzzy",
    "number": "number_mismatch",
    "untranslated": "untranslated",
    "dropped_sentence": "omission",
}

UNITS = (
    U("menu.open", "Open File…", "Datei öffnen…", "Ouvrir un fichier…", "Buka Berkas…"),
    U("button.ok", "OK", "OK", "OK", "OK"),  # the same in every language, rightly
    U("about.version", "Version %s", "Version %s", "Version %s", "Versi %s"),
    U("error.open", "Could not open the file %s.",
      "Die Datei konnte nicht geöffnet werden.",
      "Impossible d’ouvrir le fichier %s.",
      "Tidak dapat membuka berkas %s.",
      {"de": "missing_placeholder"}),
    U("welcome", "Welcome back, {name}!",
      "Willkommen zurück, {name}!",
      "Bon retour, {nom} !",
      "Selamat datang kembali, {name}!",
      {"fr": "translated_variable"}),
    U("menu.updates", "Check for Updates", "", "Rechercher des mises à jour", "Periksa Pembaruan",
      {"de": "empty"}),
    U("trash.confirm", "Move %@ to the Trash?",
      "%@ in den Papierkorb legen?",
      "Déplacer %@ dans la corbeille ?",
      "Pindahkan %@ ke Tempat Sampah?",
      {"fr": "fuzzy"}, stale="Supprimer %@ ?"),
    U("backup.keep", "Keep the last 30 backups in %1$s.",
      "Die letzten 30 Sicherungen in %1$s behalten.",
      "Conserver les 30 dernières sauvegardes dans %1$s.",
      "Simpan 50 cadangan terakhir di %1$s.",
      {"id": "number"}),
    U("export.pdf", "Export the report as a PDF document.",
      "Den Bericht als PDF-Dokument exportieren.",
      "Exporter le rapport au format PDF.",
      "Export the report as a PDF document.",
      {"id": "untranslated"}),
    U("saved", "Your changes have been saved. You can now close this window.",
      "Ihre Änderungen wurden gespeichert. Sie können dieses Fenster jetzt schließen.",
      "Vos modifications ont été enregistrées.",
      "Perubahan Anda telah disimpan. Sekarang Anda dapat menutup jendela ini.",
      {"fr": "dropped_sentence"}),
    U("selected", "{count, plural, one {# file selected} other {# files selected}}",
      "{count, plural, one {# Datei ausgewählt} other {# Dateien ausgewählt}}",
      "{count, plural, one {# fichier sélectionné} other {# fichiers sélectionnés}}",
      "{count, plural, other {# berkas dipilih}}"),
    U("download.progress", "Downloading %(current)d of %(total)d files…",
      "%(current)d von %(total)d Dateien werden heruntergeladen…",
      "Téléchargement de %(current)d fichiers sur %(total)d…",
      "Mengunduh %(current)d dari %(total)d berkas…"),
    U("delete.warning", "<b>Warning:</b> deleting a project cannot be undone.",
      "<b>Warnung:</b> Das Löschen eines Projekts kann nicht rückgängig gemacht werden.",
      "<b>Attention :</b> la suppression d’un projet est irréversible.",
      "<b>Peringatan:</b> penghapusan proyek tidak dapat dibatalkan."),
    U("account.user", "Signed in as {{ user }}", "Angemeldet als {{ user }}", "Connecté en tant que {{ user }}",
      "Masuk sebagai {{ user }}"),
    U("page.of", "Page {0} of {1}", "Seite {0} von {1}", "Page {0} sur {1}", "Halaman {0} dari {1}"),
)


def _planted(u: U, lang: str) -> str | None:
    return u.defects.get(lang)


# --- writers: each returns {(lang, key): (relative path, line)} where the unit's entry is written --------------


Where = dict[tuple[str, str], tuple[str, int]]


class _Lines:
    """A file written line by line, remembering where each unit starts."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, *lines: str) -> int:
        """Append lines; the number of the first one."""
        at = len(self.lines) + 1
        self.lines.extend(lines)
        return at

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")


def _po_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _write_po(root: Path, rel: Callable[[str], str] = lambda lang: f"locale/{lang}/LC_MESSAGES/app.po") -> Where:
    where: Where = {}
    for lang in LANGS:
        f = _Lines()
        f.add('msgid ""', 'msgstr ""', '"Project-Id-Version: app 1.0\\n"', f'"Language: {lang}\\n"',
              '"MIME-Version: 1.0\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"',
              '"Content-Transfer-Encoding: 8bit\\n"', "")
        for u in UNITS:
            flags = ["#, fuzzy"] if _planted(u, lang) == "fuzzy" else []
            # An entry's line is its first line (polib's, as msgfmt and Weblate count entries).
            line = f.add(f"#: src/{u.key.split('.')[0]}.c:12", *flags)
            f.add(f"msgid {_po_str(u.en)}", f"msgstr {_po_str(u.text(lang))}", "")
            where[lang, u.key] = (rel(lang), line)
        f.write(root / rel(lang))
    return where


def _write_mo(root: Path) -> Where:
    import polib

    where = _write_po(root)
    for lang in LANGS:
        po_path = root / f"locale/{lang}/LC_MESSAGES/app.po"
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        po_path.unlink()
    return {k: (path.replace(".po", ".mo"), 0) for k, (path, _line) in where.items()}


def _write_xliff12(root: Path) -> Where:
    where: Where = {}
    for lang in LANGS:
        rel = f"l10n/app.{lang}.xlf"
        f = _Lines()
        f.add('<?xml version="1.0" encoding="UTF-8"?>',
              '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">',
              f' <file source-language="en" target-language="{lang}" datatype="plaintext" original="app">',
              "  <body>")
        for u in UNITS:
            state = {"fuzzy": "needs-review-translation", "empty": "new"}.get(_planted(u, lang) or "", "translated")
            target = (f'    <target state="{state}"/>' if not u.text(lang)
                      else f'    <target state="{state}">{escape(u.text(lang))}</target>')
            line = f.add(f'   <trans-unit id="{u.key}">', f"    <source>{escape(u.en)}</source>", target,
                         "   </trans-unit>")
            where[lang, u.key] = (rel, line)
        f.add("  </body>", " </file>", "</xliff>")
        f.write(root / rel)
    return where


def _write_xliff20(root: Path) -> Where:
    where: Where = {}
    for lang in LANGS:
        rel = f"l10n/app.{lang}.xlf"
        f = _Lines()
        f.add('<?xml version="1.0" encoding="UTF-8"?>',
              f'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="{lang}">',
              ' <file id="app">')
        for u in UNITS:
            state = {"fuzzy": "initial", "empty": "initial"}.get(_planted(u, lang) or "", "translated")
            target = f"<target>{escape(u.text(lang))}</target>" if u.text(lang) else ""
            line = f.add(f'  <unit id="{u.key}">',
                         f'   <segment state="{state}"><source>{escape(u.en)}</source>{target}</segment>',
                         "  </unit>")
            where[lang, u.key] = (rel, line + 1)  # the segment's line: a unit may hold several segments
        f.add(" </file>", "</xliff>")
        f.write(root / rel)
    return where


def _write_tmx(root: Path) -> Where:
    where: Where = {}
    rel = "memory/app.tmx"
    f = _Lines()
    f.add('<?xml version="1.0" encoding="UTF-8"?>', '<tmx version="1.4">',
          '<header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="tmx"'
          ' creationtool="test" creationtoolversion="1"/>', "<body>")
    for u in UNITS:
        line = f.add(f'<tu tuid="{u.key}">', f'  <tuv xml:lang="en"><seg>{escape(u.en)}</seg></tuv>',
                     *[f'  <tuv xml:lang="{lang}"><seg>{escape(u.text(lang, False))}</seg></tuv>' for lang in LANGS],
                     "</tu>")
        for lang in LANGS:
            where[lang, u.key] = (rel, line)
    f.add("</body>", "</tmx>")
    f.write(root / rel)
    return where


def _write_ts(root: Path) -> Where:
    where: Where = {}
    for lang in LANGS:
        rel = f"translations/app_{lang}.ts"
        f = _Lines()
        f.add('<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>",
              f'<TS version="2.1" language="{lang}" sourcelanguage="en">', "<context>", "    <name>MainWindow</name>")
        for u in UNITS:
            unfinished = ' type="unfinished"' if _planted(u, lang) in {"fuzzy", "empty"} else ""
            line = f.add("    <message>", f'        <location filename="../src/mainwindow.cpp" line="42"/>',
                         f"        <source>{escape(u.en)}</source>",
                         f"        <translation{unfinished}>{escape(u.text(lang))}</translation>",
                         "    </message>")
            where[lang, u.key] = (rel, line)
        f.add("</context>", "</TS>")
        f.write(root / rel)
    return where


def _android_escape(s: str) -> str:
    return escape(s).replace("'", "\\'").replace('"', '\\"').replace("&lt;b&gt;", "<b>").replace("&lt;/b&gt;", "</b>")


def _write_android(root: Path) -> Where:
    where: Where = {}
    # Android names Indonesian by its old code, `in` (values-in): the tree must still read as `id`.
    folders = {"en": "values", "de": "values-de", "fr": "values-fr", "id": "values-in"}
    for lang, folder in folders.items():
        rel = f"app/src/main/res/{folder}/strings.xml"
        f = _Lines()
        f.add('<?xml version="1.0" encoding="utf-8"?>', "<resources>")
        for u in UNITS:
            name = u.key.replace(".", "_")
            line = f.add(f'    <string name="{name}">{_android_escape(u.text(lang, False))}</string>')
            where[lang, u.key] = (rel, line)
        f.add("</resources>")
        f.write(root / rel)
    return where


def _write_ios(root: Path) -> Where:
    where: Where = {}
    for lang in ("en",) + LANGS:
        rel = f"App/{lang}.lproj/Localizable.strings"
        f = _Lines()
        f.add("/* Localizable.strings */", "")
        for u in UNITS:
            f.add(f"/* {u.key} */")
            line = f.add(f"{json.dumps(u.key)} = {json.dumps(u.text(lang, False), ensure_ascii=False)};")
            f.add("")
            where[lang, u.key] = (rel, line)
        f.write(root / rel)
    return where


def _write_properties(root: Path) -> Where:
    where: Where = {}
    for lang in ("en",) + LANGS:
        rel = f"src/main/resources/Messages{'' if lang == 'en' else '_' + lang}.properties"
        f = _Lines()
        f.add("# Messages", "")
        for u in UNITS:
            line = f.add(f"{u.key} = {u.text(lang, False)}")
            where[lang, u.key] = (rel, line)
        f.write(root / rel)
    return where


def _write_json_flat(root: Path) -> Where:
    where: Where = {}
    for lang in ("en",) + LANGS:
        rel = f"i18n/{lang}.json"
        f = _Lines()
        f.add("{")
        for n, u in enumerate(UNITS):
            comma = "," if n < len(UNITS) - 1 else ""
            line = f.add(f"  {json.dumps(u.key)}: {json.dumps(u.text(lang, False), ensure_ascii=False)}{comma}")
            where[lang, u.key] = (rel, line)
        f.add("}")
        f.write(root / rel)
    return where


def _nested(lines: _Lines, rel: str, lang: str, where: Where, yaml: bool) -> None:
    """Units grouped by their key's first part: {"menu": {"open": ...}}; JSON or YAML (Rails: under the language)."""
    groups: dict[str, list[U]] = {}
    for u in UNITS:
        head = u.key.split(".")[0] if "." in u.key else ""
        groups.setdefault(head, []).append(u)
    indent = "  "
    items = list(groups.items())
    for gi, (head, units) in enumerate(items):
        last_group = gi == len(items) - 1
        if head:
            lines.add(f"{indent}{head}:" if yaml else f"{indent}{json.dumps(head)}: {{")
        for n, u in enumerate(units):
            name = u.key.split(".", 1)[1] if head else u.key
            pad = indent * (2 if head else 1)
            value = json.dumps(u.text(lang, False), ensure_ascii=False)
            if yaml:
                line = lines.add(f"{pad}{name}: {value}")
            else:
                comma = "," if n < len(units) - 1 or (not head and not last_group) else ""
                line = lines.add(f"{pad}{json.dumps(name)}: {value}{comma}")
            where[lang, u.key] = (rel, line)
        if head and not yaml:
            lines.add(f"{indent}}}" + ("" if last_group else ","))


def _write_json_nested(root: Path) -> Where:
    where: Where = {}
    for lang in ("en",) + LANGS:
        rel = f"src/locales/{lang}.json"
        f = _Lines()
        f.add("{")
        _nested(f, rel, lang, where, yaml=False)
        f.add("}")
        f.write(root / rel)
    return where


def _write_yaml(root: Path) -> Where:
    where: Where = {}
    for lang in ("en",) + LANGS:
        rel = f"config/locales/{lang}.yml"
        f = _Lines()
        f.add(f"{lang}:")
        _nested(f, rel, lang, where, yaml=True)
        f.write(root / rel)
    return where


def _stamp(ms: int, sep: str) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _write_subtitles(root: Path, suffix: str) -> Where:
    where: Where = {}
    sep = "," if suffix == ".srt" else "."
    for lang in ("en",) + LANGS:
        rel = f"video/tour.{lang}{suffix}"
        f = _Lines()
        if suffix == ".vtt":
            f.add("WEBVTT", "")
        for n, u in enumerate(UNITS, 1):
            start = n * 4000
            if suffix == ".srt":
                f.add(str(n))
            line = f.add(f"{_stamp(start, sep)} --> {_stamp(start + 3500, sep)}", u.text(lang, False), "") + 1
            where[lang, u.key] = (rel, line)
        f.write(root / rel)
    return where


def _write_moses(root: Path) -> Where:
    where: Where = {}
    for lang in ("en",) + LANGS:
        rel = f"corpus/train.{lang}"
        f = _Lines()
        for u in UNITS:
            where[lang, u.key] = (rel, f.add(u.text(lang, False)))
        f.write(root / rel)
    return where


def _write_tsv(root: Path) -> Where:
    where: Where = {}
    rel = "data/strings.tsv"
    f = _Lines()
    f.add("\t".join(("key", "en") + LANGS))
    for u in UNITS:
        line = f.add("\t".join([u.key, u.en] + [u.text(lang, False) for lang in LANGS]))
        for lang in LANGS:
            where[lang, u.key] = (rel, line)
    f.write(root / rel)
    return where


def _write_jsonl(root: Path) -> Where:
    where: Where = {}
    rel = "data/strings.jsonl"
    f = _Lines()
    for u in UNITS:
        line = f.add(json.dumps({"key": u.key, "en": u.en, **{lang: u.text(lang, False) for lang in LANGS}},
                                ensure_ascii=False))
        for lang in LANGS:
            where[lang, u.key] = (rel, line)
    f.write(root / rel)
    return where


@dataclass(frozen=True)
class Format:
    name: str
    write: Callable[[Path], Where]
    states: bool = False  # the format can mark an entry fuzzy / needing review
    bitext: bool = False  # line-aligned: an empty side is an `omission`; no source of its own (--source en)
    subtitles: bool = False  # an empty cue is an `omission` (the screen stays blank); no source of its own


FORMATS = (
    Format("po", _write_po, states=True),
    Format("mo", _write_mo),  # no lines: units are found by their text
    Format("xliff12", _write_xliff12, states=True),
    Format("xliff20", _write_xliff20, states=True),
    Format("tmx", _write_tmx),
    Format("ts", _write_ts, states=True),
    Format("android", _write_android),
    Format("ios", _write_ios),
    Format("properties", _write_properties),
    Format("json_flat", _write_json_flat),
    Format("json_nested", _write_json_nested),
    Format("yaml", _write_yaml),
    Format("srt", lambda root: _write_subtitles(root, ".srt"), subtitles=True),
    Format("vtt", lambda root: _write_subtitles(root, ".vtt"), subtitles=True),
    Format("moses", _write_moses, bitext=True),
    Format("tsv", _write_tsv, bitext=True),
    Format("jsonl", _write_jsonl, bitext=True),
)


def _expected(fmt: Format) -> dict[tuple[str, str], str]:
    """(lang, key) -> the kind the planted defect must be reported as, in this format."""
    out = {}
    for u in UNITS:
        for lang, defect in u.defects.items():
            kind = DEFECT_KIND[defect]
            if defect == "fuzzy" and not fmt.states:
                if fmt.name != "mo":
                    continue  # nothing to plant: the format has no states (the good text is written)
                kind = "untranslated"  # msgfmt (and polib) leave fuzzy entries out of a MO: readers see the source
            if defect == "empty" and (fmt.bitext or fmt.subtitles):
                kind = "omission"
            out[lang, u.key] = kind
    return out


def _run(tmp_path: Path, fmt: Format):
    where = fmt.write(tmp_path)
    # Line-aligned files and subtitles name no source of their own: --source says which rendering is the original.
    settings = Settings(backtranslate="off", source="en" if fmt.bitext or fmt.subtitles else None)
    return where, run_corpus([tmp_path], settings)


def _unit_of(f, where: Where, root: Path, doc) -> str | None:
    """The key of the unit a finding is about: by its file and line, else (MO has no lines) by its text."""
    by_place = {(lang, (root / rel).resolve(), line): key for (lang, key), (rel, line) in where.items()}
    if f.line:
        return by_place.get((f.lang, Path(f.path).resolve(), f.line))
    text = doc.rendering(f.lang).paragraph(f.paragraph).text if f.paragraph else f.text
    return next((u.key for u in UNITS if text.strip() in {u.en, u.text(f.lang), u.text(f.lang, False)}), None)


def _show(f) -> str:
    return f"{f.kind}/{f.severity.value} {f.lang} {Path(f.path).name}:{f.line} {f.text!r}: {f.message}"


def _check(tmp_path: Path, fmt: Format, unfound: set[str] = frozenset()) -> None:
    """Run the pipeline on the format's files; every planted defect (but `unfound`) must be found with its kind, in
    its file, at its line, at warning or above; no clean unit may carry a warning or an error; the source nothing."""
    where, corpus = _run(tmp_path, fmt)
    assert not corpus.unmatched, corpus.unmatched
    (doc,) = corpus.documents
    assert sorted(r.lang for r in doc.renderings) == sorted(("en",) + LANGS)
    assert doc.source == "en" and doc.renderings[0].lang == "en"
    expected = {(lang, key): kind for (lang, key), kind in _expected(fmt).items() if lang in LANGS}
    found = {(f.lang, _unit_of(f, where, tmp_path, doc), f.kind): f for f in doc.findings
             if f.severity.rank >= Severity.WARNING.rank}
    missed = []
    for (lang, key), kind in sorted(expected.items()):
        f = found.get((lang, key, kind))
        rel, line = where[lang, key]
        if f is None:
            if next(d for u in UNITS if u.key == key for d in [u.defects[lang]]) not in unfound:
                missed.append(f"{kind} in {lang} {key}")
            continue
        assert Path(f.path).resolve() == (tmp_path / rel).resolve(), _show(f)
        assert (f.line or 0) == line, _show(f)
    alarms = [_show(f) for f in doc.findings
              if f.lang == "en" or (f.severity.rank >= Severity.WARNING.rank
                                    and (f.lang, _unit_of(f, where, tmp_path, doc)) not in expected)]
    assert not missed and not alarms, "\nmissed: " + "\n  ".join(missed) + "\nfalse alarms:\n  " + "\n  ".join(alarms)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_planted_defects_found_and_clean_units_quiet(tmp_path, fmt):
    _check(tmp_path, fmt)


@pytest.mark.parametrize("fmt,lang", [(FORMATS[0], "fr"), (FORMATS[-2], "id")], ids=["po-fr", "tsv-id"])
def test_a_source_and_one_translation(tmp_path, monkeypatch, fmt, lang):
    """The most common case: the original and one translation. Every finding is the translation's. A dropped
    sentence is not required here: with one counterpart, length is the only evidence and a short unit's shortfall
    ("Your changes have been saved." for two sentences) stays under the length thresholds; back-translation
    (`--backtranslate`) is what finds it (see consistency/checks/omission.py)."""
    monkeypatch.setattr(sys.modules[__name__], "LANGS", (lang,))
    _check(tmp_path, fmt, unfound={"dropped_sentence"})


# --- the pieces the table relies on, one by one ------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("Open %s", ["%s"]),
    ("%1$s of %2$d", ["%1$s", "%2$d"]),
    ("Move %@ to %1$@", ["%@", "%1$@"]),
    ("%(count)d of %(total)d", ["%(count)d", "%(total)d"]),
    ("Hello {name}, page {0}", ["{name}", "{0}"]),
    ("{count, plural, one {# file} other {# files}}", ["{count, plural,"]),
    ("{gender, select, female {she} other {they}}", ["{gender, select,"]),
    ("{n, plural, =0 {no files} one {{name}} other {{n} files in %s}}", ["{n, plural,", "{name}", "{n}", "%s"]),
    ("Signed in as {{ user }}", ["{{ user }}"]),
    ("Rails %{count} items", ["%{count}"]),
    ("Qt %1 of %L2", ["%1", "%L2"]),
    ("<b>Warning:</b> see<br/>", ["<b>", "</b>", "<br/>"]),
    ('Hi <xliff:g id="name">%1$s</xliff:g>', ["<xliff:g", "%1$s", "</xliff:g>"]),
    ('<a href="https://example.org/de/">hier</a>', ["<a", "https://example.org/de/", "</a>"]),
    ("Mail help@example.org or $HOME/${DIR}", ["help@example.org", "$HOME", "${DIR}"]),
    # Not placeholders: percentages, comparisons, typography that languages set differently.
    ("50 % of 100%", []),
    ("x < y and z > w", []),
    ("Attention&nbsp;: &laquo;x&raquo; &amp; y", []),
])
def test_placeholder_syntaxes(text, expected):
    from consistency.checks.placeholders import placeholders

    assert [p for p, _ in placeholders(text)] == expected


def test_a_metavariable_is_rendered_in_prose_but_never_in_units():
    from consistency.checks.placeholders import _localised

    assert _localised("{attribut}", "{attribute}", "fr")  # documentation: ATTR{attribut}
    assert not _localised("{nom}", "{name}", "fr", units=True)  # a catalogue string: the code fills in {name}
    assert _localised("https://www.gnu.org/licenses/gpl-3.0.fr.html", "https://www.gnu.org/licenses/gpl-3.0.html",
                      "fr", units=True)  # a link to the French page stays one


def test_a_catalogue_lacking_a_source_string_states_it_untranslated_but_not_missing_plural_forms(tmp_path):
    from consistency.catalogue_tree import catalogue_sets
    from consistency.units import catalogue_document

    plural = 'msgid "%d file"\nmsgid_plural "%d files"\n'
    (tmp_path / "po").mkdir()
    (tmp_path / "po" / "de.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n\nmsgid "Open"\nmsgstr "Öffnen"\n\n'
        'msgid "Close"\nmsgstr "Schließen"\n\n'
        f'{plural}msgstr[0] "%d Datei"\nmsgstr[1] "%d Dateien"\n', encoding="utf-8")
    (tmp_path / "po" / "id.po").write_text(  # Indonesian has one plural form; "Close" is not in the file yet
        'msgid ""\nmsgstr ""\n"Language: id\\n"\n\nmsgid "Open"\nmsgstr "Buka"\n\n'
        f'{plural}msgstr[0] "%d berkas"\n', encoding="utf-8")
    (cset,) = catalogue_sets(sorted((tmp_path / "po").iterdir()))
    doc = catalogue_document(cset.name, cset.catalogues, cset.source_lang, cset.source)
    assert [(f.kind, f.lang, f.text, f.line) for f in doc.findings] == [("untranslated", "id", "Close", None)]


def test_android_strings_not_for_translation_are_no_units(tmp_path):
    from consistency.catalogue import read_catalogue

    path = tmp_path / "values-de" / "strings.xml"
    path.parent.mkdir()
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<resources>\n'
                    '    <string name="app_name" translatable="false">Notes</string>\n'
                    '    <string name="empty"></string>\n'
                    '    <string name="open">Öffnen</string>\n</resources>\n', encoding="utf-8")
    (cat,) = read_catalogue(path)
    assert [(u.key, u.state, u.line) for u in cat.units] == [("empty", "untranslated", 4), ("open", "translated", 5)]


def test_subtitle_text_in_braces_is_text_and_markup_is_not(tmp_path):
    from consistency.subtitles import read_subtitles

    (tmp_path / "a.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>Hello {name}</i>,\n"
                                    "{count, plural, other {# files}}\n\n", encoding="utf-8")
    (tmp_path / "a.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>Tom &amp; <b>Jerry</b>\n\n",
                                    encoding="utf-8")
    assert [c.text for c in read_subtitles(tmp_path / "a.srt")] == ["Hello {name}, {count, plural, other {# files}}"]
    assert [c.text for c in read_subtitles(tmp_path / "a.vtt")] == ["Tom & Jerry"]


@pytest.mark.parametrize("text,found", [
    ("<b>Save</b> the file", ["<b>", "</b>"]),
    ("Connect to <xliff:g id=\"host\">%s</xliff:g>", ["<xliff:g", "%s", "</xliff:g>"]),
    ("usage: avahi-resolve <hostname>", []),   # a metavariable, rightly translated (<Hostname>, <nom d'hôte>)
    ("kill <PID>", []),
    ("[--[no-]exec-counts] [--no-static]", ["--[no-]exec-counts", "--no-static"]),  # gprof's negatable options
])
def test_markup_tags_are_placeholders_and_metavariables_are_not(text, found):
    from consistency.checks.placeholders import PLACEHOLDER

    assert [m.group() for m in PLACEHOLDER.finditer(text)] == found


def test_a_language_with_fewer_plural_forms_lacks_nothing(tmp_path):
    """Indonesian has one plural form where German has two: its form serves every count, so the plural's group
    is complete and nothing is reported (the Debian .mo audit found omission errors here)."""
    header = 'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n"Plural-Forms: {forms}\\n"\n\n'
    entries = {"de": ('msgstr[0] "Konnte %d Byte nicht zuweisen"\nmsgstr[1] "Konnte %d Bytes nicht zuweisen"\n',
                      "nplurals=2; plural=(n != 1);"),
               "id": ('msgstr[0] "Gagal mengalokasikan %d byte"\n', "nplurals=1; plural=0;")}
    for lang, (forms, rule) in entries.items():
        folder = tmp_path / "locale" / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "x.po").write_text(
            header.format(lang=lang, forms=rule) + 'msgid "Failed to allocate %d byte"\n'
            'msgid_plural "Failed to allocate %d bytes"\n' + forms + '\nmsgid "Open the file"\nmsgstr "'
            + {"de": "Datei öffnen", "id": "Buka berkas"}[lang] + '"\n', encoding="utf-8")
    corpus = run_corpus([tmp_path], Settings(backtranslate="off"))
    assert [(f.kind, f.lang, f.message) for f in corpus.findings] == []


@pytest.mark.parametrize("forms,flagged", [
    # French's singular leaves the count out ('L'octet suivant'): allowed in the form for one.
    ({"fr": ("L'octet suivant n'a pas pu être sauté", "Les %d octets suivants n'ont pas pu être sautés")}, []),
    # German's plural form lacks it: every count but one reads the same.
    ({"de": ("%d Byte konnte nicht übersprungen werden", "Die nächsten Bytes konnten nicht übersprungen werden")},
     [("de", "%d")]),
    # Indonesian's one form serves every count: it must carry the count.
    ({"id": ("Gagal melompati bita berikutnya",)}, [("id", "%d")]),
])
def test_the_singular_plural_form_may_leave_the_count_out(tmp_path, forms, flagged):
    full = {"de": ("%d Byte konnte nicht übersprungen werden", "%d Bytes konnten nicht übersprungen werden"),
            "fr": ("L'octet suivant (%d) n'a pas pu être sauté", "Les %d octets suivants n'ont pas pu être sautés"),
            "id": ("Gagal melompati %d bita berikutnya",)}
    rules = {"de": "nplurals=2; plural=(n != 1);", "fr": "nplurals=2; plural=(n > 1);", "id": "nplurals=1; plural=0;"}
    for lang, texts in {**full, **forms}.items():
        folder = tmp_path / "locale" / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        msgstr = "".join(f'msgstr[{i}] "{t}"\n' for i, t in enumerate(texts))
        (folder / "x.po").write_text(
            f'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n"Plural-Forms: {rules[lang]}\\n"\n\n'
            'msgid "Failed to skip the next %d byte"\nmsgid_plural "Failed to skip the next %d bytes"\n' + msgstr,
            encoding="utf-8")
    corpus = run_corpus([tmp_path], Settings(backtranslate="off"))
    # (Indonesian's one form stands in for the others' second too: its defect is reported once, at its own form.)
    found = [(f.lang, f.text) for f in corpus.findings if f.kind == "placeholder_mismatch" and f.severity.value != "info"]
    assert found == flagged


def test_lang_names_a_catalogues_language_and_is_checked(tmp_path):
    """--lang works on catalogue files as on prose: it renames a catalogue whose header is wrong, and a bad code or
    a file that is not an input is one input error (a new user's `--lang po/fr.po=es`)."""
    from consistency.errors import InputError

    (tmp_path / "po").mkdir()
    for name, lang, text in (("de.po", "de", "Datei öffnen"), ("fr.po", "fr", "Abrir el archivo")):
        (tmp_path / "po" / name).write_text(f'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n\nmsgid "Open the file"\n'
                                            f'msgstr "{text}"\n', encoding="utf-8")
    settings = Settings(backtranslate="off", lang_overrides={"fr.po": "es"})
    (doc,) = run_corpus([tmp_path / "po"], settings).documents
    assert sorted(r.lang for r in doc.renderings) == ["de", "en", "es"]
    for overrides, message in (({"fr.po": "xx-INVALID-123"}, "unknown language code"),
                               ({"zz.po": "es"}, "not among the inputs")):
        with pytest.raises(InputError, match=message):
            run_corpus([tmp_path / "po"], Settings(backtranslate="off", lang_overrides=overrides))


def test_a_json_report_beside_the_renderings_is_not_a_catalogue(tmp_path):
    """A report an earlier run wrote into the folder (`-o folder/r.json`) has no language in its path: it is
    neither read as a catalogue (slow, and silently dropped) nor a rendering."""
    from consistency.formats import is_given
    from consistency.langid import known_codes

    known = known_codes()
    assert not is_given(tmp_path / "r.json", known)
    assert is_given(tmp_path / "i18n" / "de.json", known) and is_given(tmp_path / "messages.fr.yaml", known)

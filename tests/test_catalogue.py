"""Reading localisation catalogues into units: keys, targets, sources, lines and states, one row per format."""
from __future__ import annotations

from pathlib import Path

import pytest

from consistency.catalogue import FUZZY, TRANSLATED, UNTRANSLATED, read_catalogue
from consistency.errors import InputError

DATA = Path(__file__).resolve().parent / "data" / "catalogue"

# file, catalogue language (from the file itself), key, target, source, line, state
UNITS = [
    ("de.po", "de", "Open %s file", "Datei %s öffnen", "Open %s file", 7, TRANSLATED),
    ("de.po", "de", "Save the document", "Dokument speichern", "Save the document", 11, FUZZY),
    ("de.po", "de", "menu\x04Quit", "", "Quit", 15, UNTRANSLATED),
    ("de.po", "de", "One file[1]", "%d Dateien", "%d files", 19, TRANSLATED),
    ("fr.xlf", "fr", "open", "Ouvrir le fichier %s", "Open %s file", 5, TRANSLATED),
    ("fr.xlf", "fr", "save", "Enregistrer", "Save the document", 9, FUZZY),
    ("x2.xlf", "id", "open", "Buka berkas %s", "Open %s file", 5, TRANSLATED),
    ("values-de/strings.xml", None, "hello", "Hallo %1$s!", None, 4, TRANSLATED),
    ("de.json", None, ".menu.quit", "Beenden", None, 1, TRANSLATED),
    ("de.properties", None, "bye", "Tschüss", None, 2, TRANSLATED),
    ("de.strings", None, "bye", "Tschüss", None, 3, TRANSLATED),
    ("de.yaml", "de", "menu->open", "Öffnen", None, 3, TRANSLATED),
]


@pytest.mark.parametrize("name,lang,key,target,source,line,state", UNITS)
def test_unit(name, lang, key, target, source, line, state):
    (cat,) = read_catalogue(DATA / name)
    assert cat.lang == lang
    unit = {u.key: u for u in cat.units}[key]
    assert (unit.target, unit.source, unit.line, unit.state) == (target, source, line, state)


def test_po_header_and_obsolete_entries_are_not_units():
    (cat,) = read_catalogue(DATA / "de.po")
    assert "" not in {u.key for u in cat.units}
    assert len(cat.units) == 5  # 3 singular entries + 2 plural forms


def test_multilingual_tmx_gives_one_catalogue_per_language():
    cats = {c.lang: c for c in read_catalogue(DATA / "m.tmx")}
    assert sorted(cats) == ["de", "en", "fr"]
    assert all(c.source_lang == "en" for c in cats.values())
    fr = {u.key: u for u in cats["fr"].units}
    assert fr["2"].state == UNTRANSLATED and fr["2"].source == "Bye."


def test_compiled_catalogue_has_no_lines(tmp_path):
    polib = pytest.importorskip("polib")
    po = polib.pofile(str(DATA / "de.po"))
    po.save_as_mofile(str(tmp_path / "de.mo"))
    (cat,) = read_catalogue(tmp_path / "de.mo")
    assert cat.lang == "de" and all(u.line == 0 for u in cat.units)
    assert {u.key: u.target for u in cat.units}["Open %s file"] == "Datei %s öffnen"


@pytest.mark.parametrize("name,content", [
    ("bad.po", "msgid \"a\"\nthis is not po\n"),
    # A string left open, which polib would read up to the line's end (msgfmt rejects it).
    ("open.po", 'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "Hello, {name}! Welcome back.\nmsgstr "Bonjour"\n'),
    ("bad.xlf", "<xliff><file>"),
    ("bad.json", "{not json"),
])
def test_broken_catalogue_is_one_input_error(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=name):
        read_catalogue(path)


def test_xliff_1_2_and_2_0_files_of_the_same_units_share_their_keys(tmp_path):
    """translate-toolkit prefixes a 1.2 unit's id with its file's name and a 2.0 one's not: one file's units are
    keyed by id alone in both, so the versions align (a new user's app.de.xlf 1.2 beside app.fr.xlf 2.0)."""
    (tmp_path / "app.de.xlf").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file source-language="en" target-language="de" datatype="plaintext" original="app"><body>'
        '<trans-unit id="greet"><source>Hello</source><target>Hallo</target></trans-unit>'
        '<trans-unit id="save"><source>Save the file</source><target>Datei speichern</target></trans-unit>'
        '</body></file></xliff>', encoding="utf-8")
    (tmp_path / "app.fr.xlf").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" '
        'srcLang="en" trgLang="fr"><file id="app">'
        '<unit id="greet"><segment><source>Hello</source><target>Bonjour</target></segment></unit>'
        '<unit id="save"><segment><source>Save the file</source><target>Enregistrer le fichier</target></segment></unit>'
        '</file></xliff>', encoding="utf-8")
    keys = {p.name: [u.key for u in read_catalogue(p)[0].units] for p in sorted(tmp_path.iterdir())}
    assert keys == {"app.de.xlf": ["greet", "save"], "app.fr.xlf": ["greet", "save"]}

"""Catalogue trees: which files form a document, the language of each, which is the source; units by key."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from consistency.catalogue_tree import catalogue_sets, path_lang
from consistency.cli import app
from consistency.units import catalogue_document

DATA = Path(__file__).resolve().parent / "data" / "catalogue"


@pytest.mark.parametrize("path,lang,doc", [
    ("locale/de/LC_MESSAGES/apt.po", "de", "apt"),
    ("locale/pt_BR/LC_MESSAGES/apt.mo", "pt-BR", "apt"),
    ("po/de.po", "de", "po"),
    ("po/apt.pot", None, "po"),
    ("po/sr@latin.po", "sr-Latn", "po"),
    ("po/ast.po", "ast", "po"),
    ("res/values/strings.xml", None, "strings.xml"),
    ("res/values-de/strings.xml", "de", "strings.xml"),
    ("res/values-pt-rBR/strings.xml", "pt-BR", "strings.xml"),
    ("res/values-b+sr+Latn/strings.xml", "sr-Latn", "strings.xml"),
    ("Base.lproj/Localizable.strings", None, "Localizable.strings"),
    ("de.lproj/Localizable.strings", "de", "Localizable.strings"),
    ("i18n/zh_Hant.json", "zh-Hant", "i18n"),
    ("bundle/Messages.properties", None, "bundle/Messages"),
    ("bundle/Messages_de.properties", "de", "bundle/Messages"),
    ("app_de.ts", "de", "app"),
    ("guide.fr.xlf", "fr", "guide"),
])
def test_path_lang(path, lang, doc):
    assert path_lang(Path(path)) == (lang, doc)


def _gettext_tree(root: Path) -> None:
    for lang in ("de", "fr"):
        folder = root / "locale" / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        text = (DATA / "de.po").read_text(encoding="utf-8")
        if lang == "fr":
            text = (text.replace("Language: de", "Language: fr").replace("Datei %s öffnen", "Ouvrir le fichier %s")
                    .replace("Dokument speichern", "Enregistrer le document").replace('"Eine Datei"', '"Un fichier"')
                    .replace('"%d Dateien"', '"%d fichiers"'))
        (folder / "app.po").write_text(text, encoding="utf-8")


def test_gettext_tree_is_one_document_keyed_by_msgid(tmp_path):
    _gettext_tree(tmp_path)
    (cset,) = catalogue_sets(sorted(tmp_path.rglob("*.po")))
    assert cset.name == "app" and sorted(cset.catalogues) == ["de", "fr"] and cset.source_lang == "en"
    doc = catalogue_document(cset.name, cset.catalogues, cset.source_lang, cset.source)
    langs = [s.lang for s in doc.sources]
    assert langs == ["de", "en", "fr"]
    by_lang = {s.lang: s for s in doc.sources}
    # The first group is the first msgid in every language; fuzzy and empty entries are not checked text.
    first = doc.groups[0]
    assert [by_lang[lang].paragraphs[first[lang][0] - 1].text for lang in langs] == [
        "Datei %s öffnen", "Open %s file", "Ouvrir le fichier %s"]
    states = sorted((f.kind, f.lang, f.line) for f in doc.findings)
    assert states == [("fuzzy", "de", 11), ("fuzzy", "fr", 11), ("untranslated", "de", 15), ("untranslated", "fr", 15)]
    assert all(f.evidence["counterparts"][0]["lang"] == "en" for f in doc.findings)


@pytest.mark.parametrize("template", ["locale/app.pot", "locale/templates/LC_MESSAGES/app.pot"])
def test_a_locale_trees_template_is_its_source_wherever_it_sits(tmp_path, template):
    """The domain's .pot beside the language folders is the source as under templates/ (a new user's tree): a msgid
    only the template has is reported untranslated in each language."""
    for lang, text in (("de", "Datei öffnen"), ("fr", "Ouvrir le fichier")):
        folder = tmp_path / "locale" / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "app.po").write_text(f'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n\nmsgid "Open the file"\n'
                                       f'msgstr "{text}"\n', encoding="utf-8")
    pot = tmp_path / template
    pot.parent.mkdir(parents=True, exist_ok=True)
    pot.write_text('msgid "Open the file"\nmsgstr ""\n\nmsgid "Export the report as PDF"\nmsgstr ""\n', encoding="utf-8")
    (cset,) = catalogue_sets(sorted(tmp_path.rglob("*.po*")))
    assert cset.source is not None and cset.source.path == str(pot)
    doc = catalogue_document(cset.name, cset.catalogues, cset.source_lang, cset.source)
    assert sorted((f.kind, f.lang) for f in doc.findings) == [("untranslated", "de"), ("untranslated", "fr")]


def test_android_tree_takes_values_as_source(tmp_path):
    for folder, text in [("values", "Hello %1$s!"), ("values-de", "Hallo %1$s!"), ("values-fr", "Bonjour %1$s !")]:
        (tmp_path / "res" / folder).mkdir(parents=True)
        (tmp_path / "res" / folder / "strings.xml").write_text(
            f'<?xml version="1.0" encoding="utf-8"?>\n<resources>\n  <string name="hello">{text}</string>\n'
            f'</resources>\n', encoding="utf-8")
    (cset,) = catalogue_sets(sorted(tmp_path.rglob("*.xml")))
    assert sorted(cset.catalogues) == ["de", "fr"] and cset.source is not None
    doc = catalogue_document(cset.name, cset.catalogues, cset.source_lang, cset.source)
    assert {s.lang: s.paragraphs[0].text for s in doc.sources} == {
        "de": "Hallo %1$s!", "en": "Hello %1$s!", "fr": "Bonjour %1$s !"}
    assert {s.lang: s.paragraphs[0].line for s in doc.sources} == {"de": 3, "en": 3, "fr": 3}


def test_i18n_json_uses_the_pivot_file_as_source(tmp_path):
    (tmp_path / "i18n").mkdir()
    for lang, word in [("en", "Open"), ("de", "Öffnen"), ("id", "Buka")]:
        (tmp_path / "i18n" / f"{lang}.json").write_text(f'{{"menu": {{"open": "{word}"}}}}', encoding="utf-8")
    (cset,) = catalogue_sets(sorted((tmp_path / "i18n").iterdir()))
    assert sorted(cset.catalogues) == ["de", "id"] and cset.source.path.endswith("en.json")


def test_tmx_is_a_document_of_its_own():
    (cset,) = catalogue_sets([DATA / "m.tmx"])
    assert sorted(cset.catalogues) == ["de", "en", "fr"] and cset.source_lang == "en"


# A catalogue message's '\n' ends a line on the screen: a word that ends one line and starts the next is two
# phrases (dpkg's French catalogue: a false error in the catalogue audit); within a line it is still doubled.
_TWO_LINES = {"en": "package %s is not ready for configuration\ncannot configure (current status '%s')",
              "fr": "le paquet %s n'est pas prêt pour la configuration\nconfiguration impossible (état actuel « %s »)",
              "de": "Paket %s ist nicht bereit zur Konfiguration\nKonfigurieren nicht möglich (Status »%s«)"}


@pytest.mark.parametrize("fr_text,doubled", [
    (_TWO_LINES["fr"], False),
    (_TWO_LINES["fr"].replace("la configuration\nconfiguration", "la la configuration\nconfiguration"), True),
])
def test_word_repeated_across_a_message_line_break_is_not_doubled(tmp_path, fr_text, doubled):
    texts = dict(_TWO_LINES, fr=fr_text)
    for lang in ("de", "fr"):
        po = polib.POFile()
        po.metadata = {"Language": lang, "Content-Type": "text/plain; charset=UTF-8"}
        po.append(polib.POEntry(msgid=texts["en"], msgstr=texts[lang]))
        po.save(str(tmp_path / f"{lang}.po"))
    out = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["check", str(tmp_path / "de.po"), str(tmp_path / "fr.po"), "-o", str(out),
                                      "--no-backtranslate", "--no-cache", "-q", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    found = {(f["lang"], f["text"]) for f in json.loads(out.read_text(encoding="utf-8"))["findings"]
             if f["kind"] == "doubled_word"}
    assert found == ({("fr", "la la")} if doubled else set())

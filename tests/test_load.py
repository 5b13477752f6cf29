"""Load stage: file discovery, language from names, text formats, and bad input."""
from __future__ import annotations

from pathlib import Path

import pytest

from consistency.errors import InputError
from consistency.load import lang_from_name, load_sources, parse_html, parse_markdown, parse_plain

KNOWN = {"de", "fr", "id", "en", "pt", "es"}


@pytest.mark.parametrize("name,lang", [
    ("de.txt", "de"), ("essay.de.txt", "de"), ("essay_fr.md", "fr"), ("report.id.html", "id"),
    ("essay-pt_BR.txt", "pt"), ("pt-BR.txt", "pt"), ("EN.txt", None), ("essay.txt", None), ("notes.md", None),
    ("xx.txt", None), ("de", "de"),
])
def test_language_from_file_name(name, lang):
    assert lang_from_name(Path(name), KNOWN) == lang


@pytest.mark.parametrize("text,expected", [
    ("One.\nTwo.\nThree.", [(1, "One."), (2, "Two."), (3, "Three.")]),
    ("First line\nwraps here.\n\nSecond para.\n", [(1, "First line\nwraps here."), (4, "Second para.")]),
    ("\n\nOnly one.\n\n", [(3, "Only one.")]),
    ("A.\r\nB.", [(1, "A.\r"), (2, "B.")]),  # CR is normalised by read_text, not here
])
def test_plain_paragraphs(text, expected):
    assert [(ln, t) for ln, t, _ in parse_plain(text)] == [(ln, t.strip()) for ln, t in expected]


def test_markdown_strips_markup_and_keeps_headings():
    md = ("---\ntitle: x\n---\n# The *Title*\n\nSome **bold** text with a [link](http://x.org) and `code`.\n"
          "continued here.\n\n- item one\n- item two\n\n```\ncode block\n```\n\nSubtitle\n--------\n")
    out = parse_markdown(md)
    assert out == [
        (4, "The Title", True),
        (6, "Some bold text with a link and code.\ncontinued here.", False),
        (9, "item one", False),
        (10, "item two", False),
        (16, "Subtitle", True),
    ]


def test_html_paragraph_elements():
    html = "<html><head><title>T</title><script>x=1</script></head><body><h1>Head</h1>\n<p>One <b>two</b>.</p>" \
           "<p>Three &amp; four.</p></body></html>"
    assert [(t, h) for _, t, h in parse_html(html)] == [("T", True), ("Head", True), ("One two.", False),
                                                        ("Three & four.", False)]


def _write(folder: Path, files: dict[str, bytes | str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return folder


GOOD_DE = "Der Stadtrat hat den Haushalt verabschiedet. Er sieht mehr Geld für Bibliotheken vor."
GOOD_FR = "Le conseil municipal a approuvé le budget. Il prévoit plus d'argent pour les bibliothèques."


@pytest.mark.parametrize("files,message", [
    ({}, "no renderings"),
    ({"de.txt": GOOD_DE}, "need at least 2 renderings"),
    ({"de.txt": GOOD_DE, "fr.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR"}, "binary"),
    ({"de.txt": GOOD_DE, "fr.txt": "Le conseil a approuvé".encode("latin-1")}, "not UTF-8"),
    ({"de.txt": GOOD_DE, "notes.txt": "1234 5678 90 — 42"}, "cannot tell the language"),
    ({"de.txt": GOOD_DE, "fr.txt": "   \n\n  "}, "has no text"),
    ({"de.txt": GOOD_DE, "a.fr.txt": GOOD_FR, "b.fr.txt": GOOD_FR}, "two renderings in language 'fr'"),
])
def test_bad_input_is_one_clear_error(tmp_path, files, message):
    with pytest.raises(InputError, match=message):
        load_sources([_write(tmp_path / "doc", files)])


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        load_sources([tmp_path / "nope"])


def test_language_detected_and_overridden(tmp_path):
    folder = _write(tmp_path / "doc", {"a.txt": GOOD_DE, "b.txt": GOOD_FR})
    assert [(s.lang, s.lang_from) for s in load_sources([folder])] == [("de", "detected"), ("fr", "detected")]
    got = load_sources([folder], {"a.txt": "nl"})
    assert [(s.lang, s.lang_from) for s in got] == [("fr", "detected"), ("nl", "option")]


def test_explicit_files_and_readme_ignored(tmp_path):
    folder = _write(tmp_path / "doc", {"de.txt": GOOD_DE, "fr.txt": GOOD_FR, "README.md": "# About"})
    assert [s.lang for s in load_sources([folder])] == ["de", "fr"]
    assert [s.lang for s in load_sources([folder / "fr.txt", folder / "de.txt"])] == ["de", "fr"]


def test_sentences_in_wrapped_paragraphs_know_their_line(tmp_path):
    from consistency.pipeline import Settings, load_renderings

    folder = _write(tmp_path / "doc", {
        "de.txt": "Erster Satz.\nZweiter Satz, der\nweiterläuft. Dritter.\n\nNeuer Absatz.",
        "fr.txt": "Première phrase.\nDeuxième phrase, qui\ncontinue. Troisième.\n\nNouveau paragraphe.",
    })
    de = load_renderings([folder], Settings())[0]
    assert [(s.paragraph, s.line, s.text) for s in de.sentences] == [
        (1, 1, "Erster Satz."), (1, 2, "Zweiter Satz, der weiterläuft."), (1, 3, "Dritter."), (2, 5, "Neuer Absatz.")]

"""Load stage: file discovery, language from names, text formats, and bad input."""
from __future__ import annotations

from pathlib import Path

import pytest

from consistency.errors import InputError
from consistency.load import lang_from_name, load_sources, parse_html, parse_markdown, parse_plain

KNOWN = {"de", "fr", "id", "en", "pt", "es"}


@pytest.mark.parametrize("name,lang", [
    ("de.txt", "de"), ("essay.de.txt", "de"), ("essay_fr.md", "fr"), ("report.id.html", "id"),
    ("essay-pt_BR.txt", "pt-BR"), ("pt-BR.txt", "pt-BR"), ("EN.txt", None), ("essay.txt", None), ("notes.md", None),
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


# --- BCP-47 tags (issue 12): any valid tag, normalised; the checks ask resources in the base language -----------

@pytest.mark.parametrize("name,lang", [
    ("essay.pt-BR.md", "pt-BR"), ("de_DE.txt", "de-DE"), ("en_us.txt", "en-US"), ("zh-Hant.md", "zh-Hant"),
    ("sr-Latn.txt", "sr-Latn"), ("es-419.md", "es-419"), ("km.txt", "km"), ("essay.km.md", "km"),
    ("to-do.txt", None), ("my-notes.txt", None), ("the.txt", None), ("old-draft.md", None),
])
def test_language_tags_in_file_names(name, lang):
    assert lang_from_name(Path(name), KNOWN | {"zh", "sr"}) == lang


@pytest.mark.parametrize("code,tag", [
    ("km", "km"), ("pt-BR", "pt-BR"), ("pt_br", "pt-BR"), ("zh-Hant", "zh-Hant"), ("sr-Latn", "sr-Latn"),
    ("EN", "en"), ("iw", "he"), ("xx", None), ("zz", None), ("und", None), ("english", None), ("", None),
])
def test_normalise_tag(code, tag):
    from consistency.langid import normalise_tag

    assert normalise_tag(code) == tag


@pytest.mark.parametrize("code,lang", [("km", "km"), ("pt-BR", "pt-BR"), ("zh-Hant", "zh-Hant"),
                                       ("sr-Latn", "sr-Latn"), ("DE", "de")])
def test_lang_option_takes_any_tag(tmp_path, code, lang):
    (tmp_path / "a.txt").write_text("Erster Satz hier.\nZweiter Satz dort.\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("First sentence here.\nSecond sentence there.\n", encoding="utf-8")
    sources = load_sources([tmp_path], {"a.txt": code})
    assert {s.lang for s in sources} == {lang, "en"}


@pytest.mark.parametrize("code", ["xx", "zz", "und", ""])
def test_lang_option_refuses_non_tags(tmp_path, code):
    (tmp_path / "a.txt").write_text("Erster Satz.\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("First sentence.\n", encoding="utf-8")
    with pytest.raises(InputError, match="--lang: (unknown language code|a language code cannot be empty)"):
        load_sources([tmp_path], {"a.txt": code})


def test_two_variants_of_one_language_are_two_renderings(tmp_path):
    (tmp_path / "pt-BR.txt").write_text("O ônibus chegou.\n", encoding="utf-8")
    (tmp_path / "pt-PT.txt").write_text("O autocarro chegou.\n", encoding="utf-8")
    assert [s.lang for s in load_sources([tmp_path])] == ["pt-BR", "pt-PT"]


@pytest.mark.parametrize("tag", ["pt-BR", "de-CH", "en-US"])
def test_word_knowledge_uses_the_base_language(tag):
    from consistency.checks.text import COMPOUNDING, has_wordlist, zipf
    from consistency.lexicon import known

    lang = tag.split("-")[0]
    word = {"pt": "ação", "de": "Straße", "en": "house"}[lang]
    assert has_wordlist(tag) and zipf(word.lower(), tag) == zipf(word.lower(), lang) > 3
    assert known(word, tag) == known(word, lang)
    assert (tag in COMPOUNDING) == (lang in COMPOUNDING)

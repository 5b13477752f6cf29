"""Reports written document by document: the same bytes as the whole-corpus renderers, documents released as they
are written, nothing half-written when a run fails."""
from __future__ import annotations

import gc
import json
import weakref
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency.cli import app
from consistency.model import Corpus, Unmatched
from consistency.pipeline import Settings, run_corpus
from consistency.report import render
from consistency.report.stream import STREAMED, Output, write_reports

CORPUS = Path(__file__).parent / "data" / "corpus"
LEFT_OUT = (Unmatched("loose/notes.fr.txt", "fr", "not in a document folder"),)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return run_corpus([CORPUS], Settings())


@pytest.mark.parametrize("fmt", sorted(STREAMED))
@pytest.mark.parametrize("unmatched", [(), LEFT_OUT], ids=["matched", "unmatched"])
def test_streamed_report_is_the_whole_corpus_report(corpus, tmp_path, fmt, unmatched):
    assert len(corpus.documents) == 4
    out = tmp_path / f"report.{fmt}"
    options = {"min_severity": "info"}
    written = write_reports(iter(corpus.documents), 4, unmatched, [Output(fmt, out, options)])
    assert out.read_text(encoding="utf-8") == render(replace(corpus, unmatched=unmatched), fmt, **options)
    assert written.corpus.findings == tuple(replace(f, evidence={}) for f in corpus.findings)
    assert all(r.paragraphs == () for d in written.corpus.documents for r in d.renderings)  # no text kept


@pytest.mark.parametrize("max_chars", [60_000, 3_000, 1_200, 300])
@pytest.mark.parametrize("options", [{"min_severity": "info"}, {"link_base": "https://example.org/r/blob/x/"},
                                     {"link_from": "reports", "fail_on": "never"}])
def test_streamed_markdown_keeps_its_size_cap_as_the_whole_corpus_report(corpus, tmp_path, max_chars, options):
    """Markdown picks the most severe findings that fit its cap across the whole corpus, and cuts at a line when
    even the tables do not fit (300): streamed, it keeps only each block's size in memory and writes the same."""
    out = tmp_path / "r.md"
    write_reports(iter(corpus.documents), 4, LEFT_OUT, [Output("markdown", out, {**options, "max_chars": max_chars})])
    whole = render(replace(corpus, unmatched=LEFT_OUT), "markdown", **options, max_chars=max_chars)
    assert out.read_text(encoding="utf-8") == whole
    assert len(whole) <= max_chars
    if len(render(replace(corpus, unmatched=LEFT_OUT), "markdown", **options)) > max_chars:
        assert "left out to keep this report under" in whole or "report cut here" in whole


@pytest.mark.parametrize("fmt", sorted(STREAMED))
@pytest.mark.parametrize("quiet", ["first", "all-but-last", "all"])
def test_documents_without_findings_stream_alike(corpus, tmp_path, fmt, quiet):
    """Documents with no findings (SARIF writes nothing for them; with none at all its results are `[]`) give the
    same bytes streamed as rendered whole."""
    n = len(corpus.documents)
    silent = {"first": {0}, "all-but-last": set(range(n - 1)), "all": set(range(n))}[quiet]
    docs = tuple(replace(d, findings=()) if i in silent else d for i, d in enumerate(corpus.documents))
    out = tmp_path / "r"
    write_reports(iter(docs), n, (), [Output(fmt, out, {"min_severity": "info"})])
    assert out.read_text(encoding="utf-8") == render(Corpus(docs), fmt, min_severity="info")


@pytest.mark.parametrize("fmt", ["json", "text", "jsonl", "sarif", "junit"])
def test_baseline_is_applied_per_document(corpus, tmp_path, fmt):
    known = frozenset(f.fingerprint for f in corpus.findings[::2])
    written = write_reports(iter(corpus.documents), 4, (), [Output(fmt, tmp_path / "r", {})], known,
                            baseline_to=tmp_path / "base.json")
    kept = tuple(Corpus(tuple(replace(d, findings=tuple(f for f in d.findings if f.fingerprint not in known))
                              for d in corpus.documents), (), len(known)).findings)
    assert [f.fingerprint for f in written.corpus.findings] == [f.fingerprint for f in kept]
    assert written.corpus.baselined == len(known) > 0
    assert (tmp_path / "r").read_text(encoding="utf-8") == render(
        Corpus(tuple(replace(d, findings=tuple(f for f in d.findings if f.fingerprint not in known))
                     for d in corpus.documents), (), len(known)), fmt)
    recorded = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))["findings"]
    assert len(recorded) == len(corpus.findings)  # the baseline records the run before it is applied


@pytest.mark.parametrize("fmt,released", [("json", True), ("jsonl", True), ("text", True), ("sarif", True),
                                          ("junit", True), ("html", True), ("markdown", True)])
def test_documents_are_released_as_they_are_written(corpus, tmp_path, fmt, released):
    """Each result the run hands over is gone (no reference left) by the time the next is asked for, unless a
    format that needs the whole corpus (HTML) is among the outputs."""
    alive: list[bool] = []

    def results():
        previous = None
        for d in corpus.documents:
            fresh = replace(d)  # a new object, referenced only by the writer once handed over
            if previous is not None:
                gc.collect()
                alive.append(previous() is not None)
            previous = weakref.ref(fresh)
            yield fresh
            del fresh

    write_reports(results(), 4, (), [Output(fmt, tmp_path / f"r.{fmt}", {})])
    assert alive == [not released] * 3


def test_failed_run_writes_nothing(corpus, tmp_path):
    def results():
        yield corpus.documents[0]
        raise RuntimeError("the third worker died")

    target = tmp_path / "out"
    target.mkdir()
    (target / "old.json").write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        write_reports(results(), 4, (), [Output("json", target / "old.json", {}), Output("jsonl", target / "n.jsonl", {})])
    assert sorted(p.name for p in target.iterdir()) == ["old.json"]
    assert (target / "old.json").read_text(encoding="utf-8") == "old"


def test_jsonl_report_from_the_command_line(tmp_path):
    out = tmp_path / "corpus.jsonl"
    result = CliRunner().invoke(app, ["check", str(CORPUS), "-o", str(out), "-q", "--fail-on", "never",
                                      "--no-backtranslate"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line.get("document") for line in lines] == ["council", "museum", "release", "river", None]
    assert lines[-1]["summary"]["documents"] == 4 and lines[-1]["tool"]["name"] == "consistency"
    assert lines[-1]["summary"]["findings"] == sum(len(line["findings"]) for line in lines[:-1])
    stdout = CliRunner().invoke(app, ["check", str(CORPUS), "-f", "jsonl", "-q", "--fail-on", "never",
                                      "--no-backtranslate"])
    assert stdout.exit_code == 0 and stdout.stdout == out.read_text(encoding="utf-8")


def test_jsonl_lines_survive_unicode_line_separators(tmp_path):
    """A text holding U+2028, U+2029 or U+0085 (which str.splitlines() and some editors end a line at) keeps each
    document on one line: those characters are written escaped."""
    doc = tmp_path / "doc"
    doc.mkdir()
    (doc / "de.txt").write_text("Der Fluss\u2028fließt nach Norden.\u0085Er ist lang.\n", encoding="utf-8")
    (doc / "fr.txt").write_text("La rivière\u2029coule vers le nord. Elle est longue.\n", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    result = CliRunner().invoke(app, ["check", str(doc), "-o", str(out), "-q", "--fail-on", "never",
                                      "--no-backtranslate"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) == 2 and not any(c in text for c in "\u2028\u2029\u0085")
    texts = [s["text"] for r in json.loads(lines[0])["renderings"] for s in r["sentences"]]
    assert "Der Fluss\u2028fließt nach Norden." in texts and "La rivière\u2029coule vers le nord." in texts


@pytest.mark.parametrize("args,message", [
    (["-f", "json", "-o", "{tmp}/r.html"], "--format json applies to none of the outputs"),
    (["-o", "-", "-o", "-"], "-o - (stdout) is given more than once"),
])
def test_output_options_that_contradict_each_other(tmp_path, args, message):
    result = CliRunner().invoke(app, ["check", str(CORPUS), "-q", "--no-backtranslate",
                                      *[a.format(tmp=tmp_path) for a in args]])
    assert result.exit_code == 2 and message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_dash_output_is_stdout_beside_files(tmp_path):
    """`-o -` writes the --format report to stdout (not a file named '-') while the other outputs are written."""
    result = CliRunner().invoke(app, ["check", str(CORPUS), "-q", "--no-backtranslate", "--fail-on", "never",
                                      "-f", "json", "-o", "-", "-o", str(tmp_path / "r.json")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"] and not Path("-").exists()

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
    assert all(d.renderings == () for d in written.corpus.documents)  # the frame's copy holds no text


@pytest.mark.parametrize("fmt", ["json", "text", "jsonl"])
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


@pytest.mark.parametrize("fmt,released", [("json", True), ("jsonl", True), ("text", True), ("html", False)])
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

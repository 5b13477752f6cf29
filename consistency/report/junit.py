"""JUnit XML for CI test dashboards: a test suite per document, a test case per rendering and check, failing when
the check found something at or above --fail-on; lesser findings go to the case's system-out. A check that did not
run for a rendering (disabled for it) is a skipped case, not a passed one.
Each case carries the file and the line of its first failing finding (or of its first finding, or 1)."""
from __future__ import annotations

from typing import Any, Mapping
from xml.etree import ElementTree as ET

from consistency.checks import CHECKS
from consistency.model import Corpus, Result
from consistency.report.common import at_least, evidence_lines, location, printable, printable_lines

def _describe(findings) -> str:
    parts = []
    for f in findings:
        parts.append(printable(f"[{f.severity.value}] {location(f)} {f.message} ({f.score:.2f}): “{f.text}”"))
        parts += [f"    {printable(line)}" for line in evidence_lines(f)]
    return "\n".join(parts)


def not_run(result: Result) -> Mapping[str, str]:
    """Why checks did not run, by 'kind' (every rendering) or 'lang:kind' (Result.not_run, from the pipeline)."""
    return result.not_run


def _cases(doc: Result, fail_on: str):
    """(rendering, kind, findings, failing findings, why it did not run or None) for each test case of the
    document's suite, in order. Reads only the renderings' languages and paths and the findings, so a document
    without its text (stream.slim) gives the same."""
    reasons = not_run(doc)
    by_case: dict[tuple[str, str], list] = {}
    for f in doc.findings:
        by_case.setdefault((f.lang, f.kind), []).append(f)
    for r in doc.renderings:
        for kind in sorted(CHECKS):
            found = by_case.get((r.lang, kind), [])
            yield r, kind, found, at_least(found, fail_on), reasons.get(f"{r.lang}:{kind}", reasons.get(kind))


def _counts(doc: Result, fail_on: str) -> tuple[int, int, int]:
    """The document's (tests, failures, skipped), without building its suite (the streamed frame's totals)."""
    n = bad = skip = 0
    for _, _, found, failing, reason in _cases(doc, fail_on):
        n += 1
        bad += bool(failing)
        skip += bool(not failing and reason and not found)
    return n, bad, skip


def _suite(parent: ET.Element, doc: Result, fail_on: str) -> tuple[int, int, int]:
    """The document's test suite under `parent`, and its (tests, failures, skipped)."""
    suite = ET.SubElement(parent, "testsuite", name=printable(doc.name or "document"))
    for r, kind, found, failing, reason in _cases(doc, fail_on):
        first = failing[0] if failing else found[0] if found else None
        case = ET.SubElement(suite, "testcase", classname=printable(f"{doc.name or 'document'}.{r.lang}"),
                             name=kind, file=printable(r.path), line=str(first.line or 1) if first else "1")
        if failing:
            failure = ET.SubElement(case, "failure", type=kind,
                                    message=printable(f"{len(failing)} {kind} finding(s) in {r.path}"))
            failure.text = _describe(failing)
        elif reason and not found:
            ET.SubElement(case, "skipped", message=printable(reason))
        rest = [f for f in found if f not in failing]
        if rest:
            ET.SubElement(case, "system-out").text = _describe(rest)
    counts = _counts(doc, fail_on)
    for name, value in zip(("tests", "failures", "errors", "skipped"), (counts[0], counts[1], 0, counts[2])):
        suite.set(name, str(value))
    return counts


def _tree(corpus: Corpus, fail_on: str, documents: bool = True) -> ET.Element:
    """The whole report; without `documents`, an empty <MARK/> stands where the documents' suites go."""
    suites = ET.Element("testsuites", name="consistency")
    total = failed = skipped = 0
    for doc in corpus.documents:
        n, bad, skip = _suite(suites, doc, fail_on) if documents else _counts(doc, fail_on)
        total, failed, skipped = total + n, failed + bad, skipped + skip
    if not documents:
        ET.SubElement(suites, _MARK)
    for u in corpus.unmatched:
        suite = ET.SubElement(suites, "testsuite", name=printable(u.path), tests="1", failures="0", errors="0",
                              skipped="1")
        case = ET.SubElement(suite, "testcase", classname=printable(u.path), name="counterpart",
                             file=printable(u.path), line="1")
        ET.SubElement(case, "skipped", message=printable(u.reason))
    suites.set("tests", str(total + len(corpus.unmatched)))
    suites.set("failures", str(failed))
    suites.set("skipped", str(skipped + len(corpus.unmatched)))
    ET.indent(suites)
    return suites


_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def render(corpus: Corpus, fail_on: str = "error", **_: Any) -> str:
    return printable_lines(_HEAD + ET.tostring(_tree(corpus, fail_on), encoding="unicode") + "\n")


# Streaming (consistency/report/stream.py): one document's suite at a time, byte for byte what `render` writes.
_MARK = "consistency-documents"
SEPARATOR = "\n  "  # between two suites, each one level deep in <testsuites>


def document_part(result: Result, fail_on: str = "error", **_: Any) -> str:
    holder = ET.Element("testsuites")
    _suite(holder, result, fail_on)
    suite = holder[0]
    ET.indent(suite, level=1)
    suite.tail = None
    return printable_lines(ET.tostring(suite, encoding="unicode"))


def frame(corpus: Corpus, fail_on: str = "error", **_: Any) -> tuple[str, str]:
    """(head, tail) around the suites of a report with at least one document; `corpus` needs the renderings'
    languages and the findings, not the text."""
    text = printable_lines(_HEAD + ET.tostring(_tree(corpus, fail_on, documents=False), encoding="unicode") + "\n")
    head, tail = text.split(f"<{_MARK} />", 1)
    return head, tail

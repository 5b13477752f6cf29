"""JUnit XML for CI test dashboards: a test suite per document, a test case per rendering and check, failing when
the check found something at or above --fail-on; lesser findings go to the case's system-out."""
from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from consistency.checks import CHECKS
from consistency.model import Corpus
from consistency.report.common import at_least, evidence_lines, location, printable


def _describe(findings) -> str:
    parts = []
    for f in findings:
        parts.append(f"[{f.severity.value}] {location(f)} {f.message} ({f.score:.2f}): “{f.text}”")
        parts += [f"    {line}" for line in evidence_lines(f)]
    return "\n".join(parts)


def render(corpus: Corpus, fail_on: str = "error", **_: Any) -> str:
    suites = ET.Element("testsuites", name="consistency")
    total = failed = 0
    for doc in corpus.documents:
        suite = ET.SubElement(suites, "testsuite", name=doc.name or "document")
        n = bad = 0
        for r in doc.renderings:
            for kind in sorted(CHECKS):
                found = [f for f in doc.findings if f.lang == r.lang and f.kind == kind]
                case = ET.SubElement(suite, "testcase", classname=f"{doc.name or 'document'}.{r.lang}", name=kind,
                                     file=r.path)
                failing = at_least(found, fail_on)
                if failing:
                    bad += 1
                    failure = ET.SubElement(case, "failure", type=kind,
                                            message=f"{len(failing)} {kind} finding(s) in {r.path}")
                    failure.text = _describe(failing)
                rest = [f for f in found if f not in failing]
                if rest:
                    ET.SubElement(case, "system-out").text = _describe(rest)
                n += 1
        suite.set("tests", str(n))
        suite.set("failures", str(bad))
        suite.set("errors", "0")
        total, failed = total + n, failed + bad
    for u in corpus.unmatched:
        suite = ET.SubElement(suites, "testsuite", name=u.path, tests="1", failures="0", errors="0", skipped="1")
        case = ET.SubElement(suite, "testcase", classname=u.path, name="counterpart", file=u.path)
        ET.SubElement(case, "skipped", message=u.reason)
    suites.set("tests", str(total + len(corpus.unmatched)))
    suites.set("failures", str(failed))
    suites.set("skipped", str(len(corpus.unmatched)))
    ET.indent(suites)
    return printable('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n")

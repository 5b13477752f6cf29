"""SARIF 2.1.0 for code-scanning UIs: one rule per check kind, one result per finding, located at the file, line
and (where the offsets allow) columns of the flagged text. File URIs are relative to the `%SRCROOT%` base (the
current folder, or `sarif_root`), so a UI resolves them against its checkout. Fingerprints match the baseline's, so
a UI can track a finding across edits."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from consistency import __version__
from consistency.checks import CHECKS
from consistency.model import Corpus, Finding, Result
from consistency.report.common import evidence_lines, span

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SRCROOT = "%SRCROOT%"

# Precision per kind, from the hand-labelled audit of what the checker reports on clean translations
# (benchmarks/audit/*.jsonl, summed over its files; README.md, "How good is it", "Precision per kind"):
# real findings / labelled findings. SARIF's precision: high at 0.80 and above, medium at 0.60 and above, else low.
# tests/test_report_formats.py checks these counts against the audit files.
AUDIT: dict[str, tuple[int, int]] = {
    "doubled_word": (37, 40), "entity_mismatch": (30, 35), "garbled": (18, 18), "glued_word": (78, 89),
    "number_mismatch": (23, 32), "omission": (26, 48), "placeholder_mismatch": (36, 37), "truncation": (13, 17),
    "untranslated": (138, 145),
}
UNAUDITED_PRECISION = "medium"  # a kind the audit has no finding of (unaligned_paragraph)

# What to do about a finding of each kind: the rule's help.
ADVICE = {
    "doubled_word": "Delete the repeated word or phrase.",
    "entity_mismatch": "Check that the name or code the other renderings share is rendered here; a name that the "
                       "language writes differently (a transliteration, an inflection) is a false alarm.",
    "garbled": "Read the sentence against its counterparts: a machine-translation artefact (function words "
               "capitalised mid-sentence, a hyphenated word split by a space) or a sentence whose back-translation "
               "says something else needs rewriting. The back-translation signal needs back-translation on.",
    "glued_word": "Put back the space between the two words or sentences.",
    "number_mismatch": "Make the number agree with the other renderings, or add the one that is missing.",
    "omission": "Compare with the counterparts shown in the evidence and restore the content that is missing; a "
                "rendering that condenses on purpose is a false alarm.",
    "placeholder_mismatch": "Restore the placeholder, variable, URL, e-mail address or inline code exactly as the "
                            "other renderings have it.",
    "truncation": "Complete the word, name or sentence that was cut short.",
    "unaligned_paragraph": "Translate the paragraph into the renderings that lack it, or remove it from this one.",
    "untranslated": "Translate the text; text that stays in the other language on purpose (a quotation, a name, a "
                    "command) is a false alarm.",
}
_SUPPRESS = ("A known finding can be kept out of later runs with a baseline (--write-baseline, --baseline); a check "
             "can be switched off with --disable or `disable` in [tool.consistency].")


def precision(kind: str) -> str:
    if kind not in AUDIT:
        return UNAUDITED_PRECISION
    real, labelled = AUDIT[kind]
    share = real / labelled
    return "high" if share >= 0.8 else "medium" if share >= 0.6 else "low"


def _rules() -> list[dict[str, Any]]:
    rules = []
    for kind in sorted(CHECKS):
        check = CHECKS[kind]
        description = check.description or kind
        level = LEVEL[check.severity.value]
        audit = (f"In a hand-labelled audit on clean translations {AUDIT[kind][0]} of {AUDIT[kind][1]} findings of "
                 f"this kind were real." if kind in AUDIT else "Not yet audited on clean translations.")
        advice = ADVICE.get(kind, "Read the flagged text against its counterparts in the other renderings.")
        full = (f"{description[:1].upper()}{description[1:]}: found by comparing the renderings (translations) of "
                f"a document with each other, or by reading one. Default level: {level}. {audit}")
        rules.append({
            "id": kind,
            "name": "".join(w.title() for w in kind.split("_")),
            "shortDescription": {"text": description},
            "fullDescription": {"text": full},
            "help": {"text": f"{advice} {_SUPPRESS}",
                     "markdown": f"**{kind}**: {description}.\n\n{advice}\n\n{audit}\n\n"
                                 "A known finding can be kept out of later runs with a baseline (`--write-baseline`, "
                                 "`--baseline`); a check can be switched off with `--disable` or `disable` in "
                                 "`[tool.consistency]`."},
            "defaultConfiguration": {"level": level},
            "properties": {"precision": precision(kind), "tags": ["translation", "consistency"],
                           **({"audit": {"real": AUDIT[kind][0], "labelled": AUDIT[kind][1]}} if kind in AUDIT
                              else {})},
        })
    return rules


def _artifact(path: str, root: Path) -> dict[str, str]:
    """The file as a URI relative to %SRCROOT%, or as an absolute file URI when it lies outside the root."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def _region(f: Finding, doc) -> dict[str, Any]:
    s = span(f, doc)
    region: dict[str, Any] = {"startLine": s.line}
    if s.column:
        region.update(startColumn=s.column, endLine=s.end_line, endColumn=s.end_column)
        region["snippet"] = {"text": f.text}
    return region


def _rule_index() -> dict[str, int]:
    """Each kind's place in the rules list (`_rules` lists them in this order), without building the rules."""
    return {kind: i for i, kind in enumerate(sorted(CHECKS))}


def _root(sarif_root: str | os.PathLike | None) -> Path:
    return Path(os.path.abspath(sarif_root if sarif_root is not None else os.curdir))


def _results(doc: Result, root: Path, index: dict[str, int]) -> list[dict[str, Any]]:
    results = []
    for f in doc.findings:
        text = f"{f.message}: “{f.text}”"
        lines = evidence_lines(f)
        if lines:
            text += "\nEvidence:\n" + "\n".join(f"- {line}" for line in lines)
        result: dict[str, Any] = {
            "ruleId": f.kind,
            "level": LEVEL[f.severity.value],
            "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(f.path, root),
                                                "region": _region(f, doc)}}],
            "partialFingerprints": {"consistency/v1": f.fingerprint or ""},
            "properties": {"score": f.score, "lang": f.lang, "paragraph": f.paragraph, "sentence": f.sentence,
                           "document": doc.name},
        }
        if f.kind in index:
            result["ruleIndex"] = index[f.kind]
        results.append(result)
    return results


def _log(results: list, rules: list, root: Path, sarif_root) -> dict[str, Any]:
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "consistency", "version": __version__, "rules": rules}},
    }
    if sarif_root is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": root.as_uri().rstrip("/") + "/"}}
    run.update({"columnKind": "unicodeCodePoints", "results": results})
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(corpus: Corpus, sarif_root: str | os.PathLike | None = None, **_: Any) -> str:
    """sarif_root: the folder that %SRCROOT% stands for (default: the current folder, left out of the log so that
    the log is the same on every machine; a root given here is written into it as an absolute file URI)."""
    root, index = _root(sarif_root), _rule_index()
    results = [r for doc in corpus.documents for r in _results(doc, root, index)]
    return json.dumps(_log(results, _rules(), root, sarif_root), ensure_ascii=False, indent=2) + "\n"


# Streaming (consistency/report/stream.py): the results of one document at a time, byte for byte what `render`
# writes; a document without findings adds nothing. The log is laid out around a marker where the results go.
_MARK = "\x00results\x00"
_RESULT_INDENT = "\n        "  # a result sits four levels deep: {"runs": [{"results": [ … ]}]}
SEPARATOR = "," + _RESULT_INDENT


def document_part(result: Result, sarif_root: str | os.PathLike | None = None, **_: Any) -> str:
    """The document's results, indented and separated as `render` writes them; "" without findings."""
    return SEPARATOR.join(_RESULT_INDENT.join(json.dumps(r, ensure_ascii=False, indent=2).split("\n"))
                          for r in _results(result, _root(sarif_root), _rule_index()))


def frame(corpus: Corpus, sarif_root: str | os.PathLike | None = None, **_: Any) -> tuple[str, str]:
    """(head, tail) around the results of a log with at least one finding (the findings are not read)."""
    root = _root(sarif_root)
    text = json.dumps(_log([_MARK], _rules(), root, sarif_root), ensure_ascii=False, indent=2) + "\n"
    head, tail = text.split(json.dumps(_MARK), 1)
    return head, tail

"""SARIF 2.1.0 for code-scanning UIs: one rule per check kind, one result per finding, located at the file and line
of the flagged paragraph. Fingerprints match the baseline's, so a UI can track a finding across edits."""
from __future__ import annotations

import json
from urllib.parse import quote
from typing import Any

from consistency import __version__
from consistency.checks import CHECKS
from consistency.model import Corpus
from consistency.report.common import evidence_lines

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rules() -> list[dict[str, Any]]:
    return [{"id": kind, "name": "".join(w.title() for w in kind.split("_")),
             "shortDescription": {"text": CHECKS[kind].description or kind},
             "defaultConfiguration": {"level": LEVEL[CHECKS[kind].severity.value]}}
            for kind in sorted(CHECKS)]


def render(corpus: Corpus, **_: Any) -> str:
    rules = _rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for doc in corpus.documents:
        for f in doc.findings:
            text = f"{f.message}: “{f.text}”"
            lines = evidence_lines(f)
            if lines:
                text += "\nEvidence:\n" + "\n".join(f"- {line}" for line in lines)
            region = {"startLine": f.line or 1}
            results.append({
                "ruleId": f.kind,
                "ruleIndex": index.get(f.kind, -1),
                "level": LEVEL[f.severity.value],
                "message": {"text": text},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": quote(f.path, safe="/")},
                                                    "region": region}}],
                "partialFingerprints": {"consistency/v1": f.fingerprint or ""},
                "properties": {"score": f.score, "lang": f.lang, "paragraph": f.paragraph, "sentence": f.sentence,
                               "document": doc.name},
            })
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "consistency", "version": __version__, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"

"""The machine-readable contract. Same input and settings give byte-identical output: no clocks, no absolute
paths, fixed key order, floats rounded."""
from __future__ import annotations

import json
from collections import Counter
from typing import Any

from consistency import __version__
from consistency.model import Corpus, Finding, Result, Severity


def _counts(findings) -> dict[str, Any]:
    by_sev = Counter(f.severity.value for f in findings)
    return {"findings": len(findings), "by_severity": {s.value: by_sev.get(s.value, 0) for s in Severity},
            "by_kind": dict(sorted(Counter(f.kind for f in findings).items()))}


def summary(result: Result) -> dict[str, Any]:
    return {
        "renderings": len(result.renderings),
        "paragraph_groups": len(result.paragraph_groups),
        "sentence_groups": len(result.sentence_groups),
        "unaligned_paragraph_groups": sum(1 for g in result.paragraph_groups if len(g.present()) < len(result.renderings)),
        **_counts(result.findings),
        "by_lang": {r.lang: sum(1 for f in result.findings if f.lang == r.lang) for r in result.renderings},
    }


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "severity": f.severity.value,
        "lang": f.lang,
        "path": f.path,
        "paragraph": f.paragraph,
        "line": f.line,
        "sentence": f.sentence,
        "start": f.start,
        "group": f.group,
        "text": f.text,
        "message": f.message,
        "score": f.score,
        "evidence": f.evidence,
        "fingerprint": f.fingerprint,
    }


def tool(result: Result) -> dict[str, Any]:
    return {"name": "consistency", "version": __version__,
            "models": [{k: v for k, v in vars(m).items()} for m in result.models]}


def as_dict(result: Result) -> dict[str, Any]:
    return {
        "tool": tool(result),
        "document": result.name,
        "source": result.source,
        "renderings": [
            {
                "lang": r.lang,
                "path": r.path,
                "lang_from": r.lang_from,
                "paragraphs": len(r.paragraphs),
                "sentences": [
                    {"paragraph": s.paragraph, "index": s.index, "line": s.line, "text": s.text,
                     "backtranslation": s.backtranslation}
                    for s in r.sentences
                ],
            }
            for r in result.renderings
        ],
        "alignment": [
            {"group": g.index, "paragraphs": {k: list(v) for k, v in g.members.items()}, "score": g.score}
            for g in result.paragraph_groups
        ],
        "sentence_alignment": [
            {"group": g.index, "paragraph_group": g.paragraph_group,
             "sentences": {k: [list(ref) for ref in v] for k, v in g.members.items()}, "score": g.score}
            for g in result.sentence_groups
        ],
        "findings": [finding_dict(f) for f in result.findings],
        "summary": summary(result),
    }


def corpus_summary(corpus: Corpus) -> dict[str, Any]:
    return {"documents": len(corpus.documents), "unmatched": len(corpus.unmatched), "baselined": corpus.baselined,
            **_counts(corpus.findings)}


def corpus_dict(corpus: Corpus) -> dict[str, Any]:
    """One document: the single-document contract. Several, or files left unmatched: an envelope around them."""
    if len(corpus.documents) == 1 and not corpus.unmatched:
        single = as_dict(corpus.documents[0])
        if corpus.baselined:
            single["summary"]["baselined"] = corpus.baselined
        return single
    return _envelope(corpus, [_enveloped(d) for d in corpus.documents])


def _enveloped(result: Result) -> dict[str, Any]:
    doc = as_dict(result)
    del doc["tool"]
    return doc


def _envelope(corpus: Corpus, documents: list) -> dict[str, Any]:
    models = {tuple(sorted(vars(m).items())): vars(m) for d in corpus.documents for m in d.models}
    return {
        "tool": {"name": "consistency", "version": __version__, "models": list(models.values())},
        "documents": documents,
        "unmatched": [vars(u) for u in corpus.unmatched],
        "summary": corpus_summary(corpus),
    }


def render(corpus: Corpus, **_: Any) -> str:
    return json.dumps(corpus_dict(corpus), ensure_ascii=False, indent=2) + "\n"


# Streaming (consistency/report/stream.py): the envelope's documents written one at a time, byte for byte what
# `render` writes for the whole corpus. The envelope is laid out around a marker where the documents go.
_MARK = "\x00documents\x00"
_DOC_INDENT = "\n    "  # a document sits two levels deep: {"documents": [ … ]}
SEPARATOR = "," + _DOC_INDENT


def document_part(result: Result, **_: Any) -> str:
    """One document of the envelope, indented as `render` indents it (no separator)."""
    return _DOC_INDENT.join(json.dumps(_enveloped(result), ensure_ascii=False, indent=2).split("\n"))


def frame(corpus: Corpus, **_: Any) -> tuple[str, str]:
    """(head, tail) around the document parts of a report with at least one document, where `corpus`
    holds every document's findings and models (their text is not needed)."""
    text = json.dumps(_envelope(corpus, [_MARK]), ensure_ascii=False, indent=2) + "\n"
    head, tail = text.split(json.dumps(_MARK), 1)
    return head, tail

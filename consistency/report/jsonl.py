"""JSON Lines: one line per document as it is checked (the JSON report's document object, without `tool`), then one
line with `tool`, `unmatched` and `summary` (the JSON envelope less its documents). Meant for corpora too large
for one JSON value: written document by document (consistency/report/stream.py), and read the same way."""
from __future__ import annotations

import json
from typing import Any

from consistency.model import Corpus, Result
from consistency.report.json import _envelope, _enveloped


SEPARATOR = "\n"


def document_part(result: Result, **_: Any) -> str:
    return json.dumps(_enveloped(result), ensure_ascii=False)


def frame(corpus: Corpus, **_: Any) -> tuple[str, str]:
    """(head, tail) around the document lines; `corpus` holds every document's findings and models."""
    last = _envelope(corpus, [])
    del last["documents"]
    return "", ("\n" if corpus.documents else "") + json.dumps(last, ensure_ascii=False) + "\n"


def render(corpus: Corpus, **options: Any) -> str:
    head, tail = frame(corpus)
    return head + SEPARATOR.join(document_part(d) for d in corpus.documents) + tail

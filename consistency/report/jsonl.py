"""JSON Lines: one line per document as it is checked (the JSON report's document object, without `tool`), then one
line with `tool`, `unmatched` and `summary` (the JSON envelope less its documents). Meant for corpora too large
for one JSON value: written document by document (consistency/report/stream.py), and read the same way."""
from __future__ import annotations

import json
from typing import Any

from consistency.model import Corpus, Result
from consistency.report.json import _envelope, _enveloped


SEPARATOR = "\n"
# Characters that str.splitlines() and some editors take for line ends: a document's text carrying one would split
# its record in two for such a reader, so they are written escaped (still the same JSON string).
_LINE_ENDS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _line(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False).translate(_LINE_ENDS)


def document_part(result: Result, **_: Any) -> str:
    return _line(_enveloped(result))


def frame(corpus: Corpus, **_: Any) -> tuple[str, str]:
    """(head, tail) around the document lines; `corpus` holds every document's findings and models."""
    last = _envelope(corpus, [])
    del last["documents"]
    return "", ("\n" if corpus.documents else "") + _line(last) + "\n"


def render(corpus: Corpus, **options: Any) -> str:
    head, tail = frame(corpus)
    return head + SEPARATOR.join(document_part(d) for d in corpus.documents) + tail

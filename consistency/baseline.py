"""Baselines: remember today's findings so that a CI run reports only new ones. A fingerprint is the kind, the
language, the document and the flagged text, normalised, plus its ordinal among equal keys: it survives edits
elsewhere in the file (no line numbers), and a second identical defect is still news."""
from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Sequence

from consistency.errors import InputError
from consistency.model import Corpus, Finding, Result

FORMAT = "consistency-baseline/1"


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def fingerprints(findings: Sequence[Finding], document: str = "") -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for f in findings:
        key = "\x1f".join((f.kind, f.lang, _normal(document), _normal(f.text)))
        seen[key] = seen.get(key, 0) + 1
        out.append(hashlib.sha256(f"{key}\x1f{seen[key]}".encode()).hexdigest()[:32])
    return out


def with_fingerprints(findings: Sequence[Finding], document: str) -> tuple[Finding, ...]:
    return tuple(replace(f, fingerprint=fp) for f, fp in zip(findings, fingerprints(findings, document)))


def baseline_text(corpus: Corpus) -> str:
    entries = sorted(({"fingerprint": f.fingerprint, "kind": f.kind, "lang": f.lang, "document": doc.name,
                       "text": f.text} for doc in corpus.documents for f in doc.findings),
                     key=lambda e: (e["document"], e["lang"], e["kind"], e["text"], e["fingerprint"] or ""))
    return json.dumps({"format": FORMAT, "findings": entries}, ensure_ascii=False, indent=2) + "\n"


def read_baseline(path: Path) -> frozenset[str]:
    from consistency.fileio import read_utf8  # noqa: PLC0415

    where = path.as_posix()
    text = read_utf8(path, "baseline")
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError(f"cannot read baseline {where}: nested too deeply") from None
    except MemoryError:
        raise InputError(f"cannot read baseline {where}: out of memory") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"cannot read baseline {where}: not JSON ({exc.msg} at line {exc.lineno}, column "
                         f"{exc.colno}); write one with --write-baseline") from None
    except ValueError as exc:  # the int-digits limit
        raise InputError(f"cannot read baseline {where}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"{where} is not a consistency baseline (expected format {FORMAT!r})")
    entries = data.get("findings", [])
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries):
        raise InputError(f"{where} is not a consistency baseline: findings must be a list of "
                         "objects with a fingerprint")
    return frozenset(e["fingerprint"] for e in entries)


def drop_known(result: Result, known: frozenset[str]) -> tuple[Result, int]:
    """One document without the findings the baseline knows, and how many were dropped."""
    keep = tuple(f for f in result.findings if f.fingerprint not in known)
    return replace(result, findings=keep), len(result.findings) - len(keep)


def apply_baseline(corpus: Corpus, known: Iterable[str]) -> Corpus:
    """Drop the findings the baseline knows; count them so the report can say so."""
    known = frozenset(known)
    docs, dropped = [], 0
    for doc in corpus.documents:
        kept, n = drop_known(doc, known)
        docs.append(kept)
        dropped += n
    return replace(corpus, documents=tuple(docs), baselined=corpus.baselined + dropped)

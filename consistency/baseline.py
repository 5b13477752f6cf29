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
from consistency.fileio import atomic_write
from consistency.model import Corpus, Finding

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


def baseline_entries(corpus: Corpus) -> list[dict]:
    entries = []
    for doc in corpus.documents:
        for f, fp in zip(doc.findings, fingerprints(doc.findings, doc.name)):
            entries.append({"fingerprint": fp, "kind": f.kind, "lang": f.lang, "document": doc.name,
                            "text": f.text})
    return sorted(entries, key=lambda e: (e["document"], e["lang"], e["kind"], e["text"], e["fingerprint"]))


def write_baseline(path: Path, corpus: Corpus) -> None:
    data = {"format": FORMAT, "findings": baseline_entries(corpus)}
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def read_baseline(path: Path) -> frozenset[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"no such baseline: {path.as_posix()}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read baseline {path.as_posix()}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"{path.as_posix()} is not a consistency baseline (expected format {FORMAT!r})")
    return frozenset(e["fingerprint"] for e in data.get("findings", []) if isinstance(e, dict) and "fingerprint" in e)


def apply_baseline(corpus: Corpus, known: Iterable[str]) -> Corpus:
    """Drop the findings the baseline knows; count them so the report can say so."""
    known = frozenset(known)
    docs, dropped = [], 0
    for doc in corpus.documents:
        keep = tuple(f for f, fp in zip(doc.findings, fingerprints(doc.findings, doc.name)) if fp not in known)
        dropped += len(doc.findings) - len(keep)
        docs.append(replace(doc, findings=keep))
    return replace(corpus, documents=tuple(docs), baselined=corpus.baselined + dropped)

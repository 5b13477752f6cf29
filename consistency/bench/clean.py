"""What the checker says on clean text: warnings and errors per kind, the share of paragraphs they land on, and a
seeded sample of them to label by hand (the audit that gives precision per kind and severity).

The corpora are clean human translations (Debian's translated documentation, see scripts/), so every warning or
error is either a real defect the translators left (an untranslated paragraph, a changed number) or a false alarm;
only labelling tells which. `sample` writes the findings to label; `precision` reads the labelled files back.
"""
from __future__ import annotations

import json
import random
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

from consistency.bench.faults import SERIOUS, load_corpus, renderings, select
from consistency.embed import CachedEmbedder, make_embedder
from consistency.pipeline import Settings, check_renderings

LABELS = ("real", "false")
# How much of each finding's context a labeller sees (characters): enough for a sentence and its counterparts.
CONTEXT_CHARS = 400


def run(corpus: Path, langs: Iterable[str] | None = None, max_docs: int | None = None, sample: int = 0,
        seed: int = 0, settings: Settings | None = None,
        progress: Callable[[str], None] | None = None) -> dict:
    """Check every selected document once; returns counts, the flagged-paragraph share and `sample` findings."""
    settings = settings or Settings()
    docs = select(load_corpus(corpus), langs, max_docs)
    embedder = CachedEmbedder(lambda: make_embedder(settings.embedder), settings.embedder, settings.cache())
    start = time.perf_counter()
    by_kind: Counter = Counter()
    by_severity: Counter = Counter()
    paragraphs = 0
    flagged: set[tuple[str, str, int]] = set()
    found: list[dict] = []
    for doc in docs:
        result = check_renderings(renderings(doc), settings, embedder=embedder, name=doc.name)
        paragraphs += sum(len(p) for p in doc.paragraphs.values())
        for f in result.findings:
            if f.severity.value not in SERIOUS:
                continue
            by_kind[f.kind] += 1
            by_severity[f"{f.kind}:{f.severity.value}"] += 1
            flagged.add((doc.name, f.lang, f.paragraph or 0))
            para = doc.paragraphs[f.lang][f.paragraph - 1] if f.paragraph else ""
            found.append({
                "corpus": corpus.name, "document": doc.name, "lang": f.lang, "paragraph": f.paragraph,
                "kind": f.kind, "severity": f.severity.value, "score": f.score, "text": f.text[:120],
                "message": f.message,
                "evidence": {k: v for k, v in sorted(f.evidence.items()) if isinstance(v, (int, float, str))},
                "context": {"paragraph": para[:CONTEXT_CHARS],
                            **{o: ps[f.paragraph - 1][:CONTEXT_CHARS] for o, ps in sorted(doc.paragraphs.items())
                               if o != f.lang and f.paragraph and f.paragraph <= len(ps)}},
            })
        if progress:
            progress(doc.name)
    rng = random.Random(seed)
    picked = sorted(rng.sample(range(len(found)), min(sample, len(found)))) if sample else []
    return {
        "corpus": str(corpus),
        "documents": len(docs),
        "languages": sorted({lang for d in docs for lang in d.paragraphs}),
        "paragraphs": paragraphs,
        "findings": sum(by_kind.values()),
        "by_kind": dict(sorted(by_kind.items())),
        "by_kind_severity": dict(sorted(by_severity.items())),
        "flagged_paragraphs": len(flagged),
        "flagged_paragraph_rate": round(len(flagged) / paragraphs, 4) if paragraphs else None,
        "wall_time_s": round(time.perf_counter() - start, 1),
        "sample": [found[i] for i in picked],
    }


def precision(files: Iterable[Path]) -> dict:
    """Precision per kind and per severity from labelled audit files (JSON lines with `kind`, `severity` and
    `label` in LABELS). Raises ValueError on a line without a valid label."""
    counts: dict[str, Counter] = {}
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("label") not in LABELS:
                raise ValueError(f"{path}:{n}: label must be one of {', '.join(LABELS)}")
            corpus = row.get("corpus", path.stem)
            for key in (f"kind:{row['kind']}", f"severity:{row['severity']}", "all", f"corpus:{corpus}",
                        f"corpus:{corpus}|severity:{row['severity']}", f"corpus:{corpus}|kind:{row['kind']}"):
                counts.setdefault(key, Counter())[row["label"]] += 1
    return {key: {"real": c["real"], "false": c["false"], "precision": round(c["real"] / (c["real"] + c["false"]), 3)}
            for key, c in sorted(counts.items())}

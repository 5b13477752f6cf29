"""Sentence-alignment accuracy as Vecalign's scorer reports it (after Sennrich & Volk's strict and lax measures).

An alignment is a list of beads (source indices, target indices), written one per line as `[0, 1]:[2]`. Precision
counts test beads (deletions included) that are in the gold: exactly (strict), or overlapping a gold bead on both
sides (lax). Recall is the same measure with gold and test swapped and deletions left out of both.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Sequence

Bead = tuple[tuple[int, ...], tuple[int, ...]]


def parse(text: str) -> list[Bead]:
    beads = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [p for p in line.split(":") if p.strip()]
        try:
            src, tgt = ast.literal_eval(parts[0].strip()), ast.literal_eval(parts[1].strip())
        except (IndexError, ValueError, SyntaxError) as exc:
            raise ValueError(f"line {n}: not an alignment bead like [0, 1]:[2]: {line.strip()!r}") from exc
        beads.append((tuple(src), tuple(tgt)))
    return beads


def format_beads(beads: Iterable[Bead]) -> str:
    return "".join(f"{list(s)}:{list(t)}\n" for s, t in beads)


def _counts(gold: Iterable[Bead], test: Iterable[Bead]) -> tuple[int, int, int, int]:
    """(strict hits, strict misses, lax hits, lax misses) of the test beads against the gold ones."""
    gold_set = {b for b in gold if b[0] or b[1]}
    test_set = {b for b in test if b[0] or b[1]}
    links = defaultdict(set)
    for src, tgt in gold_set:
        for s in src:
            links[s].update(tgt)
    strict_hit = strict_miss = lax_hit = lax_miss = 0
    for bead in test_set:
        if bead in gold_set:
            strict_hit += 1
            lax_hit += 1
            continue
        strict_miss += 1
        reached = set().union(*(links[s] for s in bead[0])) if bead[0] else set()
        if reached & set(bead[1]):
            lax_hit += 1
        else:
            lax_miss += 1
    return strict_hit, strict_miss, lax_hit, lax_miss


def _ratio(a: int, b: int) -> float:
    return a / (a + b) if a + b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(golds: Sequence[list[Bead]], tests: Sequence[list[Bead]]) -> dict[str, float]:
    """Counts summed over documents, then precision, recall and F1, strict and lax."""
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for gold, test in zip(golds, tests, strict=True):
        p = [x + y for x, y in zip(p, _counts(gold, test))]
        links_only = lambda beads: [b for b in beads if b[0] and b[1]]  # noqa: E731
        r = [x + y for x, y in zip(r, _counts(links_only(test), links_only(gold)))]
    out = {"precision_strict": _ratio(p[0], p[1]), "recall_strict": _ratio(r[0], r[1]),
           "precision_lax": _ratio(p[2], p[3]), "recall_lax": _ratio(r[2], r[3])}
    out["f1_strict"] = _f1(out["precision_strict"], out["recall_strict"])
    out["f1_lax"] = _f1(out["precision_lax"], out["recall_lax"])
    return {k: round(v, 4) for k, v in out.items()}


def read(path: Path) -> list[Bead]:
    return parse(path.read_text(encoding="utf-8"))


def pairs(test: Path, gold: Path) -> list[tuple[Path, Path]]:
    """TEST and GOLD as two files, or two folders whose files pair up by name."""
    if test.is_dir() and gold.is_dir():
        names = sorted(p.name for p in gold.iterdir() if p.is_file())
        missing = [n for n in names if not (test / n).is_file()]
        if missing:
            raise FileNotFoundError(f"no test alignment for {missing[0]} in {test}")
        return [(test / n, gold / n) for n in names]
    return [(test, gold)]

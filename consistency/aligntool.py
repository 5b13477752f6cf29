"""Two-file sentence alignment for the `align` command and its benchmark, over the same aligner `check` uses."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from consistency.align import align_pair, check_size, sentence_tracks
from consistency.embed import CachedEmbedder, make_embedder
from consistency.errors import InputError
from consistency.load import load_file, read_text
from consistency.pipeline import Settings
from consistency.segment import segment


@dataclass(frozen=True)
class Aligned:
    source: list[str]
    target: list[str]
    beads: list[tuple[list[int], list[int]]]


def _sentences(path: Path, presplit: bool) -> list[str]:
    if presplit:
        lines = [line.strip() for line in read_text(path).split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        return [line or "BLANK_LINE" for line in lines]  # keep line numbers: they are the indices
    # A document: cut as `check` cuts it (language from the name or the text).
    src = load_file(path)
    return [s.text for p in segment(src.lang, src.paragraphs) for s in p.sentences]


def align_files(source: Path, target: Path, presplit: bool = False, settings: Settings | None = None) -> Aligned:
    settings = settings or Settings()
    for p in (source, target):
        if not p.is_file():
            raise InputError(f"no such file: {p}")
    texts = {"a": _sentences(source, presplit), "b": _sentences(target, presplit)}
    if not texts["a"] or not texts["b"]:
        raise InputError("both files need at least one sentence")
    names = {"a": str(source), "b": str(target)}
    for k, v in texts.items():  # before the embedding, not after
        check_size(names[k], len(v))
    embedder = CachedEmbedder(lambda: make_embedder(settings.embedder), settings.embedder, settings.cache())
    try:
        vecs = {k: embedder.embed(v) for k, v in texts.items()}
    finally:
        embedder.cache.close()
    tracks = sentence_tracks(texts, vecs, names=names)
    return Aligned(texts["a"], texts["b"], align_pair(tracks["a"], tracks["b"]))

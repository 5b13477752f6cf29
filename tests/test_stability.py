"""Findings must not hinge on the last digits of a float: CPUs differ (AVX-512 or not, BLAS kernels, thread
counts), and so do the last bits of every embedding. A tiny perturbation of the sentence vectors, far larger than
any such difference, must leave the seed essay's findings (kind, rendering, place, text, severity) unchanged."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from consistency.embed import CachedEmbedder, make_embedder
from consistency.pipeline import Settings, check_renderings, load_renderings

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "seeds" / "deepseek-essay"
# Documents whose findings come from the embeddings (omissions), besides the seed essay's word-level ones.
DOCUMENTS = {"seed": SEED, "first-sentence-dropped": HERE / "data" / "cases" / "02-first-sentence-dropped",
             "dropped-clause": HERE / "data" / "cases" / "03-dropped-clause"}
# Relative size of the perturbation: float32 kernels on different CPUs differ by ~1e-6 relative; 1e-4 leaves
# ample margin while staying far below anything that could change what a sentence means.
NOISE = 1e-4


class Perturbed:
    """Wraps an embedder and adds seeded Gaussian noise of relative size NOISE to every vector, renormalised."""

    def __init__(self, inner: CachedEmbedder, seed: int):
        self.inner = inner
        self.rng = np.random.default_rng(seed)

    def embed(self, texts, progress=None):
        vecs = np.asarray(self.inner.embed(texts, progress=progress), dtype=np.float32)
        if not len(vecs):
            return vecs
        noisy = vecs + self.rng.normal(0.0, NOISE / np.sqrt(vecs.shape[1]), vecs.shape).astype(np.float32)
        return noisy / np.linalg.norm(noisy, axis=1, keepdims=True)


def _key(result):
    return sorted((f.kind, f.lang, f.paragraph, f.sentence, f.text, f.severity.value) for f in result.findings)


@pytest.fixture(scope="module")
def embedder():
    settings = Settings(backtranslate="off")
    cache = settings.cache()
    try:
        yield CachedEmbedder(lambda: make_embedder(settings.embedder), settings.embedder, cache)
    finally:
        cache.close()


def _run(folder: Path, embedder) -> list[tuple]:
    settings = Settings(backtranslate="off")
    return _key(check_renderings(load_renderings(sorted(folder.glob("*.txt")), settings), settings,
                                 embedder=embedder))


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_findings_survive_a_tiny_perturbation(embedder, name):
    reference = _run(DOCUMENTS[name], embedder)
    assert reference, "the document has findings to keep"
    assert _run(DOCUMENTS[name], Perturbed(embedder, 7)) == reference


def test_a_large_perturbation_does_change_findings(embedder, monkeypatch):
    """The perturbation reaches the decisions: vectors swamped by noise lose the planted omission."""
    reference = _run(DOCUMENTS["first-sentence-dropped"], embedder)
    monkeypatch.setattr(sys.modules[__name__], "NOISE", 3.0)
    assert _run(DOCUMENTS["first-sentence-dropped"], Perturbed(embedder, 1)) != reference

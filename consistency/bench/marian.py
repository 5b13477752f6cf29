"""Build opus-mt-shaped Marian models with random weights on this machine, for tests and benchmarks.

The layout is what Helsinki-NLP publishes: source.spm / target.spm (SentencePiece), vocab.json with `</s>` first,
`<unk>` second and `<pad>` last (the pad id doubles as the decoder start token), config.json, model.safetensors.
The vocabulary is trained on whatever text is given; `vocab_size` beyond what the text supports is filled with
placeholder pieces, so the output layer has the size of a real model's.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True)
class MarianShape:
    d_model: int = 512
    layers: int = 6
    heads: int = 8
    ffn: int = 2048
    vocab_size: int = 58101  # opus-mt-de-en's
    init_std: float = 0.02
    max_positions: int = 512


# Helsinki-NLP/opus-mt-*-en ("Marian base").
BASE = MarianShape()
# For tests: builds in about a second. init_std 0.2 makes the random output depend on the input (at 0.02 every
# sentence decodes to the same junk), which batching and caching tests need.
TINY = MarianShape(d_model=32, layers=1, heads=2, ffn=64, vocab_size=1000, init_std=0.2)
# SentencePiece pieces trained at most (the seeds support ~1,500 distinct pieces); the rest are placeholders.
MAX_TRAINED_PIECES = 1000


def train_sentencepiece(lines: list[str], pieces: int) -> bytes:
    import sentencepiece as spm  # noqa: PLC0415

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(lines), model_writer=model, vocab_size=pieces,
                                   hard_vocab_limit=False, model_type="unigram", character_coverage=1.0,
                                   pad_id=-1, bos_id=-1, eos_id=1, unk_id=0, num_threads=1, minloglevel=2)
    return model.getvalue()


def build_marian(out: Path, texts: Iterable[str], shape: MarianShape = TINY, seed: int = 0) -> Path:
    """Write a Marian model directory to `out` and return it."""
    import torch  # noqa: PLC0415
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer  # noqa: PLC0415

    out.mkdir(parents=True, exist_ok=True)
    lines = [line for t in texts for line in t.splitlines() if line.strip()]
    spm_model = train_sentencepiece(lines, min(MAX_TRAINED_PIECES, shape.vocab_size - 3))
    for name in ("source.spm", "target.spm"):
        (out / name).write_bytes(spm_model)
    import sentencepiece as spm  # noqa: PLC0415

    sp = spm.SentencePieceProcessor(model_proto=spm_model)
    vocab = {"</s>": 0, "<unk>": 1}
    for i in range(sp.get_piece_size()):
        vocab.setdefault(sp.id_to_piece(i), len(vocab))
    while len(vocab) < shape.vocab_size - 1:
        vocab[f"▁x{len(vocab)}"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    pad = len(vocab) - 1
    config = MarianConfig(
        vocab_size=len(vocab), d_model=shape.d_model, encoder_layers=shape.layers, decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads, decoder_attention_heads=shape.heads, encoder_ffn_dim=shape.ffn,
        decoder_ffn_dim=shape.ffn, max_position_embeddings=shape.max_positions, init_std=shape.init_std,
        pad_token_id=pad, eos_token_id=0, decoder_start_token_id=pad, forced_eos_token_id=0)
    torch.manual_seed(seed)
    MarianMTModel(config).save_pretrained(out, safe_serialization=True)
    MarianTokenizer(str(out / "source.spm"), str(out / "target.spm"), str(out / "vocab.json")).save_pretrained(out)
    return out

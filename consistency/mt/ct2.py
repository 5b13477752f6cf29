"""The fast CPU engine: CTranslate2 with int8 weights, converted once from the local transformers directory.

The converted model lives in the user cache dir next to the result cache, under a name made of the model id and
revision, so a new revision converts afresh. Conversion writes to a temporary directory renamed into place: two
runs converting at once both succeed and one copy wins.
"""
from __future__ import annotations

import os
import re
import shutil
import warnings
from pathlib import Path

from consistency.errors import ModelError
from consistency.model import ModelInfo
from consistency.mt.base import MAX_INPUT_TOKENS, Generation, Translator
from consistency.mt.hf import load_tokenizer
from consistency.mt.models import ModelSource, model_config, nllb_code

# int8 weights with float32 activations on CPU; on a GPU int8 weights with float16 activations.
CPU_COMPUTE = "int8"
GPU_COMPUTE = "int8_float16"


# CTranslate2 runs `inter_threads` batches side by side, each on `intra_threads` threads. At opus-mt's size and
# batches of 16-32 sentences the threads of one batch wait on each other at every layer: on a 2-vCPU machine
# (`consistency bench backtranslate`, int8) 2 batches of 1 thread each ran 48-54 sentences/s, 1 batch on 2 threads
# 24-26 (and 20-29 with batches of 64-128 or 2-4k tokens). Beyond 4 cores (not measured) 4 batches go side by side
# and share the cores, so that a document of a few hundred sentences still keeps every core busy.
MAX_PARALLEL_BATCHES = 4


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def cpu_threads(cores: int | None = None) -> tuple[int, int]:
    """(inter_threads, intra_threads) for CTranslate2 on `cores` CPU cores (default: those this process may use);
    see MAX_PARALLEL_BATCHES."""
    cores = max(1, cores or _cores())
    inter = min(cores, MAX_PARALLEL_BATCHES)
    return inter, max(1, cores // inter)


def converted_dir(source: ModelSource, root: Path) -> Path:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", source.id.strip("/")).strip("_")[-60:]
    return root / "ct2" / f"{slug}-{source.revision or 'local'}-int8"


def convert(source: ModelSource, root: Path) -> Path:
    """The CTranslate2 copy of `source`, converting it on first use."""
    target = converted_dir(source, root)
    if (target / "model.bin").is_file():
        return target
    try:
        from ctranslate2.converters import TransformersConverter  # noqa: PLC0415
    except ImportError as exc:
        raise ModelError("--mt-engine ctranslate2 needs `pip install ctranslate2`") from exc
    assert source.path is not None
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    from consistency.mt.hf import quiet_transformers  # noqa: PLC0415

    quiet_transformers()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            TransformersConverter(str(source.path), trust_remote_code=False).convert(str(tmp), quantization="int8",
                                                                                     force=True)
            os.replace(tmp, target)
    except OSError as exc:
        if not (target / "model.bin").is_file():  # not another run having won the rename
            raise ModelError(f"cannot write the converted model to {target}: {exc.strerror or exc}") from exc
    except Exception as exc:  # noqa: BLE001  (converter errors are plain ValueError/RuntimeError/KeyError)
        raise ModelError(f"cannot convert {source.id} for CTranslate2: {str(exc).splitlines()[0][:200]}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


class CTranslate2Translator(Translator):
    engine = "ctranslate2-int8"

    def __init__(self, source: ModelSource, generation: Generation = Generation(), device: str = "auto",
                 pivot: str = "en", root: Path | None = None):
        super().__init__(ModelInfo("translator", source.id, source.revision, self.engine, source.lang),
                         generation)
        import ctranslate2  # noqa: PLC0415

        from consistency.cache import default_cache_dir  # noqa: PLC0415

        path = convert(source, root or default_cache_dir())
        self.tokenizer = load_tokenizer(source)
        gpu = device in ("auto", "cuda") and ctranslate2.get_cuda_device_count() > 0
        self.device = "cuda" if gpu else "cpu"
        inter, intra = (1, 0) if gpu else cpu_threads()
        self._model = ctranslate2.Translator(str(path), device=self.device,
                                             compute_type=GPU_COMPUTE if gpu else CPU_COMPUTE,
                                             inter_threads=inter, intra_threads=intra)
        # Each call hands CTranslate2 one batch per inter thread, which it runs side by side.
        self.parallel_batches = inter
        self._prefix = [nllb_code(pivot)] if source.is_nllb else None
        assert source.path is not None
        self._positions = int(model_config(source.path).get("max_position_embeddings", MAX_INPUT_TOKENS))

    def _translate_batch(self, texts: list[str]) -> list[str]:
        ids = self.tokenizer(texts, truncation=True, max_length=min(MAX_INPUT_TOKENS, self._positions))["input_ids"]
        tokens = [self.tokenizer.convert_ids_to_tokens(row) for row in ids]
        limits = [min(self.generation.limit(len(row)), self._positions - 2) for row in ids]
        results = self._model.translate_batch(
            tokens, target_prefix=[self._prefix] * len(tokens) if self._prefix else None,
            beam_size=self.generation.beams, max_decoding_length=max(limits) + 1, max_input_length=MAX_INPUT_TOKENS,
            max_batch_size=max(1, self.generation.batch_size))
        out = []
        for r, limit in zip(results, limits):
            hyp = r.hypotheses[0][len(self._prefix or ()) :][:limit]
            out.append(self.tokenizer.decode(self.tokenizer.convert_tokens_to_ids(hyp), skip_special_tokens=True))
        return out


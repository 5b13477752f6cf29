"""Machine translation for back-translation: translator interface, engines, model resolution.

Nothing here imports torch, transformers or ctranslate2 at import time; the engines do when they are built.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from consistency.errors import InputError
from consistency.mt.base import Generation, Translator
from consistency.mt.models import ModelSource


def _transformers(source: ModelSource, generation: Generation, device: str, pivot: str, root: Path | None):
    from consistency.mt.hf import TransformersTranslator  # noqa: PLC0415

    return TransformersTranslator(source, generation, device, pivot)


def _ctranslate2(source: ModelSource, generation: Generation, device: str, pivot: str, root: Path | None):
    from consistency.mt.ct2 import CTranslate2Translator  # noqa: PLC0415

    return CTranslate2Translator(source, generation, device, pivot, root)


EngineFactory = Callable[[ModelSource, Generation, str, str, "Path | None"], Translator]
ENGINES: dict[str, EngineFactory] = {"transformers": _transformers, "ctranslate2": _ctranslate2}
# What each engine is called in cache keys and in the report: ctranslate2 always runs int8 weights here.
ENGINE_LABELS = {"transformers": "transformers", "ctranslate2": "ctranslate2-int8"}


def make_translator(source: ModelSource, engine: str = "transformers", generation: Generation = Generation(),
                    device: str = "auto", pivot: str = "en", root: Path | None = None) -> Translator:
    if engine not in ENGINES:
        raise InputError(f"unknown --mt-engine {engine!r}; choose from {', '.join(sorted(ENGINES))}")
    return ENGINES[engine](source, generation, device, pivot, root)


__all__ = ["ENGINES", "ENGINE_LABELS", "Generation", "ModelSource", "Translator", "make_translator"]

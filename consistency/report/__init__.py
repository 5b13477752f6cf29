"""Report stage: renderers turn a Result into text. Each format is one function in a plain registry."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from consistency.model import Result

Renderer = Callable[..., str]


def _json(result: Result, **options) -> str:
    from consistency.report.json import render  # noqa: PLC0415

    return render(result, **options)


def _text(result: Result, **options) -> str:
    from consistency.report.text import render  # noqa: PLC0415

    return render(result, **options)


RENDERERS: dict[str, Renderer] = {"json": _json, "text": _text}
EXTENSIONS = {".json": "json", ".txt": "text", ".text": "text", ".log": "text"}


def format_for(path: str | Path, default: str | None = None) -> str | None:
    return EXTENSIONS.get(Path(path).suffix.lower(), default)


def render(result: Result, fmt: str, **options) -> str:
    return RENDERERS[fmt](result, **options)

"""Report stage: renderers turn a Corpus (one or more checked documents) into text. Each format is one module
with a `render(corpus, **options)` function, found through a plain registry and imported only when used."""
from __future__ import annotations

from importlib import import_module
from pathlib import Path

from consistency.model import Corpus, Result

# format -> module under consistency.report
RENDERERS: dict[str, str] = {
    "text": "text", "json": "json", "jsonl": "jsonl", "markdown": "markdown", "html": "html", "sarif": "sarif",
    "junit": "junit",
}
EXTENSIONS = {
    ".json": "json", ".jsonl": "jsonl", ".txt": "text", ".text": "text", ".log": "text", ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".sarif": "sarif", ".xml": "junit",
}


def format_for(path: str | Path, default: str | None = None) -> str | None:
    name = Path(path).name.lower()
    if name.endswith(".sarif.json"):
        return "sarif"
    if name.endswith(".junit.xml"):
        return "junit"
    return EXTENSIONS.get(Path(path).suffix.lower(), default)


def render(report: Corpus | Result, fmt: str, **options) -> str:
    corpus = report if isinstance(report, Corpus) else Corpus((report,))
    module = import_module(f"consistency.report.{RENDERERS[fmt]}")
    return module.render(corpus, **options)

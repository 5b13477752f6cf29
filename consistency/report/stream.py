"""Reports written as the documents are checked, so a corpus is never held whole in memory.

Each output of a streamed format (`STREAMED`) gets a spool, an anonymous temporary file: every document's part is
rendered into it as the document comes out of the run, and the document is dropped, keeping only its findings
(without their evidence) and models for the report's frame (summary, counts, exit status, baseline). At the end
each output is written atomically as head + spool + tail, byte for byte what the whole-corpus renderer writes
(`tests/test_stream.py`). Markdown, which picks the findings that fit its size cap across the whole corpus, keeps
each document's blocks in its own spool and only their sizes in memory (`markdown.Stream`). A run of a single
document holds its result, as before.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from importlib import import_module
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from consistency.baseline import baseline_text, drop_known
from consistency.errors import InputError
from consistency.fileio import Data, atomic_write_all
from consistency.model import Corpus, Result, Unmatched
from consistency.report import RENDERERS, render

# Formats whose modules give `document_part(result, index=N, **options)` (N: the document's place in the report),
# `SEPARATOR` and `frame(corpus, **options)`; or a `Stream(**options)` with `add(result)` and `chunks(corpus)`.
STREAMED = frozenset({"text", "json", "jsonl", "sarif", "junit", "html", "markdown"})
_CHUNK = 1 << 20  # characters copied from a spool at a time


@dataclass(frozen=True)
class Output:
    """One report to produce: a file (`path`), or standard output (`path` None: its text comes back in chunks)."""

    fmt: str
    path: Path | None
    options: dict[str, Any]


@dataclass(frozen=True)
class Written:
    """What `write_reports` did: `corpus` has every document's findings (after the baseline) and models but no text
    (enough for notices and the exit status); `stdout` yields the text for standard output, if one was asked for."""

    corpus: Corpus
    stdout: Iterator[str] | None


def slim(result: Result) -> Result:
    """A result without its text and alignment, and findings without evidence: what a report's frame reads (the
    renderings keep their language and path, for the JUnit counts)."""
    return replace(result, renderings=tuple(replace(r, paragraphs=()) for r in result.renderings),
                   paragraph_groups=(), sentence_groups=(),
                   findings=tuple(replace(f, evidence={}) for f in result.findings))


class _Blocks:
    """A format that spools on its own (a module's `Stream`: Markdown)."""

    def __init__(self, out: Output, module: Any) -> None:
        self.out = out
        self.stream = module.Stream(**out.options)
        self.file = self.stream.file
        self.add = self.stream.add

    def data(self, corpus: Corpus) -> Data:
        return self.stream.chunks(corpus)


class _Spool:
    def __init__(self, out: Output, module: Any) -> None:
        self.out = out
        self.module = module
        self.file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
        self.count = 0  # parts written
        self.seen = 0  # documents handed over

    def data(self, corpus: Corpus) -> Data:
        """The report of `corpus` (slimmed), from the parts spooled."""
        if not self.count:  # nothing spooled: no document, or (SARIF) no finding
            return render(corpus, self.out.fmt, **self.out.options)
        head, tail = self.module.frame(corpus, **self.out.options)
        return self.chunks(head, tail)

    def add(self, result: Result) -> None:
        part = self.module.document_part(result, index=self.seen, **self.out.options)
        self.seen += 1
        if not part:
            return  # a document that adds nothing (SARIF: no findings) takes no separator either
        try:
            if self.count:
                self.file.write(self.module.SEPARATOR)
            self.file.write(part)
        except OSError as exc:
            raise InputError(f"cannot write a temporary file for {self.out.path or 'stdout'}: "
                             f"{exc.strerror or exc}") from exc
        self.count += 1

    def chunks(self, head: str, tail: str) -> Iterator[str]:
        try:
            yield head
            self.file.seek(0)
            while chunk := self.file.read(_CHUNK):
                yield chunk
            yield tail
        finally:
            self.file.close()


def _spool(out: Output) -> _Spool | _Blocks:
    module = import_module(f"consistency.report.{RENDERERS[out.fmt]}")
    return (_Blocks if hasattr(module, "Stream") else _Spool)(out, module)


def write_reports(results: Iterable[Result], documents: int, unmatched: tuple[Unmatched, ...],
                  outputs: list[Output], known: frozenset[str] | None = None,
                  baseline_to: Path | None = None) -> Written:
    """Consume `results` (`documents` of them, in report order) and write every output.

    known: fingerprints a baseline already holds (their findings are left out and counted); baseline_to: where to
    record this run's findings as a baseline (before `known` is applied). Files are written all or none, each
    atomically (consistency/fileio.py). Raises InputError for a file that cannot be written.
    """
    held = documents == 1 and not unmatched or any(o.fmt not in STREAMED for o in outputs)
    spools = [] if held else [_spool(o) for o in outputs]
    kept: list[Result] = []
    recorded: list[Result] = []
    baselined = 0
    try:
        for result in results:
            if baseline_to is not None:
                recorded.append(slim(result))
            if known is not None:
                result, dropped = drop_known(result, known)
                baselined += dropped
            for spool in spools:
                spool.add(result)
            kept.append(result if held else slim(result))
            del result  # else it is held while the next document is checked
        corpus = Corpus(tuple(kept), unmatched, baselined)
        files: list[tuple[Path, Data]] = []
        if baseline_to is not None:
            files.append((baseline_to, baseline_text(Corpus(tuple(recorded), unmatched))))
        stdout = None
        for i, out in enumerate(outputs):
            data: Data = render(corpus, out.fmt, **out.options) if held else spools[i].data(corpus)
            if out.path is None:
                stdout = iter([data]) if isinstance(data, str) else data
            else:
                files.append((out.path, data))
        _write_all(files)
    finally:
        for spool in spools:
            if spool.out.path is not None:
                spool.file.close()
    return Written(replace(corpus, documents=tuple(slim(d) for d in corpus.documents)) if held else corpus, stdout)


def _write_all(files: list[tuple[Path, Data]]) -> None:
    """atomic_write_all, its failure as one InputError naming the file (a broken pipe is left to the caller)."""
    try:
        atomic_write_all(files)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError) and exc.filename is None:
            raise
        where = exc.filename or (files[0][0] if files else "")
        raise InputError(f"cannot write {where}: {exc.strerror or exc}") from exc

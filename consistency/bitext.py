"""Bitexts as dataset builders keep them, read as a stream of units in constant memory: Moses-style line-aligned
files (`corpus.de`, `corpus.fr`), TSV/CSV with one column per language (a header row names the languages), and
JSONL with one object per unit (`{"de": ..., "fr": ...}`). Line-aligned means no re-alignment: line n of every
file is unit n, and an empty line is a unit with an empty side (a finding, never dropped).
"""
from __future__ import annotations

import csv
import json
import re
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import chain, zip_longest
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from consistency.errors import InputError

TABLE_SUFFIXES = {".tsv": "\t", ".csv": ","}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
# Header cells that are language codes and also common column names: `id` (Indonesian) is a language column
# only when its first value reads like text, not like an identifier.
AMBIGUOUS = {"id"}
_IDENTIFIER = re.compile(r"^[\w.:/#-]*\d[\w.:/#-]*$")


@dataclass(frozen=True)
class Row:
    """Unit `number` (1-based: the line in Moses files, the data row in tables); `texts` maps language -> text,
    "" for an empty side."""

    number: int
    texts: Mapping[str, str]
    line: int  # line in the file(s) where the unit is written


def moses_files(paths: Sequence[Path], known: set[str]) -> dict[str, Path] | None:
    """The language of each file when the paths are one Moses bitext (`stem.de`, `stem.fr`, same stem), else None."""
    if len(paths) < 2:
        return None
    stems = {p.with_suffix("").name for p in paths}
    langs = {p.suffix.lstrip(".").lower(): p for p in paths}
    if len(stems) != 1 or len(langs) != len(paths) or not set(langs) <= known:
        return None
    return langs


def read_moses(files: Mapping[str, Path]) -> Iterator[Row]:
    """Rows of line-aligned files, streamed. Raises InputError when the files have different line counts (the
    bitext is broken: aligning by line would pair wrong sentences from that point on)."""
    langs = sorted(files)
    with ExitStack() as stack:
        handles = [stack.enter_context(open(files[lang], encoding="utf-8-sig", newline="")) for lang in langs]
        for n, lines in enumerate(zip_longest(*handles), 1):
            if any(line is None for line in lines):
                short = [lang for lang, line in zip(langs, lines) if line is None]
                raise InputError(f"line-aligned files differ in length: {', '.join(short)} end(s) before line {n}")
            yield Row(n, {lang: line.rstrip("\r\n") for lang, line in zip(langs, lines)}, n)


def read_table(path: Path, known: set[str]) -> Iterator[Row]:
    """Rows of a TSV/CSV file whose header names a language per column (other columns are ignored).

    Raises InputError when fewer than two header cells are language codes.
    """
    delimiter = TABLE_SUFFIXES[path.suffix.lower()]
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter, quoting=csv.QUOTE_NONE if delimiter == "\t" else
                            csv.QUOTE_MINIMAL)
        header = next(reader, None) or []
        first = next(reader, None)
        columns = {i: cell.strip().lower() for i, cell in enumerate(header) if cell.strip().lower() in known}
        for i in [i for i, lang in columns.items() if lang in AMBIGUOUS]:
            if first is not None and i < len(first) and _IDENTIFIER.match(first[i]):
                del columns[i]
        if len(columns) < 2:
            raise InputError(f"{path}: the header must name a language per column (e.g. 'de\\tfr'), got "
                             f"{header[:4]!r}")
        rows = reader if first is None else chain([first], reader)
        for n, cells in enumerate(rows, 1):
            yield Row(n, {lang: cells[i] if i < len(cells) else "" for i, lang in columns.items()}, n + 1)


def read_jsonl(path: Path, known: set[str]) -> Iterator[Row]:
    """Rows of a JSONL file; each object's language-code keys are the sides (other keys are ignored).

    Raises InputError on a line that is not a JSON object, naming the line.
    """
    keys: set[str] | None = None
    with open(path, encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError) as exc:
                raise InputError(f"{path}:{n}: not a JSON object ({exc})") from exc
            if not isinstance(obj, dict):
                raise InputError(f"{path}:{n}: not a JSON object")
            if keys is None:  # decided on the first object, as a table's header: `id` may be an identifier
                keys = {k for k, v in obj.items() if isinstance(k, str) and k.lower() in known
                        and not (k.lower() in AMBIGUOUS and _IDENTIFIER.match(str(v)))}
            yield Row(n, {k.lower(): str(v) if v is not None else "" for k, v in obj.items() if k in keys}, n)

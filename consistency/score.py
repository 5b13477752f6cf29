"""`consistency score`: a bitext written back with a score and flags per unit, the way Bicleaner scores sentence
pairs, so that a dataset builder can filter it with `awk`.

The input is streamed in chunks of `chunk` units; each chunk is checked as one document whose alignment is the
input's own (line n of every side is unit n, see consistency/formats.py `bitext_document`), and its units are
written out before the next chunk is read. Memory is bounded by the chunk, not by the input; the output keeps the
input's order.

Score, per unit, a number in [0, 1]:

    score = (band + 0.999 * similarity) / 3, rounded to 4 places

- `band` is 2 when the unit has no finding at warning or above, 1 when its worst is a warning, 0 when it is an
  error (an empty side is always an error). A unit with an error therefore scores below 1/3, one with a warning
  in [1/3, 2/3), a clean one at least 2/3: every finding at warning or error lowers the score below every unit
  without one: clean units score in [0.6667, 0.9997], units whose worst finding is a warning in [0.3333, 0.6663],
  units with an error in [0, 0.3330] (the factor 0.999 keeps the bands apart after rounding), so
  `score >= 0.6667` keeps exactly the units without warnings or errors.
- `similarity` ranks units inside their band: the mean pairwise cosine of the unit's sides (each side's sentence
  embeddings summed, as the aligner does), rescaled so that an unrelated pair scores 0 and identical meaning 1:
  `(cos - u) / (1 - u)`, clipped to [0, 1] and rounded to 4 places. `u` is the embedder's mean cosine between
  unrelated sentences (UNRELATED_COSINE; 0.85 for the default multilingual E5, measured on 2,000 de-fr pairs of
  gettext catalogues shifted by 7 rows: 0.855). A unit with fewer than two non-empty sides has similarity 0, and a
  unit with no text at all has score 0 and the flag `empty`.

The similarity of a unit depends on its own texts only. The findings are those of the checks run on the chunk, a
few of which weigh a unit against the document around it (the chunk): with a different chunk size a borderline
unit may gain or lose such a finding. Within one chunk size the output is deterministic.

Flags: the kinds of the unit's findings at `flag_on` or above (default warning), sorted and comma-separated;
empty when there are none.
"""
from __future__ import annotations

import csv
import json
import os
import stat
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence, TextIO

import numpy as np

from consistency import bitext, lexicon
from consistency.bitext import Row
from consistency.embed import E5_ENGINES, CachedEmbedder, make_embedder
from consistency.errors import InputError
from consistency.load import display_path
from consistency.model import Finding, Severity

DEFAULT_CHUNK = 2000
# Mean cosine between unrelated sentences, per embedder (see the module docstring); other embedders: 0.
UNRELATED_COSINE = dict.fromkeys(E5_ENGINES, 0.85)
LEXICON_MEMO_LIMIT = 200_000  # word answers kept in memory between chunks
EMPTY_FLAG = "empty"  # a unit without any text
_BAND = {Severity.ERROR: 0, Severity.WARNING: 1}
_SPREAD = 0.999  # of a band that the similarity spans: bands never meet, even rounded


class Scored(NamedTuple):
    row: Row
    score: float
    flags: str  # comma-separated finding kinds, "" when clean


def unit_score(similarity: float, findings: Iterable[Finding]) -> float:
    """The score of a unit from its similarity in [0, 1] and its findings (see the module docstring)."""
    band = 2
    for f in findings:
        band = min(band, _BAND.get(f.severity, 2))
    return round((band + _SPREAD * min(max(similarity, 0.0), 1.0)) / 3, 4)


def unit_flags(findings: Iterable[Finding], flag_on: str = "warning") -> str:
    floor = Severity(flag_on).rank
    return ",".join(sorted({f.kind for f in findings if f.severity.rank >= floor}))


class _Remembering:
    """The embedder as the pipeline sees it, remembering the vectors of one chunk's texts (so the units'
    similarities cost no second look-up, with or without a cache); `forget` at each chunk keeps memory bounded."""

    def __init__(self, inner: CachedEmbedder):
        self.inner = inner
        self.seen: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None,
              noted: bool = True) -> np.ndarray:
        mat = self.inner.embed(texts, progress=progress, noted=noted)
        if len(texts):
            for t, v in zip(texts, mat):
                self.seen.setdefault(t, v)
        return mat

    @property
    def notices(self) -> tuple[str, ...]:
        return self.inner.notices

    def forget(self) -> None:
        self.seen = {}


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def score_units(rows: Iterable[Row], settings=None, chunk: int = DEFAULT_CHUNK, *, name: str = "bitext",
                files: Mapping[str, Path] | None = None, path: Path | None = None, flag_on: str = "warning",
                embedder: CachedEmbedder | None = None, progress: Callable[[int], None] | None = None,
                notices: list[str] | None = None) -> Iterator[Scored]:
    """(row, score, flags) per unit, in input order, streamed chunk by chunk.

    The languages are those of the first unit (a later unit's missing side is empty, its other keys ignored; an
    `id` whose first value reads like an identifier is not Indonesian).
    `files` (Moses) or `path` (a table or JSONL) name where findings live (else `name`). `notices` collects, once each, what the
    pipeline has to say (a read-only cache, …). Raises InputError when the first unit has fewer than two
    languages, or what the row reader raises.
    """
    from consistency.cache import Cache  # noqa: PLC0415
    from consistency.formats import bitext_document  # noqa: PLC0415
    from consistency.pipeline import Settings  # noqa: PLC0415

    settings = settings or Settings()
    if files is None and path is None:
        path = Path(name)  # where findings are said to be when the rows come from elsewhere
    if chunk < 1:
        raise InputError(f"the chunk size must be at least 1, got {chunk}")
    Severity(flag_on)  # a bad value fails before any work
    cache: Cache | None = None
    try:
        if embedder is None:
            cache = settings.cache()
            embedder = CachedEmbedder(lambda: make_embedder(settings.embedder), settings.embedder, cache)
        memo = _Remembering(embedder)
        unrelated = UNRELATED_COSINE.get(settings.embedder, 0.0)
        langs: list[str] | None = None
        for batch in _chunks(rows, chunk):
            if langs is None:
                # The readers already left out an `id` column or key that holds identifiers (bitext.AMBIGUOUS).
                langs = list(batch[0].texts)
                if len(langs) < 2:
                    raise InputError(f"{name}: the first unit (line {batch[0].line}) names fewer than two "
                                     f"languages ({', '.join(langs) or 'none'}); a bitext needs two")
            batch = [replace(r, texts={lang: r.texts.get(lang, "") for lang in langs}) for r in batch]
            yield from _score_chunk(batch, settings, memo, unrelated, name, files, path, flag_on, notices,
                                    bitext_document)
            memo.forget()
            if len(lexicon._memo) > LEXICON_MEMO_LIMIT:
                # The checks' word answers of this process grow with the vocabulary, not the chunk; they are in
                # the cache as well, so a later chunk reads back what it needs.
                lexicon._memo.clear()
            if progress:
                progress(len(batch))
    finally:
        if cache is not None:
            cache.close()


def _score_chunk(batch: list[Row], settings, memo: _Remembering, unrelated: float, name: str,
                 files: Mapping[str, Path] | None, path: Path | None, flag_on: str, notices: list[str] | None,
                 bitext_document) -> Iterator[Scored]:
    from consistency.pipeline import check_renderings, segmented  # noqa: PLC0415

    doc = bitext_document(name, batch, dict(files) if files else None, settings.source, path)
    renderings = segmented(doc.sources)
    findings: tuple[Finding, ...] = doc.findings
    if sum(bool(r.sentences) for r in renderings) >= 2:
        result = check_renderings(renderings, settings, None, memo, name, given=doc.groups, stated=doc.findings,
                                  source=doc.source_lang)
        findings = result.findings
        if notices is not None:
            notices.extend(n for n in result.notices if n not in notices)
    by_unit: dict[int, list[Finding]] = {}
    line_to_unit = {row.line: i for i, row in enumerate(batch)}
    for f in findings:
        i = f.group - 1 if f.group is not None else line_to_unit.get(f.line) if f.line is not None else None
        if i is not None and 0 <= i < len(batch):
            by_unit.setdefault(i, []).append(f)
    vectors = _paragraph_vectors(renderings, memo)
    for i, row in enumerate(batch):
        mine = by_unit.get(i, [])
        if not any(t.strip() for t in row.texts.values()):
            yield Scored(row, 0.0, EMPTY_FLAG)
            continue
        sides = [vectors[lang][ps[0]] for lang, ps in sorted(doc.groups[i].items()) if ps]
        yield Scored(row, unit_score(_similarity(sides, unrelated), mine), unit_flags(mine, flag_on))


def _paragraph_vectors(renderings, memo: _Remembering) -> dict[str, dict[int, np.ndarray]]:
    """Each paragraph's vector (the normalised sum of its sentences' vectors), by language and ordinal."""
    out: dict[str, dict[int, np.ndarray]] = {}
    for r in renderings:
        missing = [s.text for s in r.sentences if s.text not in memo.seen]
        if missing:  # the checks did not run on this chunk (fewer than two languages with text)
            memo.embed(missing)
        sums: dict[int, np.ndarray] = {}
        for s in r.sentences:
            v = memo.seen[s.text].astype(np.float64)
            sums[s.paragraph] = sums[s.paragraph] + v if s.paragraph in sums else v
        out[r.lang] = {p: v / max(float(np.linalg.norm(v)), 1e-8) for p, v in sums.items()}
    return out


def _similarity(sides: list[np.ndarray], unrelated: float) -> float:
    if len(sides) < 2:
        return 0.0
    cosines = [float(sides[a] @ sides[b]) for a in range(len(sides)) for b in range(a + 1, len(sides))]
    value = (float(np.mean(cosines)) - unrelated) / max(1.0 - unrelated, 1e-6)
    return round(min(max(value, 0.0), 1.0), 4)


# --- inputs and writers --------------------------------------------------------------------------------------------

class Input(NamedTuple):
    kind: str  # moses | table | jsonl
    name: str
    langs: tuple[str, ...]  # Moses: the languages in the order the files were given
    files: dict[str, Path] | None  # Moses
    path: Path | None  # table, JSONL


def bitext_input(paths: Sequence[Path], known: set[str]) -> Input:
    """What the paths are: line-aligned files (`corpus.de corpus.fr`, or a folder holding them), one TSV/CSV, or
    one JSONL file. Raises InputError otherwise."""
    paths = [Path(p) for p in paths]
    for p in paths:
        if not p.exists():
            raise InputError(f"no such file or folder: {display_path(p)}")
    if len(paths) == 1 and paths[0].is_dir():
        inside = sorted(p for p in paths[0].iterdir() if p.is_file() and p.suffix.lstrip(".").lower() in known)
        stems = {p.with_suffix("").name for p in inside}
        if len(stems) != 1:
            raise InputError(f"{display_path(paths[0])}: expected one line-aligned bitext (corpus.de, corpus.fr) "
                             f"in the folder, found {len(stems)} stems" + (f" ({', '.join(sorted(stems)[:4])})"
                                                                              if stems else ""))
        paths = inside
    for p in paths:
        if p.is_dir():
            raise InputError(f"{display_path(p)} is a folder; give the files of one bitext, or one folder")
    if len(paths) == 1:
        p = paths[0]
        suffix = p.suffix.lower()
        if suffix in bitext.TABLE_SUFFIXES:
            return Input("table", display_path(p), (), None, p)
        if suffix in bitext.JSONL_SUFFIXES:
            return Input("jsonl", display_path(p), (), None, p)
        raise InputError(f"{display_path(p)}: give line-aligned files (corpus.de corpus.fr), a .tsv/.csv with a "
                         "language per column, or a .jsonl file")
    files = bitext.moses_files(paths, known)
    if files is None:
        raise InputError("line-aligned files need one stem and a language code as extension each (corpus.de "
                         f"corpus.fr), got {', '.join(display_path(p) for p in paths[:4])}")
    return Input("moses", display_path(paths[0].with_suffix("")), tuple(files), files, None)


def input_rows(source: Input, known: set[str]) -> Iterator[Row]:
    if source.kind == "moses":
        return bitext.read_moses(source.files)  # type: ignore[arg-type]
    if source.kind == "table":
        return bitext.read_table(source.path, known)  # type: ignore[arg-type]
    return bitext.read_jsonl(source.path, known)  # type: ignore[arg-type]


def _cell(score: float) -> str:
    return f"{score:.4f}"


def write_moses(scored: Iterable[Scored], out: TextIO, langs: Sequence[str]) -> int:
    """`<text>\\t<text>…\\t<score>\\t<flags>` per unit, sides in `langs` order; a tab inside a text becomes a space
    (it would shift the columns)."""
    n = 0
    for row, score, flags in scored:
        out.write("\t".join([*(row.texts.get(lang, "").replace("\t", " ") for lang in langs), _cell(score),
                             flags]) + "\n")
        n += 1
    return n


def write_table(scored: Iterable[Scored], out: TextIO, path: Path) -> int:
    """The table as read, header kept, with `score` and `flags` columns added at the end."""
    delimiter = bitext.TABLE_SUFFIXES[path.suffix.lower()]
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    n = 0
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter, quoting=quoting)
        if delimiter == "\t":  # as read: no quoting, so no cell holds a tab or a line break
            write = lambda cells: out.write("\t".join(cells) + "\n")  # noqa: E731
        else:
            write = csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow
        header: list[str] | None = None
        for row, score, flags in scored:
            if header is None:
                header = next(reader, [])
                write([*header, "score", "flags"])
            cells = next(reader, None)
            if cells is None:  # the file changed under us
                raise InputError(f"{display_path(path)} changed while it was read")
            write([*cells, _cell(score), flags])
            n += 1
        if header is None:  # a header and no rows
            header = next(reader, None)
            if header is not None:
                write([*header, "score", "flags"])
    return n


def write_jsonl(scored: Iterable[Scored], out: TextIO, path: Path) -> int:
    """Each object as read, with `"score"` (a number) and `"flags"` (a string) set (replacing keys of those
    names); blank lines are not units and are not written."""
    n = 0
    with open(path, encoding="utf-8-sig") as fh:
        lines = (line for line in fh if line.strip())
        for row, score, flags in scored:
            line = next(lines, None)
            if line is None:
                raise InputError(f"{display_path(path)} changed while it was read")
            obj = json.loads(line)
            obj["score"] = round(score, 4)
            obj["flags"] = flags
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
            n += 1
    return n


def score_input(source: Input, out: TextIO, settings=None, chunk: int = DEFAULT_CHUNK, flag_on: str = "warning",
                known: set[str] | None = None, progress: Callable[[int], None] | None = None,
                notices: list[str] | None = None) -> int:
    """Score `source` and write it to `out` in its own format; the number of units written."""
    if known is None:
        from consistency.langid import known_codes  # noqa: PLC0415

        known = known_codes()
    scored = score_units(input_rows(source, known), settings, chunk, name=source.name, files=source.files,
                         path=source.path, flag_on=flag_on, progress=progress, notices=notices)
    if source.kind == "moses":
        return write_moses(scored, out, source.langs)
    if source.kind == "table":
        return write_table(scored, out, source.path)  # type: ignore[arg-type]
    return write_jsonl(scored, out, source.path)  # type: ignore[arg-type]


@contextmanager
def output_stream(path: Path | None) -> Iterator[TextIO]:
    """Where the scored bitext goes: stdout (None), streamed; a device or FIFO, written through; else a temporary
    file beside `path`, renamed over it only once everything is written (an error leaves `path` as it was)."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    from consistency.fileio import _file_mode, _resolved  # noqa: PLC0415

    target, st, through = _resolved(Path(path))
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "is a folder", str(path))
    if through:
        with open(target, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode(target))
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise

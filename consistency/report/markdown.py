"""Markdown for a pull-request comment or a job summary: a verdict line, a summary table, then the findings grouped
by aligned paragraph with links to their file and line, the evidence folded away, the whole kept under GitHub's
65,536-character limit for a comment.

Document text is untrusted (contributed, machine-translated, possibly hostile), and a comment is posted under the
bot's name, so it must stay inert: it can neither format, inject HTML, nor become a link. Markdown specials are
escaped; a word that GitHub would turn into a link even when escaped is put in a code span, where nothing is
processed: an extended autolink (`www.`, `http://`, an e-mail address, `xmpp:`, `mailto:`), an @mention and an
issue reference (`#12`, `GH-12`), whose filters run on the rendered text, after the escapes are gone."""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any, Iterator
from urllib.parse import quote

from consistency import __version__
from consistency.model import Corpus, Finding, Result
from consistency.report.common import (
    at_least, evidence_lines, excerpt, printable, printable_lines, span, where as place)
from consistency.report.json import summary

ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}
# Below GitHub's 65,536 characters for a comment, with room for what a bot adds around the report.
MAX_CHARS = 60_000
EVIDENCE = 400  # characters of one evidence line
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&@#$])")
# A word GitHub links whatever the escapes: extended autolinks (www., a scheme, an e-mail address), mentions
# (@name, @org/team) and issue references (#12, owner/repo#12, GH-12).
_LIVE = re.compile(r"@|://|www\.|#\d|\bgh-\d|\b(?:mailto|xmpp):", re.IGNORECASE)
_LINK_BASE = re.compile(r"https?://[^\s<>()\[\]\"'`\\]+")


def _code(token: str, table: bool) -> str:
    fence = "`" * (max((len(r) for r in re.findall(r"`+", token)), default=0) + 1)
    pad = " " if token.startswith("`") or token.endswith("`") else ""
    if table:
        token = token.replace("|", "\\|")  # a table row splits at | even inside a code span
    return f"{fence}{pad}{token}{pad}{fence}"


def md(text: str, table: bool = False) -> str:
    """Document text as inert Markdown, on one line."""
    out = []
    for token in printable(" ".join(text.split())).split(" "):
        out.append(_code(token, table) if _LIVE.search(token) else _SPECIAL.sub(r"\\\1", token))
    return " ".join(out)


def _link(f: Finding, result: Result | None, link_base: str | None) -> str:
    """'[path:line:col](path#Lline)': a link to the file and line, relative to the repository root (link_base, e.g.
    https://github.com/OWNER/REPO/blob/SHA/) or to the report; plain text for a path that is not relative."""
    s = span(f, result)
    label = md(f"{f.path}:{s.line}" + (f":{s.column}" if s.column else ""))
    path = PurePosixPath(f.path.replace("\\", "/"))
    if path.is_absolute() or re.match(r"[A-Za-z]:", f.path):
        return label
    url = quote(path.as_posix(), safe="/")
    if path.suffix.lower() in {".md", ".markdown"}:
        url += "?plain=1"  # GitHub shows a Markdown file rendered, without line anchors, unless asked for its source
    url += f"#L{s.line}" + (f"-L{s.end_line}" if s.end_line and s.end_line != s.line else "")
    return f"[{label}]({(link_base or '') + url})"


def _verdict(corpus: Corpus, fail_on: str) -> str:
    if fail_on == "never":
        return f"✅ **Passed**: `--fail-on never` ({len(corpus.findings)} finding(s) reported)"
    failing = at_least(corpus.findings, fail_on)
    if not failing:
        return f"✅ **Passed**: no finding at or above `--fail-on {fail_on}`"
    counts = {}
    for f in failing:
        counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
    detail = ", ".join(f"{n} {sev}" for sev, n in sorted(counts.items(), key=lambda kv: -_RANK[kv[0]]))
    return (f"❌ **Failed**: {len(failing)} finding{'s' if len(failing) != 1 else ''} at or above "
            f"`--fail-on {fail_on}` ({detail})")


_RANK = {"error": 3, "warning": 2, "info": 1}


def _item(f: Finding, result: Result, link_base: str | None) -> list[str]:
    out = [f"- {ICON[f.severity.value]} **{f.kind}** {_link(f, result, link_base)} {place(f)} — {md(f.message)} "
           f"({f.score:.2f})  ",
           f"  “{md(excerpt(f.text, 160))}”"]
    lines = evidence_lines(f)
    if lines:
        out.append("  <details><summary>evidence</summary>\n")
        out += [f"  - {md(excerpt(line, EVIDENCE))}" for line in lines]
        out.append("\n  </details>")
    return out


def _group_heading(result: Result, index: int | None) -> list[str]:
    if index is None:
        return ["", "#### elsewhere", ""]
    g = next(g for g in result.paragraph_groups if g.index == index)
    members = " · ".join(f"{lang} ¶{','.join(map(str, ps))}" if ps else f"{lang} —" for lang, ps in g.members.items())
    return ["", f"#### §{g.index} — {md(members)}", ""]


@dataclass(frozen=True)
class _Entry:
    """One finding as the report lists it: `index` is its place among the corpus's listed findings (document
    order; the size cap keeps the most severe, earlier ones first among equals), `cost` what listing it adds."""

    index: int
    rank: int
    cost: int
    block: Any  # the finding's lines, as kept by the store


@dataclass(frozen=True)
class _Doc:
    head: Any  # the document's heading and table
    listed: int  # findings at or above the listing's severity
    groups: tuple[tuple[Any, tuple[_Entry, ...]], ...]  # each aligned paragraph's heading and findings, in order


class _MemoryStore:
    """Blocks of lines kept as strings (a whole-corpus render)."""

    def put(self, text: str) -> str:
        return text

    def close(self) -> None:
        pass

    def get(self, block: str) -> str:
        return block

    def size(self, block: str) -> int:
        return len(block)


class _FileStore(_MemoryStore):
    """Blocks of lines kept in an anonymous temporary file, only where each is in memory (a streamed run)."""

    def __init__(self) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile()

    def put(self, text: str) -> tuple[int, int, int]:  # type: ignore[override]
        data = text.encode("utf-8")
        at = self.file.seek(0, 2)
        self.file.write(data)
        return at, len(data), len(text)

    def get(self, block: tuple[int, int, int]) -> str:  # type: ignore[override]
        self.file.seek(block[0])
        return self.file.read(block[1]).decode("utf-8")

    def size(self, block: tuple[int, int, int]) -> int:  # type: ignore[override]
        return block[2]

    def close(self) -> None:
        self.file.close()


def _document(result: Result, min_severity: str, link_base: str | None, store: _MemoryStore, first: int) -> _Doc:
    """The document's blocks of lines; its listed findings are numbered from `first` (see _Entry)."""
    s = summary(result)
    sev = s["by_severity"]
    title = md(result.name) if result.name else "document"
    out = [f"### {title}: {s['findings']} finding{'' if s['findings'] == 1 else 's'} "
           f"({sev['error']} error, {sev['warning']} warning, {sev['info']} info)", "",
           "| rendering | file | paragraphs | sentences | findings |", "|---|---|--:|--:|--:|"]
    for r in result.renderings:
        out.append(f"| {md(r.lang, table=True)} | {md(r.path, table=True)} | {len(r.paragraphs)} | "
                   f"{len(r.sentences)} | {s['by_lang'][r.lang]} |")
    if s["by_kind"]:
        out += ["", "By kind: " + ", ".join(f"`{k}` {v}" for k, v in s["by_kind"].items())]
    shown = at_least(result.findings, min_severity)
    hidden = len(result.findings) - len(shown)
    if hidden:
        out += ["", f"_{hidden} finding(s) below {min_severity} not listed._"]
    by_group: dict[Any, list] = {}
    for i, f in enumerate(shown, first):
        by_group.setdefault(f.group, []).append((f, i))
    groups = []
    for index in [g.index for g in result.paragraph_groups] + [None]:
        items = by_group.get(index)
        if items:
            entries = []
            for f, i in sorted(items, key=lambda fi: _rank_key(fi[0])):
                lines = printable_lines("\n".join(_item(f, result, link_base)))
                # What listing it costs, as the size cap has always counted it: its lines and room for a heading.
                entries.append(_Entry(i, f.severity.rank, len(lines) + 1 + 80, store.put(lines)))
            heading = printable_lines("\n".join(_group_heading(result, index)))
            groups.append((store.put(heading), tuple(entries)))
    return _Doc(store.put(printable_lines("\n".join(out))), len(shown), tuple(groups))


def _rank_key(f: Finding) -> tuple:
    return (-f.severity.rank, f.lang, f.sentence or 0, f.start or 0, f.kind)


def _frame(corpus: Corpus, fail_on: str, left_out: int) -> tuple[str, str]:
    """The report's lines before the documents and after them."""
    total = len(corpus.findings)
    head = [_verdict(corpus, fail_on), "",
            f"## consistency {__version__}: {total} finding{'s' if total != 1 else ''} in "
            f"{len(corpus.documents)} document{'s' if len(corpus.documents) != 1 else ''}"]
    if left_out:
        head += ["", f"_{left_out} finding{'s' if left_out != 1 else ''} left out to keep this report under "
                     f"{MAX_CHARS:,} characters (the most severe are listed): see the full report._"]
    if corpus.baselined:
        head += ["", f"_{corpus.baselined} known finding(s) suppressed by the baseline._"]
    tail: list[str] = []
    if corpus.unmatched:
        tail += ["", "### no counterpart (not checked)", ""]
        tail += [f"- {md(u.lang)} {md(u.path)} — {md(u.reason)}" for u in corpus.unmatched]
    return printable_lines("\n".join(head)), printable_lines("\n".join(tail))


def _pieces(docs: list[_Doc], keep) -> Iterator[tuple[str, Any]]:
    """Every block the report lists after its head, in order, with what goes before it (each document after an
    empty line); only the findings `keep` takes, a paragraph's heading only where one of them is listed."""
    for d in docs:
        yield "\n\n", d.head
        for heading, entries in d.groups:
            listed = [e for e in entries if keep(e)]
            if listed:
                yield "\n", heading
                for e in listed:
                    yield "\n", e.block


def _size(head: str, tail: str, docs: list[_Doc], store: _MemoryStore, keep) -> int:
    """Characters of the report _text writes."""
    return (len(head) + sum(len(before) + store.size(b) for before, b in _pieces(docs, keep))
            + (1 + len(tail) if tail else 0) + 1)


def _text(head: str, tail: str, docs: list[_Doc], store: _MemoryStore, keep) -> Iterator[str]:
    yield head
    for before, b in _pieces(docs, keep):
        yield before + store.get(b)
    if tail:
        yield "\n" + tail
    yield "\n"


def _link_base(link_base: str | None, link_from: str | None) -> str | None:
    if link_base is not None:
        if not _LINK_BASE.fullmatch(link_base):
            raise ValueError(f"link base must be an http(s) URL without spaces or brackets: {link_base!r}")
        return link_base if link_base.endswith("/") else link_base + "/"
    if link_from:
        # The report is written to the folder link_from (relative to where the paths are): relative links climb
        # out of it. A folder outside the working directory gets no prefix (the links stay as the paths are).
        parts = PurePosixPath(link_from.replace("\\", "/")).parts
        if parts and not PurePosixPath(link_from).is_absolute() and ".." not in parts:
            return "../" * len([p for p in parts if p != "."]) or None
    return None


def _report(corpus: Corpus, docs: list[_Doc], store: _MemoryStore, fail_on: str, max_chars: int) -> Iterator[str]:
    """The report of `corpus` from its documents' blocks, under `max_chars`: whole findings are left out, the
    least severe first (then the later ones), to stay under it."""
    head, tail = _frame(corpus, fail_on, 0)
    if _size(head, tail, docs, store, lambda e: True) <= max_chars:
        return _text(head, tail, docs, store, lambda e: True)
    entries = [e for d in docs for _, es in d.groups for e in es]
    listed = sum(d.listed for d in docs)
    head, tail = _frame(corpus, fail_on, listed)
    budget = max_chars - _size(head, tail, docs, store, lambda e: False)
    used, kept = 0, []
    for e in sorted(entries, key=lambda e: (-e.rank, e.index)):
        if used + e.cost > budget:
            break
        used += e.cost
        kept.append(e.index)
    while True:
        ids = set(kept)
        head, tail = _frame(corpus, fail_on, listed - len(kept))
        keep = (lambda e, ids=ids: e.index in ids)
        if _size(head, tail, docs, store, keep) <= max_chars:
            return _text(head, tail, docs, store, keep)
        if not kept:  # the tables alone are too long (thousands of documents): cut at a line
            text = "".join(_text(head, tail, docs, store, keep))
            cut = text[: max_chars - 200].rsplit("\n", 1)[0]
            return iter([cut + "\n\n_… report cut here to stay under the size limit: see the full report._\n"])
        kept = kept[: len(kept) - max(1, len(kept) // 10)]


def render(corpus: Corpus, min_severity: str = "warning", fail_on: str = "error", link_base: str | None = None,
           max_chars: int = MAX_CHARS, link_from: str | None = None, **_: Any) -> str:
    """link_from: the folder (relative to the working directory) the report is written to, for relative links.
    link_base: the URL the file paths are relative to in links (for a PR comment:
    https://github.com/OWNER/REPO/blob/SHA/); without it the links are relative to the report.
    max_chars: the report's size cap; whole findings are left out, the least severe first, to stay under it.
    Raises ValueError for a link base that is not an http(s) URL."""
    built = Stream(min_severity, fail_on, link_base, max_chars, link_from, store=_MemoryStore())
    for d in corpus.documents:
        built.add(d)
    return "".join(built.chunks(corpus))


class Stream:
    """The report built as documents come (consistency/report/stream.py): each document's blocks go to a
    temporary file as it is checked, and only their places and sizes stay in memory; `chunks` writes the report
    `render` would write for the whole corpus, byte for byte (`render` is this with its blocks kept in memory:
    `store`). Raises ValueError as `render` does."""

    def __init__(self, min_severity: str = "warning", fail_on: str = "error", link_base: str | None = None,
                 max_chars: int = MAX_CHARS, link_from: str | None = None, store: _MemoryStore | None = None,
                 **_: Any) -> None:
        self._base = _link_base(link_base, link_from)
        self._min_severity, self._fail_on, self._max_chars = min_severity, fail_on, max_chars
        self._store = store or _FileStore()
        self._docs: list[_Doc] = []
        self._first = 0

    @property
    def file(self) -> IO[bytes]:
        """The spool (a streamed run's store only)."""
        return self._store.file  # type: ignore[attr-defined]

    def add(self, result: Result) -> None:
        self._docs.append(_document(result, self._min_severity, self._base, self._store, self._first))
        self._first += self._docs[-1].listed

    def chunks(self, corpus: Corpus) -> Iterator[str]:
        """The report of `corpus` (the run's documents, slimmed: their findings and counts)."""
        try:
            yield from _report(corpus, self._docs, self._store, self._fail_on, self._max_chars)
        finally:
            self._store.close()

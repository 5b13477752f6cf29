"""Load stage: find the renderings, read them safely, tell their language, cut them into paragraphs."""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Mapping

from consistency.errors import InputError, UnknownLanguageError
from consistency.model import Paragraph

TEXT_SUFFIXES = {".txt", ".text", ""}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES
# Bytes sniffed for the NUL pattern of UTF-16 without a byte-order mark (times 8); NULs anywhere in the decoded
# text make a file binary.
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Source:
    """A file that will become a rendering: its text cut into paragraphs, its language and how it was known."""

    path: str
    lang: str
    lang_from: str
    paragraphs: tuple[Paragraph, ...]


def display_path(path: Path) -> str:
    return path.as_posix()


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into their rendering files; keep files as given. Order is canonical (sorted)."""
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputError(f"no such file or folder: {display_path(p)}")
        if p.is_dir():
            try:
                found = sorted(
                    c for c in p.iterdir()
                    if c.is_file() and not c.name.startswith(".") and c.suffix.lower() in SUFFIXES
                    and c.name.lower() not in {"readme.md", "readme.txt", "readme"}
                )
            except OSError as exc:
                raise InputError(f"cannot read folder {display_path(p)}: {exc.strerror or exc}") from exc
            if not found:
                raise InputError(f"no renderings (.txt, .md, .html files) in folder {display_path(p)}")
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"not a regular file: {display_path(p)}")
    unique = sorted(set(files), key=lambda f: display_path(f))
    return unique


# Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
         (codecs.BOM_UTF8, "utf-8", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
         (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"))
# UTF-16 without a mark: in text of Latin, Cyrillic, Greek... script every other byte is NUL. A file whose
# even (or odd) bytes are NUL this often, and the other half almost never, is UTF-16 (LE or BE).
UTF16_NUL_SHARE = 0.3
UTF16_OTHER_NUL_SHARE = 0.01


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the NUL pattern of `data` (no byte-order mark) says UTF-16, else None."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:SNIFF_BYTES * 8]
    pairs = len(sample) // 2
    even = sample[0::2].count(0) / pairs
    odd = sample[1::2].count(0) / pairs
    if odd >= UTF16_NUL_SHARE and even <= UTF16_OTHER_NUL_SHARE:
        return "utf-16-le"
    if even >= UTF16_NUL_SHARE and odd <= UTF16_OTHER_NUL_SHARE:
        return "utf-16-be"
    return None


def decode(data: bytes, name: str) -> str:
    """The text of a file's bytes: UTF-8 (a byte-order mark dropped), or UTF-16/UTF-32 with a byte-order mark, or
    UTF-16 recognised by its NUL bytes; newlines as '\\n' (CRLF and a lone CR alike), Unicode in NFC (macOS and PDF
    tools write 'ü' as 'u' plus a combining diaeresis). Raises InputError with one line that says what to do."""
    encoding, label = "utf-8", "UTF-8"
    for bom, enc, lab in _BOMS:
        if data.startswith(bom):
            encoding, label, data = enc, lab, data[len(bom):]
            break
    else:
        guessed = _utf16_without_bom(data) if b"\x00" in data else None
        if guessed:
            encoding, label = guessed, "UTF-16"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if label == "UTF-8":
            if b"\x00" in data:
                raise InputError(f"{name} looks like a binary file, not text") from exc
            raise InputError(
                f"{name} is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); re-save it as UTF-8"
            ) from exc
        raise InputError(f"{name} is {label} but damaged at offset {exc.start}; re-save it as UTF-8") from exc
    if "\x00" in text:  # anywhere in the file, not only its first kilobytes
        raise InputError(f"{name} looks like a binary file, not text")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {display_path(path)}: {exc.strerror or exc}") from exc
    return decode(data, display_path(path))


# A language in a file name: lower-case language, then optionally a script ('Hant', 'Latn') and/or a region ('BR',
# '419'), joined by '-' or '_'.
_LANG_TAG = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{4})?(?:[-_](?:[A-Za-z]{2}|\d{3}))?$")


def lang_from_name(path: Path, known: set[str]) -> str | None:
    """`de.txt`, `essay.de.md`, `essay_de.txt`, `essay-pt_BR.txt`, `de_DE.txt`, `zh-Hant.md` → the BCP-47 tag in
    its standard form ('pt-BR'); else None. The language must be one of `known` or a valid two-letter code."""
    from consistency.langid import base, is_language_name, normalise_tag  # noqa: PLC0415

    stem = path.name
    while Path(stem).suffix.lower() in SUFFIXES - {""}:
        stem = stem[: -len(Path(stem).suffix)]
    parts = re.split(r"[._-]", stem)
    # The longest tag at the end of the name first: 'essay.zh-Hant-TW' → 'zh-Hant-TW', 'essay-pt_BR' → 'pt-BR'.
    candidates = ["-".join(parts[-k:]) for k in (3, 2, 1) if len(parts) >= k]
    for cand in candidates:
        if not _LANG_TAG.match(cand):
            continue
        tag = normalise_tag(cand)
        # A language lingua does not know counts as a bare two-letter code only ('km.txt', not 'to-do.txt').
        if tag is not None and (base(cand) in known or (cand == base(cand) and is_language_name(cand))):
            return tag
    return None


# --- paragraphs --------------------------------------------------------------------------------------------------

RawParagraph = tuple[int, str, bool]  # (1-based line, text — a wrapped paragraph keeps its newlines, is heading)


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for i, line in enumerate(lines, 1):
        if line.strip():
            if not current:
                start = i
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def parse_plain(text: str) -> list[RawParagraph]:
    """One paragraph per line, or blank-line-separated paragraphs when the file has blank lines."""
    lines = text.split("\n")
    has_blank = any(not ln.strip() for ln in lines[:-1]) and sum(1 for ln in lines if ln.strip()) > 1
    if not has_blank:
        return [(i, ln.strip(), False) for i, ln in enumerate(lines, 1) if ln.strip()]
    return [(start, "\n".join(ln.strip() for ln in block), False) for start, block in _blocks(lines)]


_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_MD_LIST = re.compile(r"^\s{0,3}([-*+]|\d{1,9}[.)])\s+")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images → alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links → text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<[^>\n]+>"), ""),  # inline HTML tags
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),
    (re.compile(r"`([^`]+)`"), r"\1"),
]


def _md_inline(line: str) -> str:
    for pattern, repl in _MD_INLINE:
        line = pattern.sub(repl, line)
    return line


def parse_markdown(text: str) -> list[RawParagraph]:
    """Markup stripped; headings, list items and paragraphs each count as a paragraph; code blocks are skipped."""
    out: list[RawParagraph] = []
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":  # YAML front matter
        for j in range(1, len(lines)):
            if lines[j].strip() in ("---", "..."):
                lines = [""] * (j + 1) + lines[j + 1 :]
                break
    buf: list[str] = []
    start = 0
    in_fence = False

    def flush() -> None:
        nonlocal buf
        if buf:
            joined = "\n".join(_md_inline(b).strip() for b in buf).strip()
            if joined:
                out.append((start, joined, False))
        buf = []

    for i, line in enumerate(lines, 1):
        if _MD_FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence or line.startswith("    ") and not buf:
            continue
        if not line.strip() or line.strip().startswith("<!--"):
            flush()
            continue
        m = _MD_HEADING.match(line)
        if m:
            flush()
            out.append((i, _md_inline(m.group(2)).strip(), True))
            continue
        if _MD_SETEXT.match(line) and buf:
            heading_start, heading = start, " ".join(_md_inline(b).strip() for b in buf)
            buf = []
            out.append((heading_start, heading, True))
            continue
        stripped = _MD_QUOTE.sub("", line)
        if _MD_LIST.match(stripped):
            flush()
            stripped = _MD_LIST.sub("", stripped)
        if not buf:
            start = i
        buf.append(stripped)
    flush()
    return [(ln, t, h) for ln, t, h in out if t]


class _HTMLParagraphs(HTMLParser):
    BLOCKS = {"p", "li", "blockquote", "dd", "dt", "td", "th", "figcaption", "caption"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "title"}
    SKIP = {"script", "style", "noscript", "template", "pre", "code"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[RawParagraph] = []
        self._buf: list[str] = []
        self._start = 0
        self._heading = False
        self._skip = 0

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._buf)).strip()
        if text:
            self.out.append((self._start, text, self._heading))
        self._buf = []
        self._heading = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCKS or tag in self.HEADINGS or tag in {"div", "section", "article", "br"}:
            self._flush()
            self._start = self.getpos()[0]
            self._heading = tag in self.HEADINGS

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS or tag in self.HEADINGS or tag in {"div", "section", "article"}:
            self._flush()

    def handle_data(self, data):
        if self._skip:
            return
        if not self._buf and data.strip():
            self._start = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
        self._buf.append(data)


def parse_html(text: str) -> list[RawParagraph]:
    parser = _HTMLParagraphs()
    parser.feed(text)
    parser.close()
    parser._flush()
    return parser.out


def parse(path: Path, text: str) -> list[RawParagraph]:
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return parse_markdown(text)
    if suffix in HTML_SUFFIXES:
        return parse_html(text)
    return parse_plain(text)


def load_file(path: Path, lang: str | None = None, known: set[str] | None = None) -> Source:
    """One rendering: its text cut into paragraphs, its language from `lang`, the file name, or the text."""
    from consistency import langid  # noqa: PLC0415

    raw = _raw_paragraphs(path)
    how = "option"
    if lang is None:
        lang, how = lang_from_name(path, known if known is not None else langid.known_codes()), "name"
    if lang is None:
        guess, confidence = langid.detect_document("\n".join(t for _, t, _ in raw))
        if guess is None or confidence < langid.MIN_FILE_CONFIDENCE:
            raise UnknownLanguageError(
                f"cannot tell the language of {display_path(path)}; name it like de.txt or pass --lang {path.name}=CODE"
            )
        lang, how = guess, "detected"
    return Source(display_path(path), lang, how, _paragraphs(raw))


def read_paragraphs(path: Path) -> tuple[Paragraph, ...]:
    """The paragraphs `load_file` cuts `path` into, read again (a planned document's text is re-read when it is
    checked, so that a corpus's text is never held whole). Raises InputError as `load_file` does."""
    return _paragraphs(_raw_paragraphs(path))


def _raw_paragraphs(path: Path) -> list:
    raw = parse(path, read_text(path))
    if not raw:
        raise InputError(f"{display_path(path)} has no text")
    return raw


def _paragraphs(raw: list) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(index=i, line=ln, text=t.replace("\n", " "), heading=h,
                           breaks=tuple(k + 1 for k, ch in enumerate(t) if ch == "\n"))
                 for i, (ln, t, h) in enumerate(raw, 1))


def load_sources(paths: Iterable[str | Path], overrides: Mapping[str, str] | None = None,
                 min_renderings: int = 2) -> list[Source]:
    """Read every rendering; the language comes from `overrides`, then the file name, then detection."""
    from consistency import langid  # noqa: PLC0415

    overrides = dict(overrides or {})
    files = discover(paths)
    known = langid.known_codes()
    check_overrides(overrides, files, known)
    sources = [load_file(f, _override_for(f, overrides), known) for f in files]
    by_lang: dict[str, str] = {}
    for s in sources:
        if s.lang in by_lang:
            raise InputError(f"two renderings in language '{s.lang}': {by_lang[s.lang]} and {s.path}; "
                             f"a document has one rendering per language")
        by_lang[s.lang] = s.path
    if len(sources) < min_renderings:
        found = sources[0].path if sources else "nothing"
        raise InputError(f"need at least {min_renderings} renderings to compare, found {len(sources)} ({found})")
    return sorted(sources, key=lambda s: (s.lang, s.path))


def check_overrides(overrides: Mapping[str, str], files: Iterable[Path], known: set[str]) -> None:
    files = list(files)
    unused = sorted(k for k in overrides if not any(_matches(f, k) for f in files))
    if unused:
        raise InputError(f"--lang names a file that is not among the inputs: {unused[0]}")
    from consistency.langid import tag_problem  # noqa: PLC0415

    for code in sorted(overrides.values(), key=str):
        problem = tag_problem(code)
        if problem:
            raise InputError(f"--lang: {problem}")


def _matches(path: Path, key: str) -> bool:
    return key in (path.name, display_path(path), str(path)) or Path(key).resolve() == path.resolve()


def _override_for(path: Path, overrides: Mapping[str, str]) -> str | None:
    from consistency.langid import normalise_tag  # noqa: PLC0415

    for key, code in overrides.items():
        if _matches(path, key):
            return normalise_tag(code) or code.lower()
    return None

"""Subtitles (SRT, WebVTT, and what else pysubs2 reads): cues with their times and lines, aligned across languages
by time, never by text; timestamps and cue numbers never reach the checks as text."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from consistency.errors import InputError

EXTENSIONS = {".srt", ".vtt"}
# Two cues render the same speech when they share at least this fraction of the shorter one's duration. Translated
# subtitle files keep the source's timing or re-split a cue in two; half the shorter cue separates both cases from
# neighbouring cues, which touch but do not overlap (measured on Debian's translated SRT samples is not possible:
# none ship; the value is the usual one in subtitle-alignment tools such as alass/subaligner's overlap filters).
MIN_OVERLAP = 0.5
_TIMING = re.compile(r"\d+:\d{2}[:.,]\d{2}[.,]\d{3}\s*-->|\d{1,2}:\d{2}[.,]\d{3}\s*-->")


@dataclass(frozen=True)
class Cue:
    start: int  # milliseconds
    end: int
    text: str
    line: int  # 1-based line of the cue's first text line


def read_subtitles(path: Path) -> list[Cue]:
    """The cues of an SRT or WebVTT file, in time order, markup stripped (`<i>`, `{\\an8}`), one line per line.

    Raises InputError for a file pysubs2 cannot parse.
    """
    import pysubs2  # noqa: PLC0415

    try:
        text = path.read_text(encoding="utf-8-sig")
        subs = pysubs2.SSAFile.from_string(text, format_="vtt" if path.suffix.lower() == ".vtt" else "srt")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    except Exception as exc:  # noqa: BLE001 - pysubs2 raises its own and ValueError
        raise InputError(f"{path} is not a valid subtitle file: {exc}") from exc
    lines = _text_lines(text)
    events = [e for e in subs.events if not e.is_comment]
    if len(lines) != len(events):
        lines = [0] * len(events)
    vtt = path.suffix.lower() == ".vtt"
    return [Cue(e.start, e.end, _plain(e.text, vtt), line) for e, line in zip(events, lines)]


# pysubs2 turns SRT/VTT markup (<i>, <b>, <font>) into ASS override blocks, which always start with a backslash
# ({\i1}, {\an8}). Its `plaintext` drops every {...}, which would erase text in braces ({name}, an ICU plural).
_OVERRIDE = re.compile(r"\{\\[^{}]*\}")


def _plain(text: str, vtt: bool) -> str:
    """A cue's text without override blocks, on one line; WebVTT's character references (&amp;) decoded."""
    text = _OVERRIDE.sub("", text).replace("\\h", " ").replace("\\N", " ").replace("\\n", " ")
    if vtt:
        text = html.unescape(text)
    return " ".join(text.split())


def _text_lines(text: str) -> list[int]:
    """Line of the text under each timing line (the line after `-->`)."""
    return [n + 1 for n, line in enumerate(text.splitlines(), 1) if _TIMING.search(line)]


def _overlap(a: Cue, b: Cue) -> float:
    shared = min(a.end, b.end) - max(a.start, b.start)
    shorter = max(1, min(a.end - a.start, b.end - b.start))
    return shared / shorter


def time_groups(tracks: Mapping[str, Sequence[Cue]]) -> list[dict[str, list[int]]]:
    """Groups of cue indices (0-based, per language) that render the same speech, in time order.

    Cues of different languages that overlap by MIN_OVERLAP of the shorter one are linked; a group is a connected
    component, so a cue split in two in one language groups with the one cue of the others. A cue that overlaps
    nothing is a group of its own (its language alone): the checks see it as a cue without counterpart.
    """
    nodes = [(c.start, c.end, lang, i) for lang, cues in tracks.items() for i, c in enumerate(cues)]
    nodes.sort()
    parent = list(range(len(nodes)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # Sweep in start order: only cues still open can overlap the next one, so the work is linear in cues for
    # ordinary subtitles (a handful open at a time).
    open_: list[int] = []
    for k, (start, _end, lang, i) in enumerate(nodes):
        open_ = [j for j in open_ if nodes[j][1] > start]
        cue = tracks[lang][i]
        for j in open_:
            other_lang, other_i = nodes[j][2], nodes[j][3]
            if other_lang != lang and _overlap(cue, tracks[other_lang][other_i]) >= MIN_OVERLAP:
                parent[find(k)] = find(j)
        open_.append(k)
    groups: dict[int, dict[str, list[int]]] = {}
    for k, (_s, _e, lang, i) in enumerate(nodes):
        groups.setdefault(find(k), {}).setdefault(lang, []).append(i)
    ordered = sorted(groups.values(), key=lambda g: min(tracks[lang][i].start for lang, ix in g.items() for i in ix))
    return [{lang: sorted(ix) for lang, ix in sorted(g.items())} for g in ordered]

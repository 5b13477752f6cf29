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
from pathlib import PurePosixPath
from typing import Any, Iterable
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


def _order(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity.rank, f.lang, f.sentence or 0, f.start or 0, f.kind))


def _group_heading(result: Result, index: int | None) -> list[str]:
    if index is None:
        return ["", "#### elsewhere", ""]
    g = next(g for g in result.paragraph_groups if g.index == index)
    members = " · ".join(f"{lang} ¶{','.join(map(str, ps))}" if ps else f"{lang} —" for lang, ps in g.members.items())
    return ["", f"#### §{g.index} — {md(members)}", ""]


def _document(result: Result, min_severity: str, keep, link_base: str | None) -> list[str]:
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
    for f in shown:
        if keep(f):
            by_group.setdefault(f.group, []).append(f)
    for index in [g.index for g in result.paragraph_groups] + [None]:
        items = by_group.get(index)
        if items:
            out += _group_heading(result, index)
            for f in _order(items):
                out += _item(f, result, link_base)
    return out


def _build(corpus: Corpus, min_severity: str, fail_on: str, link_base: str | None, keep=lambda f: True,
           left_out: int = 0) -> str:
    total = len(corpus.findings)
    out = [_verdict(corpus, fail_on), "",
           f"## consistency {__version__}: {total} finding{'s' if total != 1 else ''} in "
           f"{len(corpus.documents)} document{'s' if len(corpus.documents) != 1 else ''}"]
    if left_out:
        out += ["", f"_{left_out} finding{'s' if left_out != 1 else ''} left out to keep this report under "
                    f"{MAX_CHARS:,} characters (the most severe are listed): see the full report._"]
    if corpus.baselined:
        out += ["", f"_{corpus.baselined} known finding(s) suppressed by the baseline._"]
    for d in corpus.documents:
        out += [""] + _document(d, min_severity, keep, link_base)
    if corpus.unmatched:
        out += ["", "### no counterpart (not checked)", ""]
        out += [f"- {md(u.lang)} {md(u.path)} — {md(u.reason)}" for u in corpus.unmatched]
    return printable_lines("\n".join(out) + "\n")


def render(corpus: Corpus, min_severity: str = "warning", fail_on: str = "error", link_base: str | None = None,
           max_chars: int = MAX_CHARS, link_from: str | None = None, **_: Any) -> str:
    """link_from: the folder (relative to the working directory) the report is written to, for relative links.
    link_base: the URL the file paths are relative to in links (for a PR comment:
    https://github.com/OWNER/REPO/blob/SHA/); without it the links are relative to the report.
    max_chars: the report's size cap; whole findings are left out, the least severe first, to stay under it."""
    if link_base is not None:
        if not _LINK_BASE.fullmatch(link_base):
            raise ValueError(f"link base must be an http(s) URL without spaces or brackets: {link_base!r}")
        link_base = link_base if link_base.endswith("/") else link_base + "/"
    elif link_from:
        # The report is written to the folder link_from (relative to where the paths are): relative links climb
        # out of it. A folder outside the working directory gets no prefix (the links stay as the paths are).
        parts = PurePosixPath(link_from.replace("\\", "/")).parts
        if parts and not PurePosixPath(link_from).is_absolute() and ".." not in parts:
            link_base = "../" * len([p for p in parts if p != "."]) or None
    full = _build(corpus, min_severity, fail_on, link_base)
    if len(full) <= max_chars:
        return full
    # Too long: keep the most severe findings (in document order among equals) that fit, leave out the rest.
    shown = [(f, d) for d in corpus.documents for f in at_least(d.findings, min_severity)]
    priority = sorted(range(len(shown)), key=lambda i: (-shown[i][0].severity.rank, i))
    overhead = len(_build(corpus, min_severity, fail_on, link_base, keep=lambda f: False, left_out=len(shown)))
    budget, used, kept = max_chars - overhead, 0, []
    for i in priority:
        f, d = shown[i]
        cost = len("\n".join(_item(f, d, link_base))) + 1 + 80  # room for the group's heading
        if used + cost > budget:
            break
        used += cost
        kept.append(i)
    while True:
        ids = {id(shown[i][0]) for i in kept}
        text = _build(corpus, min_severity, fail_on, link_base, keep=lambda f: id(f) in ids,
                      left_out=len(shown) - len(kept))
        if len(text) <= max_chars:
            return text
        if not kept:  # the tables alone are too long (thousands of documents): cut at a line
            cut = text[: max_chars - 200].rsplit("\n", 1)[0]
            return cut + "\n\n_… report cut here to stay under the size limit: see the full report._\n"
        kept = kept[: len(kept) - max(1, len(kept) // 10)]

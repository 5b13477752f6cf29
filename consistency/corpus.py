"""Corpus layouts: which files are renderings of the same document. Part of the load stage.

- document: the paths are the renderings of one document (a folder of them, or several files);
- folders:  each subfolder is a document with one file per language;
- tree:     one subfolder per language (de/, fr/ …), files matched by their path below it;
- pile:     files anywhere below the folder, grouped by cross-lingual similarity of their paragraphs;
- auto:     a folder of renderings is a document; a folder of language folders is a tree; otherwise subfolders
            whose file names give distinct languages are documents and every other file goes on the pile.
A file that finds no counterpart is reported as unmatched, never force-aligned.
"""
from __future__ import annotations

import bisect
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

from consistency.errors import InputError, UnknownLanguageError
from consistency.load import (SUFFIXES, Source, _matches, _override_for, check_overrides, display_path,
                              lang_from_name, load_file, load_sources, read_paragraphs)
from consistency.model import Unmatched

LAYOUTS = ("auto", "document", "folders", "tree", "pile")
# Two files render the same document when their paragraphs match well (mean best cosine, e5-small: translations of
# the seed essay and of manual pages score 0.90–0.95, unrelated texts in other languages 0.78–0.83, a different
# article on the same story 0.86–0.87) and in the same order (mutual nearest paragraphs forming an increasing
# chain over at least half of the longer file: translations 0.7–1.0, unrelated texts under 0.25).
PILE_MIN_COS = 0.85
PILE_MIN_ORDER = 0.5

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Document:
    name: str
    sources: tuple[Source, ...]
    # For inputs that state their alignment (consistency/formats.py): paragraph groups, findings stated by the
    # input (empty or fuzzy entries), and the source language.
    groups: tuple[Mapping[str, tuple[int, ...]], ...] | None = None
    stated: tuple = ()
    source: str | None = None
    # False: the sources keep their path and language but not their text, which `loaded` reads again (a plan of a
    # large corpus holds no text; each document's is read when it is checked).
    held: bool = True
    # The key of each of `groups` (catalogue msgids, plural forms as 'msgid[n]'), when the input has keys.
    keys: tuple[str, ...] = ()

    def released(self) -> "Document":
        """This document without its text (prose files only: a catalogue's or bitext's units come from parsing
        the whole file, and keep theirs)."""
        if not self.held or self.groups is not None:
            return self
        return replace(self, sources=tuple(replace(s, paragraphs=()) for s in self.sources), held=False)

    def loaded(self) -> "Document":
        """This document with its text, read again from its files if it was released. Raises InputError for a
        file that can no longer be read or has lost its text since it was planned."""
        if self.held:
            return self
        return replace(self, sources=tuple(replace(s, paragraphs=read_paragraphs(Path(s.path)))
                                           for s in self.sources), held=True)


@dataclass(frozen=True)
class Plan:
    documents: tuple[Document, ...]
    unmatched: tuple[Unmatched, ...] = ()


_SKIPPED_NAMES = {"readme.md", "readme.txt", "readme"}


def _listdir(folder: str) -> list[os.DirEntry]:
    with os.scandir(folder) as it:
        return list(it)


def _files_below(folder: Path, given: Callable[[Path], bool] | None = None) -> list[Path]:
    """The rendering files below folder, at any depth, skipping hidden files and folders (and symlinked folders).
    A folder that cannot be listed is an error naming it: a check must not pass because part of the corpus became
    invisible (Path.rglob skips such folders silently)."""
    found: list[Path] = []
    pending = [os.fspath(folder)]
    while pending:
        here = pending.pop()
        try:
            entries = _listdir(here)
            for e in entries:
                if e.name.startswith("."):
                    continue
                if e.is_dir(follow_symlinks=False):
                    pending.append(e.path)
                elif (os.path.splitext(e.name)[1].lower() in SUFFIXES and e.name.lower() not in _SKIPPED_NAMES
                      and e.is_file()) or (given is not None and given(Path(e.path)) and e.is_file()):
                    found.append(Path(e.path))
        except OSError as exc:
            where = exc.filename if exc.filename is not None else here
            raise InputError(f"cannot read folder {display_path(Path(os.fsdecode(where)))}: "
                             f"{exc.strerror or exc}") from exc
    return sorted(found)


def _by_folder(root: Path, files: list[Path]) -> dict[str, list[Path]]:
    """The files below each top-level subfolder of root (at any depth), by folder name, in order."""
    out: dict[str, list[Path]] = {}
    for p in files:
        parts = p.relative_to(root).parts
        if len(parts) > 1:
            out.setdefault(parts[0], []).append(p)
    return dict(sorted(out.items()))


def _detect(root: Path, files: list[Path], known: set[str]) -> str:
    subs = _by_folder(root, files)
    if not subs:
        return "document"
    if len(subs) >= 2 and all(name.lower() in known for name in subs):
        return "tree"
    loose = any(p.parent == root for p in files)
    return "folders" if not loose and all(
        _is_document_folder(root / name, below, known) for name, below in subs.items()) else "mixed"


def _is_document_folder(folder: Path, below: list[Path], known: set[str]) -> bool:
    """Two or more files directly in it, nothing deeper, and file names that give distinct languages."""
    here = [p for p in below if p.parent == folder]
    langs = [lang_from_name(p, known) for p in here]
    return len(here) >= 2 and len(here) == len(below) and None not in langs and len(set(langs)) == len(langs)


def plan(paths: Sequence[str | Path], layout: str = "auto", overrides: Mapping[str, str] | None = None,
         embed: Embed | None = None, pivot: str = "en", source: str | None = None) -> Plan:
    """The documents under the paths and the files that found no counterpart. Catalogues, subtitles and bitexts
    (consistency/formats.py) form documents of their own, aligned as the input states; the other files follow
    `layout`. Raises InputError for missing paths, unreadable folders and files, or nothing to compare."""
    from consistency import formats, langid  # noqa: PLC0415

    paths = [Path(p) for p in paths]
    overrides = dict(overrides or {})
    for p in paths:
        if not p.exists():
            raise InputError(f"no such file or folder: {display_path(p)}")
    if layout not in LAYOUTS:
        raise InputError(f"unknown --layout {layout!r}; choose from {', '.join(LAYOUTS)}")
    single = len(paths) == 1 and paths[0].is_dir()
    known = langid.known_codes()
    is_given = lambda p: formats.is_given(p, known)  # noqa: E731
    # One walk of the tree serves every decision below.
    found = _files_below(paths[0], is_given) if single else [p for p in paths if p.is_file()]
    special = [p for p in found if is_given(p)]
    if special:
        return _with_given(paths[0] if single else Path("."), [p for p in found if not is_given(p)], special,
                           overrides, embed, known, pivot, source)
    files = found if single else []
    kind = layout if layout != "auto" else _detect(paths[0], files, known) if single else "document"
    if kind == "document":
        files = [p.resolve() for p in paths]
        parents = {p.parent for p in files if p.is_file()}
        name = files[0].name if len(files) == 1 and files[0].is_dir() else (
            parents.pop().name if len(parents) == 1 else "")
        return Plan((Document(name, tuple(load_sources(paths, overrides))),))
    if not single:
        raise InputError(f"--layout {kind} takes one folder")
    root = paths[0]
    check_overrides(overrides, files, known)
    subs = _by_folder(root, files)
    if kind == "tree":
        return _tree(root, subs, files, overrides, known)
    docs: list[Document] = []
    unmatched: list[Unmatched] = []
    pile: list[Path] = []
    for name, below in subs.items():
        sub = root / name
        if kind == "folders" or (kind == "mixed" and _is_document_folder(sub, below, known)):
            here = [p for p in below if p.parent == sub]
            docs.append(Document(name, tuple(load_sources([sub], _naming(overrides, here), min_renderings=1))))
            unmatched += [Unmatched(display_path(p), "", "in a folder below a document folder")
                          for p in below if p.parent != sub]
        else:
            pile += below
    loose = [p for p in files if p.parent == root]
    if kind == "folders":
        unmatched += [Unmatched(display_path(p), "", "not in a document folder") for p in loose]
    else:
        pile += loose
    if kind == "pile":
        docs, unmatched, pile = [], [], files
    unmatched += [Unmatched(d.sources[0].path, d.sources[0].lang, "the only rendering in its folder")
                  for d in docs if len(d.sources) < 2]
    docs = [d for d in docs if len(d.sources) >= 2]
    if pile:
        grouped, left = _group_pile([_load(p, overrides, known) for p in pile], embed)
        docs += grouped
        unmatched += left
    return _checked(root, docs, unmatched)


def _with_given(root: Path, plain: list[Path], special: list[Path], overrides: Mapping[str, str],
                embed: Embed | None, known: set[str], pivot: str, source: str | None) -> Plan:
    """Catalogue, subtitle and bitext documents, plus the plain renderings' own plan when there are any."""
    from consistency.formats import given_documents  # noqa: PLC0415

    check_overrides(overrides, [*plain, *special], known)
    given, unmatched = given_documents(special, known, pivot, source, lambda p: _override_for(p, overrides))
    docs = [Document(g.name, g.sources, g.groups, g.findings, g.source_lang, keys=g.keys) for g in given]
    if plain:
        inner = _plain_plan(plain, _naming(overrides, plain), embed, known)
        docs += inner.documents
        unmatched += inner.unmatched
    return _checked(root, docs, list(unmatched))


def _naming(overrides: Mapping[str, str], files: Sequence[Path]) -> dict[str, str]:
    """The --lang overrides that name one of `files` (the rest name files another part of the plan reads)."""
    return {k: v for k, v in overrides.items() if any(_matches(p, k) for p in files)}


def _plain_plan(plain: list[Path], overrides: Mapping[str, str], embed: Embed | None, known: set[str]) -> Plan:
    """The plan of the prose files beside the special ones: a document of them when they are the files given or
    the renderings of one folder, else the pile."""
    try:
        if len({p.parent for p in plain}) == 1:
            return Plan((Document(plain[0].parent.name, tuple(load_sources(plain, overrides))),))
        grouped, left = _group_pile([_load(p, overrides, known) for p in plain], embed)
        return Plan(tuple(grouped), tuple(left))
    except InputError as exc:
        return Plan((), tuple(Unmatched(display_path(p), "", str(exc)) for p in plain))


def _checked(root: Path, docs: list[Document], unmatched: list[Unmatched]) -> Plan:
    if not docs:
        raise InputError(f"no document in {display_path(root)} has renderings in two languages"
                         + (f" ({len(unmatched)} file(s) without a counterpart)" if unmatched else ""))
    docs = [d.released() for d in _unique_names(docs)]
    return Plan(tuple(sorted(docs, key=lambda d: d.name)), tuple(sorted(unmatched, key=lambda u: u.path)))


def _unique_names(docs: list[Document]) -> list[Document]:
    """Documents whose names clash get longer ones: the folder holding their renderings with as many of its parent
    folders as it takes to tell them apart, else that folder and the files' names (language tags dropped), else a
    number. Deterministic: it depends on the sources only."""
    counted = Counter(d.name for d in docs)
    clashing = {n for n, c in counted.items() if c > 1}
    if not clashing:
        return docs
    taken = {n for n in counted if n not in clashing}
    out = list(docs)
    for name in sorted(clashing):
        left = sorted((i for i, d in enumerate(docs) if d.name == name),
                      key=lambda i: [s.path for s in docs[i].sources])
        for paths in ({i: _common_folder(docs[i]).parts for i in left},
                      {i: (*_common_folder(docs[i]).parts, "+".join(dict.fromkeys(_stem(s) for s in docs[i].sources)))
                       for i in left}):
            for k in range(1, max((len(p) for p in paths.values()), default=0) + 1):
                cands = {i: Path(*paths[i][-k:]).as_posix() for i in left if paths[i]}
                counts = Counter(cands.values())
                for i, c in cands.items():
                    if counts[c] == 1 and c not in taken:
                        out[i] = replace(docs[i], name=c)
                        taken.add(c)
                left = [i for i in left if i not in cands or out[i] is docs[i]]
        n = 0
        for i in left:  # nothing tells them apart: numbered, in the order of their paths
            n += 1
            while f"{name} ({n})" in taken:
                n += 1
            out[i] = replace(docs[i], name=f"{name} ({n})")
            taken.add(out[i].name)
    return out


def _stem(src: Source) -> str:
    stem = Path(src.path).stem
    for sep in ".-_":
        if stem.lower().endswith(f"{sep}{src.lang.lower()}"):
            return stem[: -len(src.lang) - 1]
    return stem


def _common_folder(doc: Document) -> Path:
    """The deepest folder holding every rendering of doc."""
    parents = [Path(s.path).parent.parts for s in doc.sources]
    common = []
    for parts in zip(*parents):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return Path(*common) if common else Path()


def _load(path: Path, overrides: Mapping[str, str] | None, known: set[str]) -> Source | Unmatched:
    try:
        return load_file(path, _override_for(path, overrides or {}), known)
    except UnknownLanguageError:
        return Unmatched(display_path(path), "", "cannot tell its language")


def _key(path: Path, known: set[str]) -> str:
    """A file's path below its language folder, without a language tag in its name (intro.de.md → intro.md)."""
    lang = lang_from_name(path, known)
    name = path.name
    if lang:
        for sep in ".-_":
            for tag in (lang, lang.upper()):
                name = name.replace(f"{sep}{tag}.", ".")
    return (path.parent / name).as_posix()


def _tree(root: Path, subs: dict[str, list[Path]], files: list[Path], overrides: Mapping[str, str],
          known: set[str]) -> Plan:
    langs = [name for name in subs if name.lower() in known]
    if not langs:
        raise InputError(f"--layout tree: no language folders (de/, fr/ …) in {display_path(root)}")
    in_langs = {p for name in langs for p in subs[name]}
    unmatched = [Unmatched(display_path(p), "", "not in a language folder") for p in files if p not in in_langs]
    by_key: dict[str, list[Source]] = {}
    for name in langs:
        sub = root / name
        for p in subs[name]:
            given = _override_for(p, overrides)
            src = load_file(p, given or name.lower(), known)
            by_key.setdefault(_key(p.relative_to(sub), known), []).append(
                src if given else replace(src, lang_from="folder"))
    docs = []
    for key, sources in sorted(by_key.items()):
        seen: dict[str, Source] = {}
        for src in sorted(sources, key=lambda s: s.path):
            if src.lang in seen:
                unmatched.append(Unmatched(src.path, src.lang, f"a second {src.lang} file for {key} "
                                                               f"(after {seen[src.lang].path})"))
            else:
                seen[src.lang] = src
        if len(seen) >= 2:
            docs.append(Document(Path(key).with_suffix("").as_posix(), tuple(sorted(seen.values(),
                                                                                    key=lambda s: s.lang))))
        else:
            src = next(iter(seen.values()))
            unmatched.append(Unmatched(src.path, src.lang, "no file at the same path in another language"))
    return _checked(root, docs, unmatched)


def _order(sim: np.ndarray) -> float:
    """Mutual nearest paragraphs that keep their order, over the longer file's paragraphs."""
    best_j, best_i = sim.argmax(1), sim.argmax(0)
    chain: list[int] = []
    for i, j in enumerate(best_j):
        if best_i[j] == i:
            k = bisect.bisect_left(chain, j)
            chain[k:k + 1] = [j]
    return len(chain) / max(sim.shape)


# Work per block of the file-against-file similarity in a pile (entries: 16 MB as float32).
PILE_BLOCK_CELLS = 4_000_000
# Candidates of a file in each other language: the files whose mean paragraph vector is nearest (cosine). Only these
# pairs get the exact paragraph-level score, so that work grows with the number of files, not with the pairs that
# pass (1,000 near-identical documents in 3 languages pass in ~1.5 million pairs: reliability case 14). A file's
# partner is its nearest by that score; on the grouping benchmark it is the nearest by mean vector too (rank 1 of 8).
PILE_NEIGHBOURS = 8


def _candidate_pairs(vecs: list[np.ndarray], langs: list[str]) -> list[tuple[int, int]]:
    """The pairs (a, b), a < b, of files in different languages where b is among a's PILE_NEIGHBOURS nearest files
    of its language or a among b's (cosine of the files' mean paragraph vectors). The file vectors are compared all
    against all, a block of files at a time: P² dot products of one vector each (10,000 files ≈ 4·10^10
    multiply-adds, about a second), against P² products of whole paragraph matrices before."""
    means = np.stack([v.mean(0) for v in vecs]).astype(np.float32)
    means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
    names, lang_ids = np.unique(np.array(langs), return_inverse=True)
    columns = [np.flatnonzero(lang_ids == k) for k in range(len(names))]
    rows_per_block = max(1, PILE_BLOCK_CELLS // len(vecs))
    pairs: set[tuple[int, int]] = set()
    for a0 in range(0, len(vecs), rows_per_block):
        sim = means[a0:a0 + rows_per_block] @ means.T
        for k, cols in enumerate(columns):
            n = min(PILE_NEIGHBOURS, len(cols))
            part = sim[:, cols]
            top = np.argpartition(-part, n - 1, axis=1)[:, :n] if n < len(cols) else np.broadcast_to(
                np.arange(n), part.shape)
            for i, row in enumerate(top):
                a = a0 + i
                if lang_ids[a] == k:
                    continue
                for c in row:
                    b = int(cols[c])
                    pairs.add((a, b) if a < b else (b, a))
    return sorted(pairs)


def _pile_groups(langs: Sequence[str], score: Mapping[tuple[int, int], float]) -> list[int]:
    """Group files by their scores: the best-scoring pairs first, a pair joins when each file is the other's best
    partner in its language (ties: the higher index) and their groups share no language. Returns a group id per
    file. O(P log P) in the number P of scored pairs."""
    best: dict[tuple[int, str], tuple[float, int]] = {}
    for (a, b), sc in score.items():
        for x, y in ((a, b), (b, a)):
            key = (x, langs[y])
            if key not in best or (sc, y) > best[key]:
                best[key] = (sc, y)
    parent = list(range(len(langs)))
    group_langs = [{lang} for lang in langs]

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (a, b), _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0])):
        if best[(a, langs[b])][1] != b or best[(b, langs[a])][1] != a:
            continue
        ra, rb = root(a), root(b)
        if ra != rb and not group_langs[ra] & group_langs[rb]:
            parent[rb] = ra
            group_langs[ra] |= group_langs[rb]
    return [root(i) for i in range(len(langs))]


def _group_pile(items: list[Source | Unmatched], embed: Embed | None) -> tuple[list[Document], list[Unmatched]]:
    left = [u for u in items if isinstance(u, Unmatched)]
    sources = sorted((s for s in items if isinstance(s, Source)), key=lambda s: s.path)
    if len({s.lang for s in sources}) < 2 or embed is None:
        return [], left + [Unmatched(s.path, s.lang, "no file in another language") for s in sources]
    vecs = [embed([p.text for p in s.paragraphs]) for s in sources]
    langs = [s.lang for s in sources]
    score: dict[tuple[int, int], float] = {}
    for a, b in _candidate_pairs(vecs, langs):
        sim = vecs[a] @ vecs[b].T
        cos = (sim.max(1).mean() + sim.max(0).mean()) / 2
        order = _order(sim)
        if cos >= PILE_MIN_COS and order >= PILE_MIN_ORDER:
            score[(a, b)] = float(cos + order)
    roots = _pile_groups(langs, score)
    members: dict[int, list[Source]] = {}
    for i, s in enumerate(sources):
        members.setdefault(roots[i], []).append(s)
    docs = []
    for files in members.values():
        if len(files) < 2:
            left.append(Unmatched(files[0].path, files[0].lang, "no counterpart in another language"))
            continue
        parents = {Path(s.path).parent for s in files}
        name = parents.pop().name if len(parents) == 1 else Path(files[0].path).stem
        docs.append(Document(name, tuple(sorted(files, key=lambda s: (s.lang, s.path)))))
    return docs, left

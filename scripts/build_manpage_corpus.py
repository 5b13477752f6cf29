#!/usr/bin/env python3
"""Build a clean multilingual corpus from Debian's translated manual pages (for `consistency bench faults`).

Debian ships translations of the manual pages (manpages-de, manpages-fr, manpages-id, made with po4a, which keeps
the English page's structure paragraph for paragraph) beside the English originals (installed with their programs).
This script downloads the translation packages with `apt-get download` (no install, no root needed for the
download itself), renders every page shared by English and at least two translations with `man` at a very wide
line width (one paragraph per line), drops the translators' credit section, keeps only the languages whose section
and paragraph structure matches the English page exactly, and writes one folder per page:

    corpora/manpages/ls.1/{en,de,fr,id}.txt     (one paragraph per line)

The corpus itself is third-party text under its own licences: it is built on demand, never committed.

    python scripts/build_manpage_corpus.py [--out corpora/manpages] [--max-docs 80]
"""
from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGES = {"de": "manpages-de", "fr": "manpages-fr", "id": "manpages-id"}
# Sections that exist only in translations: the translators' credits.
CREDIT_SECTIONS = {"ÜBERSETZUNG", "TRADUCTION", "TERJEMAHAN", "TRANSLATION"}
# Pages whose English source cannot be rendered the same way (generated indexes, aliases) are skipped by these.
MIN_PARAGRAPHS = 8
MAX_PARAGRAPHS = 400


def download(workdir: Path, langs: list[str]) -> dict[str, Path]:
    roots = {}
    for lang in langs:
        pkg = PACKAGES[lang]
        subprocess.run(["apt-get", "download", pkg], cwd=workdir, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        deb = next(workdir.glob(f"{pkg}_*.deb"))
        target = workdir / lang
        subprocess.run(["dpkg-deb", "-x", str(deb), str(target)], check=True)
        roots[lang] = target / "usr" / "share" / "man" / lang
    return roots


def pages(root: Path) -> dict[str, Path]:
    """'man1/ls.1.gz' style keys → files (symlinked aliases skipped)."""
    out = {}
    for f in root.glob("man*/*"):
        if f.is_file() and not f.is_symlink() and f.name.endswith(".gz"):
            out[f"{f.parent.name}/{f.name}"] = f
    return out


def is_alias(path: Path) -> bool:
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
        head = fh.read(200)
    return head.lstrip().startswith(".so ")


def render(path: Path) -> list[str]:
    env = dict(os.environ, MANWIDTH="4000", LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="0")
    proc = subprocess.run(["man", "--nh", "--nj", "-l", str(path)], env=env, capture_output=True)
    if proc.returncode != 0:
        return []
    text = subprocess.run(["col", "-bx"], input=proc.stdout, capture_output=True).stdout.decode("utf-8", "replace")
    lines = text.split("\n")
    # First and last non-blank lines are the running header and footer.
    body = [ln for ln in lines]
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    return body[1:-1]


def structure(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Sections (heading, paragraphs); every non-blank indented line is a paragraph."""
    sections: list[tuple[str, list[str]]] = []
    for line in lines:
        if not line.strip():
            continue
        text = re.sub(r"\s+", " ", line).strip()
        if not line.startswith(" "):
            sections.append((text, []))
        elif sections:
            sections[-1][1].append(text)
    return sections


def build(out: Path, max_docs: int, langs: list[str], english_root: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        roots = download(Path(tmp), langs)
        available = {lang: pages(root) for lang, root in roots.items()}
        english = pages(english_root)
        candidates = sorted(k for k in english if sum(k in available[lang] for lang in langs) >= 2)
        # Pages with every translation first, so the rarest language is always represented.
        candidates.sort(key=lambda k: -sum(k in available[lang] for lang in langs))
        written = 0
        for key in candidates:
            if written >= max_docs:
                break
            if is_alias(english[key]):
                continue
            en = structure(render(english[key]))
            n = sum(len(p) for _, p in en)
            if not (MIN_PARAGRAPHS <= n <= MAX_PARAGRAPHS):
                continue
            docs = {"en": en}
            for lang in langs:
                if key not in available[lang]:
                    continue
                tr = structure(render(available[lang][key]))
                if tr and tr[-1][0] in CREDIT_SECTIONS:
                    tr = tr[:-1]
                # po4a keeps the structure: a mismatch means another upstream version, not a clean rendering.
                if [len(p) for _, p in tr] == [len(p) for _, p in en]:
                    docs[lang] = tr
            if len(docs) < 3:
                continue
            name = key.split("/", 1)[1].removesuffix(".gz")
            folder = out / name
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            for lang, sections in docs.items():
                paras = [p for heading, body in sections for p in [heading, *body]]
                (folder / f"{lang}.txt").write_text("\n".join(paras) + "\n", encoding="utf-8")
            written += 1
        return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("corpora/manpages"))
    parser.add_argument("--max-docs", type=int, default=80)
    parser.add_argument("--langs", default="de,fr,id")
    parser.add_argument("--english-root", type=Path, default=Path("/usr/share/man"))
    args = parser.parse_args()
    if not shutil.which("apt-get") or not shutil.which("man"):
        sys.exit("needs apt-get and man (Debian or Ubuntu)")
    n = build(args.out, args.max_docs, args.langs.split(","), args.english_root)
    print(f"wrote {n} documents to {args.out}")


if __name__ == "__main__":
    main()

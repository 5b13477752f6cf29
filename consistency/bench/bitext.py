"""`consistency bench bitext`: throughput and peak memory of `consistency score` on an N-line Moses bitext.

The bitext is made by repeating real line pairs: the de/fr messages of the gettext catalogues this machine ships
(/usr/share/locale/{de,fr}/LC_MESSAGES/*.mo, aligned by msgctxt and msgid, read with polib), else the seed essay's
paragraphs aligned by position. Repeated lines are cache hits for the embedder (the default multilingual E5
embeds some 15 sentences a second on two CPU cores, which would make a million unseen lines a matter of days, not
a test of the checker): a warm-up run scores the pool once and fills the cache, and each size is then timed with
its embeddings cached, so the figure measures reading, checking, scoring and writing. Each size runs
`consistency score` in its own process, and its peak RSS is that process's own (os.wait4), so sizes can be
compared: constant memory means the same peak at every size.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

LOCALE = Path("/usr/share/locale")
SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds" / "deepseek-essay"
DEFAULT_POOL = 2000


def catalogue_pairs(limit: int, locale: Path = LOCALE, langs: tuple[str, str] = ("de", "fr")
                    ) -> list[tuple[str, str]]:
    """Up to `limit` (de, fr) message pairs from the compiled catalogues both languages have, in a fixed order
    (catalogue name, then entry order); single-line, tab-free, both sides non-empty."""
    try:
        import polib  # noqa: PLC0415
    except ImportError:
        return []
    a, b = (locale / lang / "LC_MESSAGES" for lang in langs)
    if not a.is_dir() or not b.is_dir():
        return []
    names = sorted({p.name for p in a.glob("*.mo")} & {p.name for p in b.glob("*.mo")})
    pairs: list[tuple[str, str]] = []
    for name in names:
        try:
            first, second = polib.mofile(str(a / name)), polib.mofile(str(b / name))
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        other = {(e.msgctxt, e.msgid): e.msgstr for e in second if e.msgid and e.msgstr}
        for e in first:
            t = other.get((e.msgctxt, e.msgid))
            if e.msgid and e.msgstr and t and not any(c in e.msgstr + t for c in "\n\r\t"):
                pairs.append((e.msgstr, t))
                if len(pairs) >= limit:
                    return pairs
    return pairs


def seed_pairs(folder: Path = SEEDS) -> list[tuple[str, str]]:
    """The seed essay's de and fr paragraphs, paired by position after the French title line."""
    de = [x for x in (folder / "de.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
    fr = [x for x in (folder / "fr.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
    if len(fr) == len(de) + 1:
        fr = fr[1:]  # the French rendering has a title the German lacks
    return [(d.replace("\t", " "), f.replace("\t", " ")) for d, f in zip(de, fr)]


def real_pairs(limit: int = DEFAULT_POOL) -> tuple[list[tuple[str, str]], str]:
    pairs = catalogue_pairs(limit)
    if pairs:
        return pairs, f"{len(pairs)} de-fr message pairs of the gettext catalogues in {LOCALE}"
    pairs = seed_pairs()[:limit]
    return pairs, f"{len(pairs)} de-fr paragraph pairs of the seed essay"


def write_bitext(folder: Path, lines: int, pairs: Sequence[tuple[str, str]]) -> list[Path]:
    """corpus.de and corpus.fr of `lines` lines, the pairs repeated in order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "corpus.de", folder / "corpus.fr"]
    with open(paths[0], "w", encoding="utf-8") as de, open(paths[1], "w", encoding="utf-8") as fr:
        for i in range(lines):
            d, f = pairs[i % len(pairs)]
            de.write(d + "\n")
            fr.write(f + "\n")
    return paths


def score_once(paths: Sequence[Path], out: Path, chunk: int, cache_dir: Path | None) -> dict:
    """Run `consistency score` in a child process: its wall time, its own peak RSS, the units written, and how
    many were flagged."""
    cmd = [sys.executable, "-m", "consistency", "score", *map(str, paths), "-o", str(out), "-q",
           "--chunk", str(chunk)] + (["--cache-dir", str(cache_dir)] if cache_dir is not None else [])
    err = out.with_suffix(".stderr")
    with open(err, "wb") as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        message = err.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        raise RuntimeError(f"consistency score exited {proc.returncode}: {message[-1] if message else ''}")
    units = flagged = 0
    with open(out, encoding="utf-8") as fh:
        for line in fh:
            units += 1
            flagged += not line.endswith("\t\n")
    return {"lines": units, "wall_s": round(wall, 2), "lines_per_s": round(units / wall, 1) if wall else None,
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1), "flagged": flagged}


def run(sizes: Sequence[int], pool: int = DEFAULT_POOL, chunk: int = 2000, cache_dir: Path | None = None,
        workdir: Path | None = None) -> dict:
    pairs, origin = real_pairs(pool)
    if not pairs:
        raise RuntimeError("no real line pairs: neither gettext catalogues for de and fr nor the seed essay")
    with tempfile.TemporaryDirectory(prefix="bench-bitext-", dir=workdir) as tmp:
        root = Path(tmp)
        warm = score_once(write_bitext(root / "warm", len(pairs), pairs), root / "warm.tsv", chunk, cache_dir)
        runs = []
        for n in sizes:
            folder = root / f"n{n}"
            paths = write_bitext(folder, n, pairs)
            result = score_once(paths, root / f"n{n}.tsv", chunk, cache_dir)
            if result["lines"] != n:
                raise RuntimeError(f"{n} lines in, {result['lines']} out")
            runs.append(result)
            for p in [*paths, root / f"n{n}.tsv"]:
                p.unlink()
    return {"pairs": origin, "chunk": chunk, "warm_up": warm, "runs": runs,
            "rss_growth_mib": round(runs[-1]["peak_rss_mib"] - runs[0]["peak_rss_mib"], 1) if runs else None}

#!/usr/bin/env python3
"""Build a gettext tree from the compiled catalogues (.mo) this machine's packages ship, for an end-to-end run of
`consistency check` on real catalogues that nobody here wrote:

    corpora/mo/locale/<lang>/LC_MESSAGES/<domain>.mo

A domain is taken when at least --min-langs of --langs have it (default: all of them). Aliases (Debian's iso-codes
ships `iso_639.mo -> iso_639-2.mo` and the like) are taken once, under the name they point at. Domains with more
than --max-units messages (in the first language that has them) can be left out, and --max-domains keeps the N
largest of the rest, so a subset is deterministic: same /usr/share/locale, same tree. The files are copied, never
committed (corpora/ is git-ignored).

    python scripts/build_mo_corpus.py                                   # every de/fr/id domain
    python scripts/build_mo_corpus.py --max-units 2500 --max-domains 15 # the 15 largest below 2,500 messages
    consistency check corpora/mo --no-backtranslate -o report.json
    python scripts/build_mo_corpus.py --sample report.json --seed 0 --n 50 > to-label.jsonl   # the audit's sample
"""
from __future__ import annotations

import argparse
import json
import shutil
import struct
import sys
from pathlib import Path


def mo_count(path: Path) -> int:
    """The number of messages a .mo file holds (its header's N, the empty-msgid header entry included)."""
    with path.open("rb") as fh:
        head = fh.read(12)
    if len(head) < 12:
        return 0
    magic = struct.unpack("<I", head[:4])[0]
    order = "<" if magic == 0x950412DE else ">" if magic == 0xDE120495 else None
    if order is None:
        return 0
    return struct.unpack(order + "I", head[8:12])[0]


def domains(root: Path, lang: str) -> dict[str, Path]:
    """domain -> real file of one language; symlinked aliases are dropped when their target is in the folder."""
    folder = root / lang / "LC_MESSAGES"
    if not folder.is_dir():
        return {}
    out: dict[str, Path] = {}
    for path in sorted(folder.glob("*.mo")):
        if path.is_symlink() and path.resolve().parent == folder.resolve() and path.resolve().exists():
            continue  # an alias of another domain in the same folder
        if path.exists():
            out[path.stem] = path
    return out


def select(root: Path, langs: list[str], min_langs: int, max_units: int | None,
           max_domains: int | None, only: set[str] | None) -> list[tuple[str, dict[str, Path], int]]:
    """(domain, {lang: file}, messages) for the chosen domains, sorted by domain."""
    per_lang = {lang: domains(root, lang) for lang in langs}
    names = sorted(set().union(*per_lang.values()))
    chosen = []
    for name in names:
        files = {lang: per_lang[lang][name] for lang in langs if name in per_lang[lang]}
        if len(files) < min_langs or (only and name not in only):
            continue
        units = max(mo_count(p) for p in files.values()) - 1  # less the header entry
        if units <= 0 or (max_units is not None and units > max_units):
            continue
        chosen.append((name, files, units))
    if max_domains is not None:
        chosen = sorted(chosen, key=lambda c: (-c[2], c[0]))[:max_domains]
    return sorted(chosen)


def sample(report: Path, n: int, seed: int) -> list[dict]:
    """A seeded sample of the warnings and errors of a JSON report, in report order (document, then finding), as
    audit rows without a label (benchmarks/audit/mo-catalogues.jsonl was drawn so: --n 50 --seed 0)."""
    import random  # noqa: PLC0415

    found = []
    for doc in json.loads(report.read_text(encoding="utf-8"))["documents"]:
        for f in doc["findings"]:
            if f["severity"] in ("warning", "error"):
                src = next((c["text"] for c in f["evidence"].get("counterparts", []) if c["lang"] == "en"), "")
                found.append({"corpus": "mo-de-fr-id", "document": doc["document"], "lang": f["lang"],
                              "paragraph": f["paragraph"], "kind": f["kind"], "severity": f["severity"],
                              "score": f["score"], "text": f["text"][:120], "message": f["message"],
                              "msgid": src[:120]})
    picked = sorted(random.Random(seed).sample(range(len(found)), min(n, len(found))))
    return [found[i] for i in picked]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", type=Path, default=Path("/usr/share/locale"), help="where the catalogues are")
    ap.add_argument("--out", type=Path, default=Path("corpora/mo"), help="tree to write (replaced)")
    ap.add_argument("--langs", default="de,fr,id", help="comma-separated languages [de,fr,id]")
    ap.add_argument("--min-langs", type=int, help="languages a domain needs [all of --langs]")
    ap.add_argument("--max-units", type=int, help="leave out domains with more messages than this")
    ap.add_argument("--max-domains", type=int, help="keep the N largest domains left")
    ap.add_argument("--domains", help="comma-separated domains to take (and no others)")
    ap.add_argument("--sample", type=Path, metavar="REPORT", help="print a seeded sample of this JSON report's "
                    "warnings and errors as audit rows to label, and build nothing")
    ap.add_argument("--n", type=int, default=50, help="sample size [50]")
    ap.add_argument("--seed", type=int, default=0, help="sample seed [0]")
    args = ap.parse_args(argv)
    if args.sample:
        for row in sample(args.sample, args.n, args.seed):
            print(json.dumps(row, ensure_ascii=False))
        return 0
    langs = [lang.strip() for lang in args.langs.split(",") if lang.strip()]
    min_langs = args.min_langs or len(langs)
    only = {d.strip() for d in args.domains.split(",")} if args.domains else None
    chosen = select(args.src, langs, min_langs, args.max_units, args.max_domains, only)
    if not chosen:
        print(f"no domain in {args.src} is shared by {min_langs} of {', '.join(langs)}", file=sys.stderr)
        return 1
    if args.out.exists():
        shutil.rmtree(args.out)
    manifest = []
    for name, files, units in chosen:
        for lang, path in files.items():
            dest = args.out / "locale" / lang / "LC_MESSAGES" / f"{name}.mo"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
        manifest.append({"domain": name, "langs": sorted(files), "messages": units,
                         "files": {lang: str(path.resolve()) for lang, path in sorted(files.items())}})
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    total = sum(m["messages"] for m in manifest)
    print(f"{len(manifest)} domains, {total} messages per language at most, in {args.out}/locale "
          f"({', '.join(langs)}; min {min_langs} languages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

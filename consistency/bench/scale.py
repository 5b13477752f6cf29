"""How the cost of `consistency check` grows with the input (`consistency bench scale`).

- Corpus size: one corpus at 1×, 4× and 16× (`--sizes`) of a real document (the seed essay: de, fr, id), each copy
  altered so that no cache can serve it (a per-copy token `[k]` opens every sentence, in every language), checked by
  `consistency check --layout folders` in a subprocess with a fresh cache folder: wall time per 1,000 sentences,
  the marginal cost between sizes (the fixed cost of a run — start-up, loading the model and the word lists — taken
  out) and peak memory (the largest process, from wait4, and the whole process tree, sampled from /proc).
- Pile grouping: `--layout pile` on 100, 1,000 and 10,000 small files (`--pile`), built like reliability case 14
  (the first sentence of one of the essay's paragraphs plus the file's number: many near-duplicates). Only the
  grouping is timed (`corpus.plan`): the files' vectors are the real model's vectors of their 39 distinct texts
  with a small per-file perturbation, so embedding 10,000 files (linear, and measured above) is left out.
- Parallel: `--jobs N` and a local Ray with N CPUs against `--jobs 1` on 4 small documents, each from a cold cache;
  and the overhead of Ray on one small document.

Figures from a shared or busy machine vary; the load average is recorded with them.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Callable, List, Optional, Sequence

import typer

if TYPE_CHECKING:
    import numpy as np

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "deepseek-essay"
DEFAULT_SIZES = (1, 4, 16)
DEFAULT_PILE = (100, 1_000, 10_000)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
Log = Callable[[str], None]


# -- inputs --------------------------------------------------------------------------------------------------------

def read_document(folder: Path, paragraphs: int | None = None) -> dict[str, list[str]]:
    """A document folder's renderings (`LANG.txt`, one paragraph per line), each cut to its first `paragraphs`."""
    out = {}
    for path in sorted(folder.glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        out[path.stem] = lines[:paragraphs] if paragraphs else lines
    if len(out) < 2:
        raise ValueError(f"{folder}: expected a document folder with two or more LANG.txt files")
    return out


def altered(paragraph: str, copy: int) -> str:
    """The paragraph with a token for this copy opening each sentence: no cached vector or word answer fits it, and
    every language gets the same token (a number, so the renderings still agree)."""
    return " ".join(f"[{copy}] {s}" for s in _SENTENCE_END.split(paragraph.strip()))


def build_corpus(dest: Path, document: dict[str, list[str]], copies: int) -> Path:
    """`copies` altered copies of the document, one folder each (the `folders` layout)."""
    for k in range(copies):
        d = dest / f"copy{k:04d}"
        d.mkdir(parents=True, exist_ok=True)
        for lang, paras in document.items():
            (d / f"{lang}.txt").write_text("\n".join(altered(p, k + 1) for p in paras) + "\n", encoding="utf-8")
    return dest


def build_pile(dest: Path, document: dict[str, list[str]], files: int) -> int:
    """About `files` files (a multiple of the number of languages), as reliability case 14's make.py: file i of
    each language is the first sentence of paragraph i mod n, plus ` (i)`. Returns the number written."""
    langs = sorted(document)
    n = min(len(v) for v in document.values())
    docs = max(1, math.ceil(files / len(langs)))
    dest.mkdir(parents=True, exist_ok=True)
    for i in range(docs):
        for lang in langs:
            first = _SENTENCE_END.split(document[lang][i % n].strip())[0]
            (dest / f"doc{i:05d}.{lang}.txt").write_text(f"{first} ({i})\n", encoding="utf-8")
    return docs * len(langs)


# -- one run of `consistency check` ---------------------------------------------------------------------------------

def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc; 0 elsewhere)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                stat = f.read()
            with open(f"/proc/{pid}/statm", "rb") as f:
                rss[pid] = int(f.read().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


def check_once(paths: Sequence[Path], workdir: Path, extra: Sequence[str] = (), layout: str = "folders") -> dict:
    """`consistency check` in a subprocess with a fresh cache: wall time, sentences checked and peak memory."""
    workdir.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=workdir))
    config = workdir / "empty.toml"  # no config file of this machine or folder applies
    config.write_text("", encoding="utf-8")
    report = workdir / f"report-{time.monotonic_ns()}.json"
    cmd = [sys.executable, "-m", "consistency", "check", *map(str, paths), "--layout", layout, "--no-backtranslate",
           "--fail-on", "never", "-q", "-o", str(report), "--cache-dir", str(cache), "--config", str(config), *extra]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("CONSISTENCY_CACHE_DIR", None)
    errfile = workdir / "stderr.txt"
    start = time.perf_counter()
    with open(errfile, "wb") as err_out:  # a file, not a pipe: Ray's helpers may hold it open after the run
        proc = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=err_out)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.25):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    err = errfile.read_bytes()
    if proc.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd[2:])}` exited {proc.returncode}: "
                           f"{err.decode('utf-8', 'replace').strip()[-500:]}")
    raw = report.read_bytes()
    data = json.loads(raw.decode("utf-8"))
    report.unlink()
    shutil.rmtree(cache, ignore_errors=True)
    docs = data["documents"] if "documents" in data else [data]  # a one-document report has no list
    sentences = sum(len(r["sentences"]) for d in docs for r in d["renderings"])
    return {"wall_s": round(wall, 2), "sentences": sentences, "documents": len(docs),
            "findings": sum(len(d["findings"]) for d in docs),
            "report_sha256": hashlib.sha256(raw).hexdigest()[:16],
            # ru_maxrss is in KiB on Linux: the largest single process (it or a worker it waited for).
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "peak_tree_rss_mb": round(peak[0] / (1 << 20), 1) if peak[0] else None}


# -- the three measurements ----------------------------------------------------------------------------------------

def corpus_scale(document: dict[str, list[str]], sizes: Sequence[int], workdir: Path, log: Log) -> dict:
    rows = []
    for size in sizes:
        corpus = build_corpus(workdir / f"corpus-{size}x", document, size)
        log(f"check {size}x ({size} documents)")
        run = check_once([corpus], workdir / "runs")
        shutil.rmtree(corpus, ignore_errors=True)
        run["size"] = size
        run["s_per_1000_sentences"] = round(1000 * run["wall_s"] / max(1, run["sentences"]), 2)
        rows.append(run)
        log(f"  {run['wall_s']} s, {run['sentences']} sentences, {run['peak_rss_mb']} MB")
    for a, b in zip(rows, rows[1:]):
        extra = b["sentences"] - a["sentences"]
        b["marginal_s_per_1000_sentences"] = round(1000 * (b["wall_s"] - a["wall_s"]) / extra, 2) if extra else None
    first, last = rows[0], rows[-1]
    ratio = round(last["s_per_1000_sentences"] / first["s_per_1000_sentences"], 3) if first["wall_s"] else None
    margins = [r["marginal_s_per_1000_sentences"] for r in rows[1:] if r.get("marginal_s_per_1000_sentences")]
    out = {"rows": rows,
           f"cost_per_sentence_ratio_{last['size']}x_vs_{first['size']}x": ratio,
           "cost_per_sentence_ratio_largest_vs_smallest": ratio,
           "marginal_cost_ratio_last_vs_first_step": round(margins[-1] / margins[0], 3) if len(margins) > 1 else None,
           "peak_rss_mb": max(r["peak_rss_mb"] for r in rows),
           "peak_rss_ratio_largest_vs_smallest": round(last["peak_rss_mb"] / first["peak_rss_mb"], 3)}
    out.setdefault("cost_per_sentence_ratio_16x_vs_1x", None)  # measured only when --sizes has 1 and 16
    return out


def _pile_embed(document: dict[str, list[str]]) -> Callable[[Sequence[str]], np.ndarray]:
    """Vectors for pile files: the model's vector of the file's text without its number, plus a small
    perturbation fixed by the full text (files differ as near-duplicates do), unit length."""
    import numpy as np  # noqa: PLC0415

    from consistency.embed import make_embedder  # noqa: PLC0415

    firsts = sorted({_SENTENCE_END.split(p.strip())[0] for paras in document.values() for p in paras})
    model = make_embedder()
    vecs = np.asarray(model.embed(firsts), dtype=np.float32)
    base = {t: v / np.linalg.norm(v) for t, v in zip(firsts, vecs)}
    dim = vecs.shape[1]

    def embed(texts: Sequence[str]) -> np.ndarray:
        rows = []
        for t in texts:
            v = base[re.sub(r" \(\d+\)$", "", t.strip())]
            noise = np.random.default_rng(zlib.crc32(t.encode("utf-8"))).standard_normal(dim).astype(np.float32)
            v = v + 0.05 * noise / math.sqrt(dim)
            rows.append(v / np.linalg.norm(v))
        return np.stack(rows)

    return embed


def pile_scale(document: dict[str, list[str]], counts: Sequence[int], workdir: Path, log: Log) -> dict:
    from consistency.corpus import plan  # noqa: PLC0415

    embed = _pile_embed(document)
    warm = workdir / "pile-warm-up"  # the first call pays for imports and lazy set-up: not timed
    build_pile(warm, document, min(counts))
    plan([warm], "pile", embed=embed)
    shutil.rmtree(warm, ignore_errors=True)
    rows = []
    for count in counts:
        folder = workdir / f"pile-{count}"
        files = build_pile(folder, document, count)
        log(f"pile grouping of {files} files")
        start = time.perf_counter()
        layout = plan([folder], "pile", embed=embed)
        wall = time.perf_counter() - start
        shutil.rmtree(folder, ignore_errors=True)
        rows.append({"files": files, "grouping_s": round(wall, 3), "documents": len(layout.documents),
                     "unmatched": len(layout.unmatched)})
        log(f"  {wall:.2f} s, {len(layout.documents)} documents")
    for a, b in zip(rows, rows[1:]):
        b["time_ratio"] = round(b["grouping_s"] / a["grouping_s"], 2) if a["grouping_s"] else None
        b["size_ratio"] = round(b["files"] / a["files"], 2)
        # t ∝ n^k: k = 1 is linear, 2 quadratic.
        b["exponent"] = (round(math.log(b["grouping_s"] / a["grouping_s"]) / math.log(b["files"] / a["files"]), 2)
                         if a["grouping_s"] > 0 and b["grouping_s"] > 0 and b["files"] > a["files"] else None)
    exps = [r["exponent"] for r in rows[1:] if r.get("exponent") is not None]
    return {"rows": rows, "pile_time_ratio_largest_vs_smallest": round(rows[-1]["grouping_s"] / rows[0]["grouping_s"],
                                                                        2) if rows[0]["grouping_s"] else None,
            "pile_exponent_last_step": exps[-1] if exps else None}


def parallel_speedup(document: dict[str, list[str]], jobs: int, use_ray: bool, workdir: Path, log: Log) -> dict:
    """4 documents of 3 paragraphs each, cold: --jobs 1, --jobs N, --ray (local, N CPUs); then one document."""
    docs = workdir / "parallel"
    langs = sorted(document)
    n = min(len(v) for v in document.values())
    per = max(1, min(3, n // 4))
    for k in range(4):
        d = docs / f"doc{k}"
        d.mkdir(parents=True, exist_ok=True)
        for lang in langs:
            (d / f"{lang}.txt").write_text("\n".join(document[lang][k * per:(k + 1) * per]) + "\n", encoding="utf-8")
    variants = [("jobs 1", []), (f"jobs {jobs}", ["--jobs", str(jobs)])]
    if use_ray:
        variants.append((f"ray local {jobs} CPUs", ["--ray", "local", "--jobs", str(jobs)]))
    out: dict = {"documents": 4, "paragraphs_per_document": per, "runs": {}}
    reports = {}
    for name, extra in variants:
        log(f"4 documents, {name}")
        out["runs"][name] = check_once([docs], workdir / "runs", extra)
        log(f"  {out['runs'][name]['wall_s']} s")
    base = out["runs"]["jobs 1"]["wall_s"]
    for name, run in out["runs"].items():
        run["speedup"] = round(base / run["wall_s"], 2) if run["wall_s"] else None
        reports[name] = run["report_sha256"]
    out["identical_reports"] = len(set(reports.values())) == 1
    if use_ray:
        single = {}
        for name, extra in (("jobs 1", []), ("ray local", ["--ray", "local", "--jobs", str(jobs)])):
            log(f"1 document, {name}")
            single[name] = check_once([docs / "doc0"], workdir / "runs", extra, layout="document")
            log(f"  {single[name]['wall_s']} s")
        out["single_document"] = single
        out["ray_overhead_single_document_s"] = round(single["ray local"]["wall_s"] - single["jobs 1"]["wall_s"], 2)
    shutil.rmtree(docs, ignore_errors=True)
    return out


def run(sizes: Sequence[int] = DEFAULT_SIZES, pile: Sequence[int] = DEFAULT_PILE, source: Path = SEEDS,
        paragraphs: int | None = None, jobs: int = 2, parallel: bool = True, ray: bool | None = None,
        log: Log | None = None) -> dict:
    """Every measurement the options ask for; `ray=None`: when ray is importable."""
    import importlib.util  # noqa: PLC0415

    log = log or (lambda line: None)
    document = read_document(source, paragraphs)
    if ray is None:
        ray = importlib.util.find_spec("ray") is not None
    figures: dict = {"source": str(source), "paragraphs_per_copy": min(len(v) for v in document.values()),
                     "languages": sorted(document), "cpus": os.cpu_count(),
                     "load_average_before": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg")
                     else None}
    figures["cost_per_sentence_ratio_16x_vs_1x"] = figures["peak_rss_mb"] = None  # unless --sizes runs
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="consistency-scale-") as tmp:
        work = Path(tmp)
        if sizes:
            figures["corpus"] = corpus_scale(document, sorted(set(sizes)), work, log)
            for key in ("cost_per_sentence_ratio_16x_vs_1x", "peak_rss_mb"):
                figures[key] = figures["corpus"][key]
        if pile:
            figures["pile"] = pile_scale(document, sorted(set(pile)), work, log)
        if parallel:
            figures["parallel"] = parallel_speedup(document, jobs, ray, work, log)
    figures["total_s"] = round(time.perf_counter() - started, 1)
    if hasattr(os, "getloadavg"):
        figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return figures


def table(figures: dict) -> list[str]:
    """The figures as text lines."""
    lines = []
    corpus = figures.get("corpus")
    if corpus:
        lines.append(f"corpus ({figures['paragraphs_per_copy']} paragraphs x {len(figures['languages'])} languages "
                     "per copy, cold cache):")
        lines.append(f"  {'size':>5} {'docs':>5} {'sentences':>9} {'wall s':>8} {'s/1k sent':>9} "
                     f"{'marginal':>9} {'RSS MB':>7} {'tree MB':>8}")
        for r in corpus["rows"]:
            marginal = r.get("marginal_s_per_1000_sentences")
            lines.append(f"  {str(r['size']) + 'x':>5} {r['documents']:>5} {r['sentences']:>9} {r['wall_s']:>8} "
                         f"{r['s_per_1000_sentences']:>9} {'' if marginal is None else marginal:>9} "
                         f"{r['peak_rss_mb']:>7} {r['peak_tree_rss_mb'] or '':>8}")
        first, last = corpus["rows"][0]["size"], corpus["rows"][-1]["size"]
        lines.append(f"  cost per sentence {last}x vs {first}x: "
                     f"{corpus['cost_per_sentence_ratio_largest_vs_smallest']} (target <= 1.2); marginal cost, last "
                     f"step vs first: {corpus['marginal_cost_ratio_last_vs_first_step']}; peak RSS "
                     f"{corpus['peak_rss_mb']} MB ({corpus['peak_rss_ratio_largest_vs_smallest']}x the smallest)")
    pile = figures.get("pile")
    if pile:
        lines.append("pile grouping (grouping only, vectors precomputed):")
        lines.append(f"  {'files':>6} {'seconds':>8} {'documents':>9} {'time x':>7} {'size x':>7} {'exponent':>8}")
        for r in pile["rows"]:
            lines.append(f"  {r['files']:>6} {r['grouping_s']:>8} {r['documents']:>9} {r.get('time_ratio', ''):>7} "
                         f"{r.get('size_ratio', ''):>7} {r.get('exponent', ''):>8}")
        lines.append(f"  time ratio largest vs smallest: {pile['pile_time_ratio_largest_vs_smallest']} "
                     f"(exponent of the last step: {pile['pile_exponent_last_step']}; 1 linear, 2 quadratic)")
    par = figures.get("parallel")
    if par:
        lines.append(f"parallel ({par['documents']} documents of {par['paragraphs_per_document']} paragraphs, cold "
                     "cache each run):")
        for name, r in par["runs"].items():
            lines.append(f"  {name:<20} {r['wall_s']:>7} s  speed-up {r['speedup']}  RSS {r['peak_rss_mb']} MB "
                         f"(tree {r['peak_tree_rss_mb']} MB)")
        lines.append(f"  byte-identical reports: {par['identical_reports']}")
        if "single_document" in par:
            s = par["single_document"]
            lines.append(f"  one document: jobs 1 {s['jobs 1']['wall_s']} s, ray local {s['ray local']['wall_s']} s: "
                         f"Ray overhead {par['ray_overhead_single_document_s']} s (target <= 3 s)")
    lines.append(f"total {figures['total_s']} s on {figures['cpus']} CPUs; load average before "
                 f"{figures.get('load_average_before')}, after {figures.get('load_average_after')}")
    return lines


# -- command line (registered in consistency/cli_bench.py; this module imports nothing heavy) -------------------------

def _ints(text: str, option: str) -> List[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        values = []
    if not values or min(values) < 1:
        raise ValueError(f"{option} expects positive whole numbers separated by commas, got {text!r}")
    return values


def scale_cli(
    sizes: str = typer.Option("1,4,16", "--sizes", metavar="N,...", help="Corpus sizes, in copies of the source "
                              "document ('' or 0: skip)."),
    pile: str = typer.Option("100,1000,10000", "--pile", metavar="N,...", help="Files in the pile-grouping runs "
                             "('' or 0: skip)."),
    source: Path = typer.Option(SEEDS, "--source", metavar="DIR", show_default=False, help="The document copied: a folder of LANG.txt "
                                "files, one paragraph per line [default: the seed essay]."),
    paragraphs: Optional[int] = typer.Option(None, "--paragraphs", metavar="N", help="Only the first N paragraphs "
                                             "of each rendering [default: all]."),
    jobs: int = typer.Option(2, "--jobs", metavar="N", help="Workers of the parallel comparison (and CPUs of its "
                             "local Ray)."),
    parallel: bool = typer.Option(True, "--parallel/--no-parallel", help="Compare --jobs 1, --jobs N and --ray on "
                                  "4 small documents."),
    ray: Optional[bool] = typer.Option(None, "--ray/--no-ray", help="Include the local Ray [default: when ray is "
                                       "installed]."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Cost per 1,000 sentences and peak memory at 1x, 4x and 16x a corpus; pile grouping at 100 to 10,000 files;
    --jobs and Ray against one process."""
    try:
        size_list = [] if sizes.strip() in ("", "0") else _ints(sizes, "--sizes")
        pile_list = [] if pile.strip() in ("", "0") else _ints(pile, "--pile")
        if jobs < 1 or (paragraphs is not None and paragraphs < 1):
            raise ValueError("--jobs and --paragraphs must be at least 1")
        if not source.is_dir():
            raise ValueError(f"--source {source}: not a folder")
        figures = run(size_list, pile_list, source, paragraphs, jobs, parallel, ray,
                      lambda line: typer.echo(line, err=True))  # progress on stderr, the figures on stdout
    except (ValueError, RuntimeError, OSError) as exc:
        typer.echo(f"consistency: error: {exc}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(figures, indent=2))
    else:
        for line in table(figures):
            typer.echo(line)

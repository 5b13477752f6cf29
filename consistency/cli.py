"""Command line: parse, call the library, print. Each command is a thin `*_cli` wrapper (as in weasel)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from consistency import __version__
from consistency.errors import ConsistencyError, InputError

app = typer.Typer(
    name="consistency",
    help="Check translated documents against each other: align the renderings, flag dropped, truncated, "
         "untranslated and garbled text, and say which rendering is at fault.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



def _fail(message: str) -> None:
    """One line on stderr and exit code 2: for anything the user can fix."""
    typer.echo(f"consistency: error: {message}", err=True)
    raise typer.Exit(2)


class RichProgress:
    """Progress bars on stderr, shown only on a terminal."""

    def __init__(self) -> None:
        from rich.console import Console  # noqa: PLC0415
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self._task = None

    def __enter__(self):
        self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        self._progress.__exit__(*exc)

    def stage(self, name: str, total: int | None = None) -> None:
        if self._task is not None:
            self._progress.update(self._task, visible=False)
        self._task = self._progress.add_task(name, total=total)

    def advance(self, n: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, n)


class _NoProgress:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return _NoProgress()
    return RichProgress()


def parse_pairs(values: List[str], option: str) -> dict[str, str]:
    out = {}
    for v in values:
        key, sep, val = v.partition("=")
        if not sep or not key or not val:
            raise InputError(f"{option} expects KEY=VALUE, got {v!r}")
        out[key] = val
    return out


def exit_code(findings, fail_on: str) -> int:
    from consistency.report.common import at_least  # noqa: PLC0415

    return 1 if at_least(findings, fail_on) else 0


@app.command("check")
def check_cli(
    paths: List[Path] = typer.Argument(..., help="A folder with one file per language, several files, or a corpus "
                                       "folder (see --layout).", show_default=False),
    fmt: str = typer.Option("text", "--format", "-f", help="Report format for stdout or for outputs whose "
                            "extension says nothing: text, json, markdown, html, sarif or junit."),
    output: List[Path] = typer.Option([], "--output", "-o", help="Write the report here (repeatable; the "
                                      "format follows the extension: .txt .json .md .html .sarif .xml)."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Exit 1 when a finding reaches this severity: "
                                          "error, warning, info or never [default: error]."),
    layout: Optional[str] = typer.Option(None, "--layout", help="auto, document, folders, tree or pile "
                                         "[default: auto]."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report only findings this baseline file "
                                            "does not know."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="Record today's findings here."),
    lang: List[str] = typer.Option([], "--lang", help="FILE=CODE: the language of FILE (repeatable)."),
    disable: List[str] = typer.Option([], "--disable", help="A check to skip, by kind (repeatable)."),
    show: Optional[str] = typer.Option(None, "--show", help="Lowest severity listed in the text, Markdown and "
                                       "HTML reports [default: warning]."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Where embeddings are cached "
                                             "[default: the user cache dir]."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
    backtranslate: Optional[bool] = typer.Option(None, "--backtranslate/--no-backtranslate", help="Back-translate "
                                                 "every sentence to the pivot [default: when the models are on "
                                                 "this machine]."),
    mt_model: List[str] = typer.Option([], "--mt-model", help="LANG=MODEL: hub id or local directory of the "
                                       "model that back-translates LANG (repeatable)."),
    mt_engine: Optional[str] = typer.Option(None, "--mt-engine", help="transformers, or ctranslate2 (int8, "
                                            "much faster on CPU) [default: transformers]."),
    device: Optional[str] = typer.Option(None, "--device", help="auto, cpu, cuda or mps [default: auto]."),
    offline: Optional[bool] = typer.Option(None, "--offline", help="Never download (as HF_HUB_OFFLINE=1)."),
    beams: Optional[int] = typer.Option(None, "--beams", help="Beam size; 1 is greedy [default: 1]."),
    pivot: Optional[str] = typer.Option(None, "--pivot", help="Language to back-translate into [default: en]."),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML settings [default: $CONSISTENCY_CONFIG, "
                                          "consistency.toml or [tool.consistency] in pyproject.toml here or "
                                          "above, or the user config dir]."),
) -> None:
    """Align the renderings of each document and report where they disagree."""
    from consistency.baseline import apply_baseline, baseline_text, read_baseline  # noqa: PLC0415
    from consistency.config import config_path, merge, read_config, validate  # noqa: PLC0415
    from consistency.fileio import atomic_write_all  # noqa: PLC0415
    from consistency.pipeline import Settings, run_corpus  # noqa: PLC0415
    from consistency.report import RENDERERS, format_for, render  # noqa: PLC0415

    try:
        if fmt not in RENDERERS:
            raise InputError(f"unknown --format {fmt!r}; choose from {', '.join(RENDERERS)}")
        targets = [(p, format_for(p, fmt)) for p in output]
        opts = merge(read_config(config_path(config)), {
            "fail_on": fail_on, "show": show, "layout": layout, "disabled_checks": disable or None,
            "backtranslate": None if backtranslate is None else "on" if backtranslate else "off",
            "mt_models": parse_pairs(mt_model, "--mt-model") or None, "mt_engine": mt_engine,
            "mt_device": device, "offline": offline, "mt_beams": beams, "pivot": pivot})
        opts.setdefault("backtranslate", "auto")
        validate(opts)
        fail_on, show = opts.pop("fail_on", "error"), opts.pop("show", "warning")
        known = read_baseline(baseline) if baseline else None
        settings = Settings(cache_dir=cache_dir, use_cache=not no_cache,
                            lang_overrides=parse_pairs(lang, "--lang"), **opts)
        with _progress(quiet) as progress:
            corpus = run_corpus(paths, settings, progress)
        for notice in corpus.notices:
            typer.echo(f"consistency: {notice}", err=True)
        files = [(write_baseline, baseline_text(corpus))] if write_baseline else []
        if known is not None:
            corpus = apply_baseline(corpus, known)
        files += [(p, render(corpus, f, min_severity=show, fail_on=fail_on)) for p, f in targets]
        try:
            atomic_write_all(files)
        except OSError as exc:
            where = exc.filename or (files[0][0] if files else "")
            raise InputError(f"cannot write {where}: {exc.strerror or exc}") from exc
        if not output:
            # Not typer.echo: it strips escape sequences off a pipe, so stdout would differ from the -o file.
            sys.stdout.write(render(corpus, fmt, min_severity=show, fail_on=fail_on))
            sys.stdout.flush()
    except ConsistencyError as exc:
        _fail(str(exc))
    raise typer.Exit(exit_code(corpus.findings, fail_on))


from consistency.cli_align import align_cli  # noqa: E402

app.command("align")(align_cli)
from consistency.cli_models import models_app  # noqa: E402

app.add_typer(models_app, name="models")
from consistency.cli_bench import bench_app  # noqa: E402

app.add_typer(bench_app, name="bench")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"consistency {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """consistency: check translated documents against each other."""


def main() -> None:
    app()

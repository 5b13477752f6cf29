"""`consistency score`: a bitext written back with a score and flags per unit (library: consistency/score.py)."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import List, Optional

import typer

from consistency.cli_align import PlainCommand
from consistency.errors import ConsistencyError, InputError, safe

_EXAMPLES = """Examples:

\b
  consistency score corpus.de corpus.fr -o scored.tsv
  consistency score pairs.tsv > scored.tsv       (a header names a language per column)
  consistency score pairs.jsonl -o scored.jsonl
  awk -F'\\t' '$3 >= 0.6667' scored.tsv          keep units without warnings or errors
  awk -F'\\t' '$4 !~ /omission/' scored.tsv      drop units flagged as omissions

Moses input gives TSV: the sides in the order given, then score and flags. A TSV/CSV
keeps its columns and header and gains `score` and `flags` columns; a JSONL object
gains "score" and "flags" keys. Score: clean units >= 0.6667, warnings 0.3333-0.6663,
errors <= 0.3330; inside each band, higher is more similar.

Exit codes: 0 written, 2 bad usage or input, 3 internal error."""


def score_cli(
    paths: List[Path] = typer.Argument(..., metavar="PATH", show_default=False, readable=False,
                                       help="Line-aligned files (corpus.de corpus.fr) or a folder holding them, "
                                       "a .tsv/.csv with a language per column, or a .jsonl file."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write here (replaced "
                                          "only once complete) instead of streaming to stdout."),
    chunk: int = typer.Option(2000, "--chunk", metavar="N", help="Units checked together; memory grows with it, "
                              "not with the input."),
    flag_on: str = typer.Option("warning", "--flag-on", metavar="SEVERITY", help="Lowest severity named in the "
                                "flags: error, warning or info."),
    source: Optional[str] = typer.Option(None, "--source", metavar="LANG", help="The original's language: "
                                         "findings are never blamed on it."),
    disable: List[str] = typer.Option([], "--disable", metavar="KIND", show_default=False, help="A check to skip "
                                      "(repeatable)."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", metavar="DIR", help="Where embeddings are cached "
                                             "[default: $CONSISTENCY_CACHE_DIR or the user cache dir]."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar, and no note of the file written."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", readable=False, help="TOML settings "
                                          "(checks, languages, disable; as for check)."),
) -> None:
    """Score each unit of a bitext and write it back with score and flags columns, as Bicleaner does."""
    from consistency.cli import _fail, _progress, _say, check_outputs  # noqa: PLC0415
    from consistency.config import config_path, merge, read_config, validate  # noqa: PLC0415
    from consistency.langid import known_codes  # noqa: PLC0415
    from consistency.model import Severity  # noqa: PLC0415
    from consistency.pipeline import Settings  # noqa: PLC0415
    from consistency.score import bitext_input, output_stream, score_input  # noqa: PLC0415

    try:
        if chunk < 1:
            raise InputError(f"--chunk must be at least 1, got {chunk}")
        if flag_on not in {s.value for s in Severity}:
            raise InputError(f"--flag-on must be error, warning or info, got {flag_on!r}")
        if output is not None:
            check_outputs(paths, [("-o", output)], reads=[config] if config else [])
        opts = merge(read_config(config_path(config)), {"disabled_checks": disable or None, "source": source})
        opts.pop("fail_on", None)
        opts.pop("show", None)
        opts.pop("layout", None)
        opts["backtranslate"] = "off"  # a model per sentence pair is beyond a dataset's budget
        validate(opts)
        known = known_codes()
        spec = bitext_input(paths, known)
        settings = Settings(cache_dir=cache_dir, use_cache=not no_cache, **opts)
        notices: list[str] = []
        with _progress(quiet) as bar:
            if bar is not None:
                bar.stage("scoring units")
            advance = bar.advance if bar is not None else None
            try:
                with output_stream(output) as out:
                    n = score_input(spec, out, settings, chunk, flag_on, known, advance, notices)
            except UnicodeDecodeError as exc:
                raise InputError(f"{spec.name}: not UTF-8 (byte 0x{exc.object[exc.start]:02x}); re-save it as "
                                 "UTF-8") from None
            except csv.Error as exc:
                raise InputError(f"{spec.name}: {exc}") from None
        for notice in notices:
            _say(f"consistency: {safe(notice)}")
        if output is not None and not quiet:
            _say(f"consistency: wrote {safe(output)} ({n} units)")
    except ConsistencyError as exc:
        _fail(str(exc))


def register_score(app: typer.Typer) -> None:
    """Add `score` to the command group (cli.py calls this, in one line)."""
    app.command("score", cls=PlainCommand, epilog=_EXAMPLES)(score_cli)

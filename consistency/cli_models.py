"""`consistency models`: which back-translation models are on this machine, and fetching them."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from consistency.cli_align import PlainCommand
from consistency.errors import ConsistencyError, InputError, safe

models_app = typer.Typer(help="Back-translation models: list what is on this machine, pull what is not.",
                         no_args_is_help=True, rich_markup_mode=None)

DEFAULT_LANGS = ("id", "de", "fr")


def _settings(mt_model: List[str], config: Optional[Path], pivot: Optional[str]) -> dict:
    from consistency.cli import parse_pairs  # noqa: PLC0415
    from consistency.config import config_path, language_problem, merge, normal_language, read_config  # noqa

    if pivot is not None and language_problem(pivot):
        raise InputError(f"--pivot: {language_problem(pivot)}")
    out = merge(read_config(config_path(config)), {"mt_models": parse_pairs(mt_model, "--mt-model") or None,
                                                   "pivot": pivot})
    if "pivot" in out:
        out["pivot"] = normal_language(out["pivot"])
    return out


def _languages(langs: List[str]) -> list[str]:
    """The LANG arguments as normalised BCP-47 tags; InputError on one that is none (as `--lang` refuses it)."""
    from consistency.config import language_problem, normal_language  # noqa: PLC0415

    for lang in langs:
        if language_problem(lang):
            raise InputError(f"LANG {lang!r}: {language_problem(lang)}")
    return [normal_language(lang) for lang in langs]


def _fail(exc: ConsistencyError) -> None:
    typer.echo(f"consistency: error: {safe(exc)}", err=True)
    raise typer.Exit(2)


_MT_MODEL = typer.Option([], "--mt-model", metavar="LANG=MODEL", show_default=False,
                         help="Hub id or local directory of LANG's model (repeatable).")
_CONFIG = typer.Option(None, "--config", metavar="FILE", readable=False,
                       help="TOML file with a [backtranslate] table.")
_PIVOT = typer.Option(None, "--pivot", metavar="LANG", help="Language to back-translate into [default: en].")


@models_app.command("list", cls=PlainCommand)
def list_cli(langs: List[str] = typer.Argument(None, metavar="LANG", show_default=False,
                                               help="Languages [default: id de fr and configured ones]."),
             mt_model: List[str] = _MT_MODEL, config: Optional[Path] = _CONFIG,
             pivot: Optional[str] = _PIVOT) -> None:
    """Show the model each language would use and whether it is on this machine."""
    from consistency.mt.models import DEFAULT_FALLBACK, list_local  # noqa: PLC0415

    try:
        s = _settings(mt_model, config, pivot)
        models = s.get("mt_models", {})
        wanted = _languages(langs) if langs else list(dict.fromkeys([*DEFAULT_LANGS, *sorted(models)]))
        found = list_local(wanted, s.get("pivot", "en"), models, s.get("mt_fallback", DEFAULT_FALLBACK),
                           [Path(d) for d in s.get("mt_model_dirs", ())])
    except ConsistencyError as exc:
        _fail(exc)
    for src in found:
        where = f"{src.path} ({src.revision})" if src.path else "not on this machine"
        typer.echo(f"{safe(src.lang)}\t{safe(src.id)}\t{safe(where)}")


@models_app.command("pull", cls=PlainCommand)
def pull_cli(langs: List[str] = typer.Argument(..., metavar="LANG", help="Languages whose models to download."),
             mt_model: List[str] = _MT_MODEL, config: Optional[Path] = _CONFIG,
             pivot: Optional[str] = _PIVOT) -> None:
    """Download back-translation models into the HF cache (opus-mt where the pair exists, else the fallback)."""
    from consistency.mt.models import DEFAULT_FALLBACK, env_offline, pull  # noqa: PLC0415

    try:
        s = _settings(mt_model, config, pivot)
        if env_offline():
            raise ConsistencyError("HF_HUB_OFFLINE is set: unset it to download models")
        for lang in _languages(langs):
            src = pull(lang, s.get("pivot", "en"), s.get("mt_models", {}), s.get("mt_fallback", DEFAULT_FALLBACK))
            typer.echo(f"{safe(lang)}\t{safe(src.id)}\t{safe(src.path)}")
    except ConsistencyError as exc:
        _fail(exc)

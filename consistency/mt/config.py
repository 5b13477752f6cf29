"""Back-translation settings from the config file and the command line (the command line wins).

The file is TOML with a `[backtranslate]` table; it is `--config FILE`, else $CONSISTENCY_CONFIG, else
`config.toml` in the user config dir (XDG_CONFIG_HOME on Linux), when it exists:

    [backtranslate]
    mode = "auto"            # auto | on | off
    engine = "ctranslate2"   # transformers | ctranslate2
    model_dirs = ["/srv/models"]
    [backtranslate.models]
    id = "Helsinki-NLP/opus-mt-id-en"
    de = "/srv/models/opus-mt-de-en"
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Mapping

from consistency.errors import InputError

# Config key -> Settings field, with the type the value must have.
KEYS: dict[str, tuple[str, type | tuple[type, ...]]] = {
    "mode": ("backtranslate", str), "models": ("mt_models", dict), "model_dirs": ("mt_model_dirs", list),
    "fallback": ("mt_fallback", str), "engine": ("mt_engine", str), "device": ("mt_device", str),
    "offline": ("offline", bool), "beams": ("mt_beams", int), "batch_size": ("mt_batch_size", int),
    "max_length": ("mt_max_length", int), "pivot": ("pivot", str),
}


def config_path(explicit: Path | None = None) -> Path | None:
    if explicit is not None:
        return explicit
    env = os.environ.get("CONSISTENCY_CONFIG")
    if env:
        return Path(env)
    import platformdirs  # noqa: PLC0415

    default = platformdirs.user_config_path("consistency") / "config.toml"
    return default if default.is_file() else None


def read_config(path: Path | None) -> dict[str, Any]:
    """Settings fields from the file's [backtranslate] table ({} when there is no file)."""
    if path is None:
        return {}
    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415
    else:  # pragma: no cover
        import tomli as tomllib  # noqa: PLC0415
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read config {path}: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"config {path} is not valid TOML: {exc}") from exc
    table = data.get("backtranslate", {})
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            raise InputError(f"config {path}: unknown key backtranslate.{key}; known: {', '.join(sorted(KEYS))}")
        field, kind = KEYS[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise InputError(f"config {path}: backtranslate.{key} must be a {getattr(kind, '__name__', kind)}")
        out[field] = tuple(str(v) for v in value) if kind is list else (
            {str(k): str(v) for k, v in value.items()} if kind is dict else value)
    return out


def merge(config: Mapping[str, Any], cli: Mapping[str, Any]) -> dict[str, Any]:
    """CLI values that were given (not None) over the config's; model maps merge per language."""
    out = dict(config)
    for field, value in cli.items():
        if value is None:
            continue
        if field == "mt_models":
            out[field] = {**config.get(field, {}), **value}
        else:
            out[field] = value
    return out


def validate(settings: Mapping[str, Any]) -> None:
    from consistency.backtranslate import MODES  # noqa: PLC0415
    from consistency.mt import ENGINES  # noqa: PLC0415

    if settings.get("backtranslate", "auto") not in MODES:
        raise InputError(f"back-translation mode must be one of {', '.join(MODES)}")
    if settings.get("mt_engine", "transformers") not in ENGINES:
        raise InputError(f"unknown --mt-engine {settings['mt_engine']!r}; choose from {', '.join(sorted(ENGINES))}")
    for field, floor in (("mt_beams", 1), ("mt_batch_size", 1), ("mt_max_length", 1)):
        if settings.get(field, floor) < floor:
            raise InputError(f"{field.replace('mt_', '--').replace('_', '-')} must be at least {floor}")

"""Settings from a config file; command-line flags override them.

The file is the first of: `--config FILE`; $CONSISTENCY_CONFIG; the nearest `consistency.toml`, or `pyproject.toml`
with a `[tool.consistency]` table, in the working directory or above it; `config.toml` in the user config dir.
In pyproject.toml the tables below sit under `tool.consistency`:

    pivot = "en"
    fail_on = "error"            # error | warning | info | never
    show = "warning"             # lowest severity in the text and Markdown reports
    layout = "auto"              # auto | document | folders | tree | pile
    disable = ["entity_mismatch"]
    [checks.omission]            # per check kind
    min_score = 0.6              # drop findings scoring lower
    severity = "warning"         # report them at this severity
    [languages.de]               # per language: the same, plus its back-translation model
    disable = ["glued_word"]
    mt_model = "/srv/models/opus-mt-de-en"
    checks.truncation.min_score = 0.8
    [backtranslate]
    mode = "auto"                # auto | on | off
    engine = "ctranslate2"       # transformers | ctranslate2
    model_dirs = ["/srv/models"]
    models = { id = "Helsinki-NLP/opus-mt-id-en" }
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Mapping

from consistency.errors import InputError

# [backtranslate] key -> Settings field, with the type the value must have.
BT_KEYS: dict[str, tuple[str, type | tuple[type, ...]]] = {
    "mode": ("backtranslate", str), "models": ("mt_models", dict), "model_dirs": ("mt_model_dirs", list),
    "fallback": ("mt_fallback", str), "engine": ("mt_engine", str), "device": ("mt_device", str),
    "offline": ("offline", bool), "beams": ("mt_beams", int), "batch_size": ("mt_batch_size", int),
    "max_length": ("mt_max_length", int), "pivot": ("pivot", str),
}
TOP_KEYS = {"pivot": str, "fail_on": str, "show": str, "layout": str, "disable": list, "checks": dict,
            "languages": dict, "backtranslate": dict}


def _toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415
    else:  # pragma: no cover
        import tomli as tomllib  # noqa: PLC0415
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read config {path}: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"config {path} is not valid TOML: {exc}") from exc


def config_path(explicit: Path | None = None, cwd: Path | None = None) -> Path | None:
    if explicit is not None:
        return explicit
    env = os.environ.get("CONSISTENCY_CONFIG")
    if env:
        return Path(env)
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "consistency.toml").is_file():
            return folder / "consistency.toml"
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.consistency" in pyproject.read_text(encoding="utf-8", errors="replace"):
            return pyproject
    import platformdirs  # noqa: PLC0415

    default = platformdirs.user_config_path("consistency") / "config.toml"
    return default if default.is_file() else None


def read_config(path: Path | None) -> dict[str, Any]:
    """Settings fields (plus fail_on and show) from the file; {} when there is none."""
    if path is None:
        return {}
    data = _toml(path)
    where = f"config {path}"
    if path.name == "pyproject.toml":
        table = _typed(_typed(data.get("tool", {}), dict, where, "tool").get("consistency", {}), dict, where,
                       "tool.consistency")
    else:
        table = data
    for key, value in table.items():
        if key not in TOP_KEYS:
            raise InputError(f"{where}: unknown key {key}; known: {', '.join(sorted(TOP_KEYS))}")
        _typed(value, TOP_KEYS[key], where, key)
    out: dict[str, Any] = {k: table[k] for k in ("pivot", "fail_on", "show", "layout") if k in table}
    out.update(_backtranslate(table.get("backtranslate", {}), where))
    if "disable" in table:
        out["disabled_checks"] = frozenset(map(str, table["disable"]))
    min_score, severity = _checks(table.get("checks", {}), where, "checks", "")
    lang_disabled, models = {}, {}
    for lang, spec in table.get("languages", {}).items():
        _typed(spec, dict, where, f"languages.{lang}")
        for key in spec:
            if key not in {"disable", "mt_model", "checks"}:
                raise InputError(f"{where}: unknown key languages.{lang}.{key}; known: checks, disable, mt_model")
        lang_disabled[lang] = frozenset(map(str, _typed(spec.get("disable", []), list, where,
                                                         f"languages.{lang}.disable")))
        if "mt_model" in spec:
            models[lang] = str(_typed(spec["mt_model"], str, where, f"languages.{lang}.mt_model"))
        m, s = _checks(spec.get("checks", {}), where, f"languages.{lang}.checks", f"{lang}:")
        min_score.update(m)
        severity.update(s)
    if models:
        out["mt_models"] = {**out.get("mt_models", {}), **models}
    for name, value in (("min_score", min_score), ("severity", severity), ("lang_disabled", lang_disabled)):
        if value:
            out[name] = value
    return out


_TYPE_NAMES = {str: "string", int: "integer", bool: "boolean", list: "list", dict: "table"}


def _typed(value: Any, kind: type | tuple[type, ...], where: str, key: str) -> Any:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
        name = "number" if float in kinds else _TYPE_NAMES.get(kinds[0], kinds[0].__name__)
        raise InputError(f"{where}: {key} must be a {name}")
    return value


def _backtranslate(table: Mapping[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in BT_KEYS:
            raise InputError(f"{where}: unknown key backtranslate.{key}; known: {', '.join(sorted(BT_KEYS))}")
        field, kind = BT_KEYS[key]
        _typed(value, kind, where, f"backtranslate.{key}")
        out[field] = tuple(str(v) for v in value) if kind is list else (
            {str(k): str(v) for k, v in value.items()} if kind is dict else value)
    return out


def _checks(table: Mapping[str, Any], where: str, prefix: str, key_prefix: str):
    from consistency.checks import CHECKS  # noqa: PLC0415

    min_score: dict[str, float] = {}
    severity: dict[str, str] = {}
    for kind, spec in table.items():
        if kind not in CHECKS:
            raise InputError(f"{where}: unknown check {prefix}.{kind}; checks are {', '.join(sorted(CHECKS))}")
        _typed(spec, dict, where, f"{prefix}.{kind}")
        for key, value in spec.items():
            if key == "min_score":
                _typed(value, (int, float), where, f"{prefix}.{kind}.min_score")
                min_score[key_prefix + kind] = float(value)
            elif key == "severity":
                if value not in ("error", "warning", "info"):
                    raise InputError(f"{where}: {prefix}.{kind}.severity must be error, warning or info")
                severity[key_prefix + kind] = value
            else:
                raise InputError(f"{where}: unknown key {prefix}.{kind}.{key}; known: min_score, severity")
    return min_score, severity


def merge(config: Mapping[str, Any], cli: Mapping[str, Any]) -> dict[str, Any]:
    """CLI values that were given (not None) over the config's; model maps and disabled checks add up."""
    out = dict(config)
    for field, value in cli.items():
        if value is None:
            continue
        if field == "mt_models":
            out[field] = {**config.get(field, {}), **value}
        elif field == "disabled_checks":
            out[field] = frozenset(config.get(field, frozenset())) | frozenset(value)
        else:
            out[field] = value
    return out


def validate(settings: Mapping[str, Any]) -> None:
    from consistency.backtranslate import MODES  # noqa: PLC0415
    from consistency.checks import CHECKS  # noqa: PLC0415
    from consistency.corpus import LAYOUTS  # noqa: PLC0415
    from consistency.mt import ENGINES  # noqa: PLC0415

    if settings.get("backtranslate", "auto") not in MODES:
        raise InputError(f"back-translation mode must be one of {', '.join(MODES)}")
    if settings.get("mt_engine", "transformers") not in ENGINES:
        raise InputError(f"unknown --mt-engine {settings['mt_engine']!r}; choose from {', '.join(sorted(ENGINES))}")
    for field, floor in (("mt_beams", 1), ("mt_batch_size", 1), ("mt_max_length", 1)):
        if settings.get(field, floor) < floor:
            raise InputError(f"{field.replace('mt_', '--').replace('_', '-')} must be at least {floor}")
    if settings.get("fail_on", "error") not in ("error", "warning", "info", "never"):
        raise InputError(f"--fail-on must be one of error, warning, info, never, not {settings['fail_on']!r}")
    if settings.get("show", "warning") not in ("error", "warning", "info"):
        raise InputError(f"--show must be error, warning or info, not {settings['show']!r}")
    if settings.get("layout", "auto") not in LAYOUTS:
        raise InputError(f"unknown --layout {settings['layout']!r}; choose from {', '.join(LAYOUTS)}")
    unknown = sorted(set(settings.get("disabled_checks", ())) - set(CHECKS))
    for disabled in settings.get("lang_disabled", {}).values():
        unknown += sorted(set(disabled) - set(CHECKS))
    if unknown:
        raise InputError(f"unknown check {unknown[0]!r}; checks are {', '.join(sorted(CHECKS))}")

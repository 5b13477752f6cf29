"""Settings from a config file; command-line flags override them.

The file is the first of: `--config FILE`; $CONSISTENCY_CONFIG; the nearest `consistency.toml`, or `pyproject.toml`
with a `[tool.consistency]` table, in the working directory or above it; `config.toml` in the user config dir.
In pyproject.toml the tables below sit under `tool.consistency`:

    pivot = "en"
    source = "en"                # the original's language, when it is among the renderings
    fail_on = "error"            # error | warning | info | never
    show = "warning"             # lowest severity in the text and Markdown reports
    layout = "auto"              # auto | document | folders | tree | pile
    disable = ["entity_mismatch"]
    jobs = 4                     # documents checked in 4 worker processes (--jobs)
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

import math
import os
import re
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
TOP_KEYS = {"pivot": str, "source": str, "fail_on": str, "show": str, "layout": str, "disable": list, "checks": dict,
            "languages": dict, "backtranslate": dict, "jobs": int}


def _toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415
    else:  # pragma: no cover
        import tomli as tomllib  # noqa: PLC0415
    from consistency.fileio import read_utf8  # noqa: PLC0415

    text = read_utf8(path, "config")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"config {path} is not valid TOML: {exc}") from exc
    except RecursionError:
        raise InputError(f"config {path} is not valid TOML: nested too deeply") from None


def _readable_file(path: Path) -> bool:
    """A file discovery may use: a regular file that can be opened for reading (what cannot is someone else's)."""
    try:
        if not path.is_file():
            return False
        with open(path, "rb"):
            return True
    except OSError:
        return False


def _mentions_us(pyproject: Path) -> bool:
    try:
        return "[tool.consistency" in pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def config_path(explicit: Path | None = None, cwd: Path | None = None) -> Path | None:
    if explicit is not None:
        return explicit
    env = os.environ.get("CONSISTENCY_CONFIG")
    if env:
        return Path(env)
    here = (cwd or Path.cwd()).resolve()
    # Files that cannot be read (another user's checkout, a shared mount above the working directory) are skipped:
    # discovery must never fail. A file named with --config or $CONSISTENCY_CONFIG is read, or reported.
    for folder in (here, *here.parents):
        if _readable_file(folder / "consistency.toml"):
            return folder / "consistency.toml"
        pyproject = folder / "pyproject.toml"
        if _readable_file(pyproject) and _mentions_us(pyproject):
            return pyproject
    import platformdirs  # noqa: PLC0415

    default = platformdirs.user_config_path("consistency") / "config.toml"
    return default if _readable_file(default) else None


def read_config(path: Path | None, include_jobs: bool = False) -> dict[str, Any]:
    """Settings fields (plus fail_on and show) from the file; {} when there is none. `jobs` is validated always and
    returned only with include_jobs (it is no Settings field: only `check` runs documents in parallel)."""
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
    out: dict[str, Any] = {k: table[k] for k in ("pivot", "source", "fail_on", "show", "layout") if k in table}
    for key in ("pivot", "source"):
        if key in table:
            _pivot(table[key], where, key)
    if "jobs" in table:
        if table["jobs"] < 1:
            raise InputError(f"{where}: jobs must be at least 1, not {table['jobs']}")
        if include_jobs:
            out["jobs"] = table["jobs"]
    out.update(_backtranslate(table.get("backtranslate", {}), where))
    if "disable" in table:
        out["disabled_checks"] = frozenset(_strings(table["disable"], where, "disable"))
    min_score, severity = _checks(table.get("checks", {}), where, "checks", "")
    lang_disabled, models = {}, {}
    for lang, spec in table.get("languages", {}).items():
        _typed(spec, dict, where, f"languages.{lang}")
        for key in spec:
            if key not in {"disable", "mt_model", "checks"}:
                raise InputError(f"{where}: unknown key languages.{lang}.{key}; known: checks, disable, mt_model")
        key = f"languages.{lang}.disable"
        lang_disabled[lang] = frozenset(_strings(_typed(spec.get("disable", []), list, where, key), where, key))
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


_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", list: "a list", dict: "a table"}


def _typed(value: Any, kind: type | tuple[type, ...], where: str, key: str) -> Any:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
        name = "a number" if float in kinds else _TYPE_NAMES.get(kinds[0], kinds[0].__name__)
        raise InputError(f"{where}: {key} must be {name}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{where}: {key} must be a finite number, not {value}")
    return value


def _strings(value: Any, where: str, key: str) -> Any:
    """A list of strings, or a table of strings (model ids and folders: a number there is a mistake)."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for k, v in items:
        if not isinstance(v, str):
            raise InputError(f"{where}: {key}.{k} must be a string" if isinstance(value, dict)
                             else f"{where}: {key} must be a list of strings")
    return value


def language_problem(code: Any) -> str | None:
    """Why `code` is not a language code the tool knows (None: it is one), in the words --lang uses."""
    from consistency import langid  # noqa: PLC0415

    tag_problem = getattr(langid, "tag_problem", None)  # BCP-47 tags (pt-BR, km) where langid knows them
    if tag_problem is not None:
        return tag_problem(code)
    if not isinstance(code, str) or not code.strip():
        return "a language code cannot be empty; use an ISO 639-1 code such as en or de"
    if re.split(r"[-_]", code.strip().lower())[0] not in langid.known_codes():
        return f"unknown language code {code!r}; use an ISO 639-1 code such as en or de"
    return None


def normal_language(code: str) -> str:
    """A valid code in its standard form ('EN' -> 'en', 'pt_br' -> 'pt-BR'), so the checks compare like with like."""
    from consistency import langid  # noqa: PLC0415

    normalise = getattr(langid, "normalise_tag", None)
    return (normalise(code) if normalise else None) or code.strip().lower()


def _backtranslate(table: Mapping[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in BT_KEYS:
            raise InputError(f"{where}: unknown key backtranslate.{key}; known: {', '.join(sorted(BT_KEYS))}")
        field, kind = BT_KEYS[key]
        _typed(value, kind, where, f"backtranslate.{key}")
        if kind in (list, dict):
            _strings(value, where, f"backtranslate.{key}")
        if kind is int and value < 1:
            raise InputError(f"{where}: backtranslate.{key} must be at least 1, not {value}")
        if key == "pivot":
            _pivot(value, where, "backtranslate.pivot")
        out[field] = tuple(value) if kind is list else dict(value) if kind is dict else value
    return out


def _pivot(value: Any, where: str, key: str) -> None:
    problem = language_problem(value)
    if problem:
        raise InputError(f"{where}: {key}: {problem}")


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


def check_embedder(spec: str) -> None:
    """Raise InputError unless `spec` names an embedder (consistency/embed.py, EMBEDDERS)."""
    from consistency.embed import EMBEDDERS, is_embedder  # noqa: PLC0415

    if not is_embedder(spec):
        raise InputError(f"unknown --embedder {spec!r}; choose from {', '.join(EMBEDDERS)}")


def validate(settings: Mapping[str, Any]) -> None:
    """Raise InputError, in the flags' words, on the first bad setting (the config file's own values were checked,
    in its keys' words, when it was read); a valid pivot is put in its standard form in place."""
    from consistency.backtranslate import MODES  # noqa: PLC0415
    from consistency.checks import CHECKS  # noqa: PLC0415
    from consistency.corpus import LAYOUTS  # noqa: PLC0415
    from consistency.mt import ENGINES  # noqa: PLC0415

    for key in ("pivot", "source"):
        if settings.get(key) is not None and language_problem(settings[key]):
            raise InputError(f"--{key}: {language_problem(settings[key])}")
        if settings.get(key) is not None and isinstance(settings, dict):
            settings[key] = normal_language(settings[key])
    if settings.get("backtranslate", "auto") not in MODES:
        raise InputError(f"back-translation mode must be one of {', '.join(MODES)}")
    if settings.get("mt_engine", "transformers") not in ENGINES:
        raise InputError(f"unknown --mt-engine {settings['mt_engine']!r}; choose from {', '.join(sorted(ENGINES))}")
    for field, floor in (("mt_beams", 1), ("mt_batch_size", 1), ("mt_max_length", 1)):
        if settings.get(field, floor) < floor:
            raise InputError(f"{field.replace('mt_', '--').replace('_', '-')} must be at least {floor}")
    if settings.get("embedder") is not None:
        check_embedder(settings["embedder"])
    if settings.get("jobs", 1) < 1:
        raise InputError(f"--jobs must be at least 1, not {settings['jobs']}")
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

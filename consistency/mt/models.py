"""Which model back-translates which language, and where its files are: a local directory or the HF cache.

Every model is resolved to a local directory before anything loads it, so the engines never reach the network:
a hub id is looked up in the HF cache (huggingface_hub honours HF_HOME / HF_HUB_CACHE), and only `pull` (or a
`--backtranslate` run that is online) downloads. huggingface_hub is imported inside functions only.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from consistency.langid import base
from consistency.errors import ModelError

OPUS_MT = "Helsinki-NLP/opus-mt-{src}-{tgt}"
DEFAULT_FALLBACK = "facebook/nllb-200-distilled-600M"
# Source languages with a published Helsinki-NLP/opus-mt-{src}-en (checked by hand on the hub; `pull` tries
# opus-mt first for any other language too and falls back when the hub has no such pair).
OPUS_MT_TO_EN = frozenset("af ar bg ca cs da de es et fi fr hi hu id is it ja ko mk nl pl ru sk sv tr uk vi zh".split())
# The files a translation model needs; everything else in a hub repo (TF, Flax, ONNX, Rust weights) is skipped.
MODEL_FILES = ("*.json", "*.spm", "*.model", "*.txt", "*.safetensors")
TORCH_WEIGHTS = "pytorch_model.bin"
_WEIGHTS = ("model.safetensors", "model.safetensors.index.json", TORCH_WEIGHTS)
_FINGERPRINT_SUFFIXES = (".json", ".spm", ".model", ".txt", ".safetensors", ".bin")
_TRUE = {"1", "true", "yes", "on"}


def env_offline() -> bool:
    """HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) set: never touch the network."""
    return any(os.environ.get(k, "").strip().lower() in _TRUE for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


@dataclass(frozen=True)
class ModelSource:
    """A model for one language: `id` as the user or the defaults name it, `path` its local directory (None when
    it must still be downloaded), `revision` the hub commit or a fingerprint of the directory's files."""

    lang: str
    id: str
    path: Path | None
    revision: str | None = None
    explicit: bool = False  # named by --mt-model or the config file, not a default

    @property
    def is_nllb(self) -> bool:
        return "nllb" in self.id.lower() or (self.path is not None and _model_type(self.path) == "m2m_100")


def default_candidates(lang: str, pivot: str, fallback: str = DEFAULT_FALLBACK) -> list[str]:
    """opus-mt models are named by base language (pt-BR is read by opus-mt-pt-en)."""
    return [OPUS_MT.format(src=base(lang), tgt=base(pivot)), fallback]


def suggested(lang: str, pivot: str, fallback: str = DEFAULT_FALLBACK) -> str:
    """The model `pull` fetches first for `lang`, named in messages."""
    src, tgt = base(lang), base(pivot)
    return OPUS_MT.format(src=src, tgt=tgt) if tgt == "en" and src in OPUS_MT_TO_EN else fallback


def dir_fingerprint(path: Path) -> str:
    """Names, sizes and modification times of the files a model is made of: cheap, and changes whenever the
    weights or the vocabulary are rewritten."""
    h = hashlib.sha256()
    for p in sorted(path.iterdir()):
        if p.is_file() and p.name.endswith(_FINGERPRINT_SUFFIXES):
            st = p.stat()
            h.update(f"{p.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return "dir-" + h.hexdigest()[:16]


def is_model_dir(path: Path) -> bool:
    return (path / "config.json").is_file() and any((path / w).is_file() for w in _WEIGHTS)


def model_config(path: Path) -> dict:
    import json  # noqa: PLC0415

    try:
        data = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _model_type(path: Path) -> str:
    return str(model_config(path).get("model_type", ""))


def cached_snapshot(repo_id: str) -> Path | None:
    """The HF-cache directory of `repo_id` with a config and weights, without any network call."""
    try:
        from huggingface_hub import try_to_load_from_cache  # noqa: PLC0415
    except ImportError:
        return None
    try:
        found = try_to_load_from_cache(repo_id, "config.json")
    except Exception:  # an id that is not a valid repo name is simply not cached  # noqa: BLE001
        return None
    if not isinstance(found, str):
        return None
    snapshot = Path(found).parent
    return snapshot if is_model_dir(snapshot) else None


def _in_dirs(repo_id: str, dirs: Iterable[Path]) -> Path | None:
    for d in dirs:
        for candidate in (d / repo_id, d / repo_id.split("/")[-1]):
            if is_model_dir(candidate):
                return candidate
    return None


def locate(lang: str, spec: str, dirs: Iterable[Path] = (), explicit: bool = False) -> ModelSource:
    """A model named by hub id or directory, found locally if it is there (path None if not)."""
    p = Path(spec).expanduser()
    if p.is_dir() or spec.startswith((".", "/", "~")):
        if not is_model_dir(p):
            raise ModelError(f"--mt-model {lang}={spec}: not a model directory (needs config.json and "
                             f"model.safetensors or {TORCH_WEIGHTS})")
        return ModelSource(lang, spec, p, dir_fingerprint(p), explicit)
    local = _in_dirs(spec, dirs)
    if local is not None:
        return ModelSource(lang, spec, local, dir_fingerprint(local), explicit)
    snapshot = cached_snapshot(spec)
    if snapshot is not None:
        return ModelSource(lang, spec, snapshot, snapshot.name, explicit)
    return ModelSource(lang, spec, None, None, explicit)


def resolve(lang: str, pivot: str, models: Mapping[str, str], fallback: str = DEFAULT_FALLBACK,
            dirs: Iterable[Path] = ()) -> ModelSource:
    """The configured model for `lang`, else the first default found locally, else the one to download."""
    dirs = list(dirs)
    if lang in models:
        return locate(lang, models[lang], dirs, explicit=True)
    sources = [locate(lang, c, dirs) for c in default_candidates(lang, pivot, fallback)]
    local = next((s for s in sources if s.path is not None), None)
    if local is not None:
        return local
    return ModelSource(lang, suggested(lang, pivot, fallback), None)


def missing_message(source: ModelSource) -> str:
    how = (f"run `consistency models pull {source.lang}` while online, or pass --mt-model {source.lang}=DIR"
           if not source.explicit else "download it while online (`consistency models pull "
           f"{source.lang} --mt-model {source.lang}={source.id}`) or pass a local directory")
    return f"no local copy of {source.id} for {source.lang}; {how}"


class RepoMissing(ModelError):
    """The hub has no such repository (as opposed to the hub being unreachable)."""


def download(source: ModelSource) -> ModelSource:
    """Fetch a hub model into the normal HF cache (safetensors when the repo has them)."""
    try:
        import huggingface_hub  # noqa: PLC0415
        from huggingface_hub.errors import RepositoryNotFoundError  # noqa: PLC0415
    except ImportError as exc:
        raise ModelError("downloading models needs huggingface_hub: pip install 'consistency[mt]'") from exc
    # Its retry warnings would print a dozen lines for one unreachable host; our error says it once.
    huggingface_hub.utils.logging.set_verbosity_error()
    try:
        files = huggingface_hub.list_repo_files(source.id)
        patterns = list(MODEL_FILES)
        if not any(f.endswith(".safetensors") for f in files):
            patterns.append(TORCH_WEIGHTS)
        path = Path(huggingface_hub.snapshot_download(source.id, allow_patterns=patterns))
    except RepositoryNotFoundError as exc:
        raise RepoMissing(f"the hub has no model {source.id} for {source.lang}") from exc
    except Exception as exc:  # network, auth and disk errors come in many types  # noqa: BLE001
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ModelError(f"cannot download {source.id} for {source.lang}: {reason[:200]}") from exc
    return ModelSource(source.lang, source.id, path, path.name, source.explicit)


def pull(lang: str, pivot: str, models: Mapping[str, str], fallback: str = DEFAULT_FALLBACK) -> ModelSource:
    """Download the model for `lang`: the configured one, else opus-mt if the hub has the pair, else the fallback."""
    if lang in models:
        source = locate(lang, models[lang], explicit=True)
        return source if source.path is not None else download(source)
    candidates = list(dict.fromkeys([suggested(lang, pivot, fallback), *default_candidates(lang, pivot, fallback)]))
    for candidate in candidates:
        source = locate(lang, candidate)
        if source.path is not None:
            return source
        try:
            return download(source)
        except RepoMissing:
            if candidate == candidates[-1]:
                raise
    raise AssertionError("unreachable")


def list_local(langs: Iterable[str], pivot: str, models: Mapping[str, str], fallback: str = DEFAULT_FALLBACK,
               dirs: Iterable[Path] = ()) -> list[ModelSource]:
    """For each language, the model a check would use and whether it is on this machine."""
    return [resolve(lang, pivot, models, fallback, dirs) for lang in langs]


# FLORES-200 codes for the languages NLLB is most often asked for; `--mt-model` with another model covers the rest.
NLLB_CODES = {
    "af": "afr_Latn", "ar": "arb_Arab", "bg": "bul_Cyrl", "bn": "ben_Beng", "ca": "cat_Latn", "cs": "ces_Latn",
    "da": "dan_Latn", "de": "deu_Latn", "el": "ell_Grek", "en": "eng_Latn", "es": "spa_Latn", "et": "est_Latn",
    "fa": "pes_Arab", "fi": "fin_Latn", "fr": "fra_Latn", "he": "heb_Hebr", "hi": "hin_Deva", "hr": "hrv_Latn",
    "hu": "hun_Latn", "id": "ind_Latn", "it": "ita_Latn", "ja": "jpn_Jpan", "ko": "kor_Hang", "lt": "lit_Latn",
    "lv": "lvs_Latn", "ms": "zsm_Latn", "nl": "nld_Latn", "no": "nob_Latn", "nb": "nob_Latn", "pl": "pol_Latn",
    "pt": "por_Latn", "ro": "ron_Latn", "ru": "rus_Cyrl", "sk": "slk_Latn", "sl": "slv_Latn", "sr": "srp_Cyrl",
    "sv": "swe_Latn", "sw": "swh_Latn", "th": "tha_Thai", "tl": "tgl_Latn", "tr": "tur_Latn", "uk": "ukr_Cyrl",
    "ur": "urd_Arab", "vi": "vie_Latn", "zh": "zho_Hans",
}


def nllb_code(lang: str) -> str:
    if lang in NLLB_CODES:
        return NLLB_CODES[lang]
    if lang.lower() in {"zh-hant", "zh-tw", "zh-hk"}:
        return "zho_Hant"
    if base(lang) in NLLB_CODES:
        return NLLB_CODES[base(lang)]
    if "_" in lang:  # already a FLORES-200 code
        return lang
    raise ModelError(f"no NLLB language code known for {lang!r}; pass --mt-model {lang}=MODEL with a model "
                     "for that language")

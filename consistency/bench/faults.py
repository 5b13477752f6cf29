"""Fault-injection benchmark: recall per fault type and new false findings, on a clean paragraph-parallel corpus.

For each document (a folder with one file per language) the checker runs once on the clean text; then, for each
fault type, one fault goes into one rendering (chosen in turn, seeded) and the checker runs again. A fault is
caught when the faulty run has a finding of an accepted kind, at warning or error, in that rendering at the fault's
paragraph, that the clean run did not have. Every other warning or error the faulty run adds on paragraphs the
fault did not touch is a new false finding.

With backtranslate="standin" both runs get stand-in back-translations (consistency/bench/standin.py): the English
rendering's aligned sentences, with the fault's content change made to the English for the faulty rendering. Run
with and without (`compare`) to see what back-translation adds per fault type.
"""
from __future__ import annotations

import random
import time
import zlib
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from consistency.bench.inject import INJECTORS, Fault
from consistency.bench.standin import MODES, Coverage, attach
from consistency.embed import CachedEmbedder, make_embedder
from consistency.load import load_sources
from consistency.model import Finding, Paragraph, Rendering, Result
from consistency.pipeline import Settings, check_renderings
from consistency.segment import segment

SERIOUS = {"error", "warning"}


@dataclass(frozen=True)
class Document:
    name: str
    paragraphs: dict[str, list[str]]  # lang -> paragraph texts


def load_corpus(corpus: Path) -> list[Document]:
    docs = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        sources = load_sources([folder])
        docs.append(Document(folder.name, {s.lang: [p.text for p in s.paragraphs] for s in sources}))
    return docs


def renderings(doc: Document) -> tuple[Rendering, ...]:
    out = []
    for lang, texts in sorted(doc.paragraphs.items()):
        paras = tuple(Paragraph(index=i, line=i, text=t) for i, t in enumerate(texts, 1))
        out.append(Rendering(lang, f"{doc.name}/{lang}.txt", segment(lang, paras)))
    return tuple(out)


def _standin(doc: Document, pivot: str, fault: Fault | None = None, coverage: Coverage | None = None,
             clean: Document | None = None) -> tuple[Rendering, ...]:
    """The document's renderings with stand-in back-translations (as they are, without an English rendering).
    `clean`: the document before the fault. A rendering the fault left alone is translated from its own,
    unchanged text, so its stand-in is the clean English even where the fault is in the English rendering itself
    (the pivot's back-translation is its own text, faulty or not)."""
    rends = renderings(doc)
    en = (clean or doc).paragraphs.get(pivot)
    if en is None:
        return rends
    english = {lang: en for lang in doc.paragraphs}
    if fault is not None and fault.english is not None:
        english[fault.lang] = fault.english
    return attach(rends, english, pivot, coverage)


def _key(result: Result, f: Finding) -> tuple:
    """A finding's identity across runs: paragraph ordinals shift when a paragraph is dropped, texts do not."""
    para = result.rendering(f.lang).paragraph(f.paragraph).text if f.paragraph else ""
    return (f.kind, f.lang, para, f.text)


def _serious(result: Result) -> list[Finding]:
    return [f for f in result.findings if f.severity.value in SERIOUS]


def _at_fault(fault: Fault, accepts: frozenset[str], clean: set, faulty: Result,
              findings: Iterable[Finding]) -> list[Finding]:
    """Of `findings`, the new ones of a fitting kind on the faulty paragraphs of the faulty rendering."""
    return [f for f in findings if f.kind in accepts and f.lang == fault.lang
            and f.paragraph in fault.paragraphs and _key(faulty, f) not in clean]


def catching(fault: Fault, accepts: frozenset[str], clean: set, faulty: Result) -> list[Finding]:
    """The new warnings and errors of a fitting kind on the faulty paragraphs of the faulty rendering."""
    return _at_fault(fault, accepts, clean, faulty, _serious(faulty))


def caught(fault: Fault, accepts: frozenset[str], clean: set, faulty: Result) -> bool:
    return bool(catching(fault, accepts, clean, faulty))


def _catch(f: Finding) -> dict:
    """A catching finding for the JSON: what, how severe, and its numeric evidence (scores, ratios, margins)."""
    numbers = {k: v for k, v in sorted(f.evidence.items()) if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return {"kind": f.kind, "severity": f.severity.value, "message": f.message[:160], **numbers}


def false_findings(fault: Fault, clean: set, faulty: Result) -> list[Finding]:
    touched = set(fault.touched)
    out = []
    for f in _serious(faulty):
        if _key(faulty, f) in clean:
            continue
        para = faulty.rendering(f.lang).paragraph(f.paragraph).text if f.paragraph else ""
        if f.lang == fault.lang and (f.paragraph in fault.paragraphs or para in touched):
            continue
        out.append(f)
    return out


def select(docs: list[Document], langs: Iterable[str] | None, max_docs: int | None) -> list[Document]:
    """Documents spread evenly over the corpus (not its first N: those are often one chapter), limited to `langs`;
    a document left with fewer than two of them is skipped."""
    keep = set(langs) if langs else None
    out = []
    for d in docs:
        paragraphs = {lang: ps for lang, ps in d.paragraphs.items() if keep is None or lang in keep}
        if len(paragraphs) >= 2:
            out.append(Document(d.name, paragraphs))
    if max_docs and len(out) > max_docs:
        step = len(out) / max_docs
        out = [out[int(i * step)] for i in range(max_docs)]
    return out


def run(corpus: Path, seed: int = 0, settings: Settings | None = None, types: Iterable[str] | None = None,
        progress: Callable[[str], None] | None = None, backtranslate: str = "off",
        langs: Iterable[str] | None = None, max_docs: int | None = None) -> dict:
    """Figures for one corpus; backtranslate: "off" (the checker as it runs without MT) or "standin"."""
    if backtranslate not in MODES:
        raise ValueError(f"backtranslate must be one of {', '.join(MODES)}, not {backtranslate!r}")
    settings = replace(settings or Settings(), backtranslate="off")  # stand-ins only: never load a model here
    names = list(types or INJECTORS)
    coverage = Coverage()

    def prepared(doc: Document, fault: Fault | None = None, clean: Document | None = None) -> tuple[Rendering, ...]:
        if backtranslate == "standin":
            return _standin(doc, settings.pivot, fault, coverage if fault is None else None, clean)
        return renderings(doc)
    docs = select(load_corpus(corpus), langs, max_docs)
    embedder = CachedEmbedder(lambda: make_embedder(settings.embedder), settings.embedder, settings.cache())
    start = time.perf_counter()
    injected: Counter = Counter()
    hits: Counter = Counter()
    false_total = 0
    untouched = 0
    clean_paragraphs = 0
    misses: list[dict] = []
    catches: list[dict] = []
    false_examples: list[dict] = []
    for n, doc in enumerate(docs):
        clean_result = check_renderings(prepared(doc), settings, embedder=embedder, name=doc.name)
        clean = {_key(clean_result, f) for f in clean_result.findings}
        clean_paragraphs += sum(len(p) for p in doc.paragraphs.values())
        langs = sorted(doc.paragraphs)
        for k, name in enumerate(names):
            injector = INJECTORS[name]()
            rng = random.Random(zlib.crc32(f"{seed}|{doc.name}|{name}".encode()))
            lang = langs[(n + k + seed) % len(langs)]
            others = {o: ps for o, ps in doc.paragraphs.items() if o != lang}
            made = injector.inject(list(doc.paragraphs[lang]), lang, others, rng)
            if made is None:
                continue
            new, fault = made
            faulty_doc = Document(doc.name, {**doc.paragraphs, lang: new})
            faulty = check_renderings(prepared(faulty_doc, fault, doc), settings, embedder=embedder, name=doc.name)
            injected[name] += 1
            found = catching(fault, injector.accepts, clean, faulty)
            if found:
                hits[name] += 1
                if len(catches) < 200:
                    catches.append({"document": doc.name, "fault": name, "lang": lang,
                                    "detail": fault.detail[:200], "by": [_catch(f) for f in found[:3]]})
            elif len(misses) < 200:
                # What the checker did say there, below a warning (a miss by severity, not by blindness).
                below = _at_fault(fault, injector.accepts, clean, faulty, faulty.findings)
                misses.append({"document": doc.name, "fault": name, "lang": lang,
                               "paragraphs": list(fault.paragraphs), "detail": fault.detail[:200],
                               "below": [_catch(f) for f in below[:3]]})
            wrong = false_findings(fault, clean, faulty)
            false_total += len(wrong)
            untouched += sum(len(p) for p in faulty_doc.paragraphs.values()) - len(fault.touched)
            for f in wrong[: max(0, 200 - len(false_examples))]:
                false_examples.append({"document": doc.name, "fault": name, "kind": f.kind, "lang": f.lang,
                                       "paragraph": f.paragraph, "text": f.text[:120], "message": f.message})
        if progress:
            progress(doc.name)
    total = sum(injected.values())
    recall = {name: round(hits[name] / injected[name], 4) for name in names if injected[name]}
    return {
        "corpus": str(corpus),
        "corpus_name": corpus.resolve().name,
        "backtranslate": backtranslate,
        "backtranslation_coverage": coverage.share if backtranslate == "standin" else None,
        "documents": len(docs),
        "clean_paragraphs": clean_paragraphs,
        "seed": seed,
        "injected": {name: injected[name] for name in names},
        "accepts": {name: sorted(INJECTORS[name].accepts) for name in names},
        "caught": {name: hits[name] for name in names},
        "recall": recall,
        "recall_overall": round(sum(hits.values()) / total, 4) if total else None,
        "recall_min": min(recall.values()) if recall else None,
        "new_false_findings": false_total,
        "untouched_paragraphs": untouched,
        "false_finding_rate": round(false_total / untouched, 4) if untouched else None,
        "wall_time_s": round(time.perf_counter() - start, 1),
        "misses": misses,
        "catches": catches,
        "false_findings": false_examples,
    }


def compare(corpus: Path, seed: int = 0, settings: Settings | None = None, types: Iterable[str] | None = None,
            progress: Callable[[str], None] | None = None, langs: Iterable[str] | None = None,
            max_docs: int | None = None) -> dict:
    """The figures without back-translation, plus the stand-in run under "with_backtranslation" and recall per
    fault type side by side under "recall_compared" ({type: {"off": r, "standin": r}})."""
    off = run(corpus, seed, settings, types, progress, "off", langs, max_docs)
    standin = run(corpus, seed, settings, types, progress, "standin", langs, max_docs)
    side = {name: {"off": off["recall"].get(name), "standin": standin["recall"].get(name)}
            for name in off["injected"]}
    return {**off, "with_backtranslation": standin, "recall_compared": side}

"""A stand-in for back-translation in the fault benchmark: what back-translation adds, measured without MT weights.

The "back-translation" of a sentence is the English rendering's sentence at the same place: the same paragraph
(the corpora are paragraph-parallel) and the same sentence ordinal, where the English paragraph has as many
sentences; otherwise the paragraph's sentences get none (left None: the back-translation checks and the aligner
then skip them, so a mismatch cannot invent a finding). The English rendering's own back-translation is its text,
as in consistency/backtranslate.py.

For the rendering a fault went into, the English is the fault's `english` (consistency/bench/inject.py): the same
content change made to the English (a sentence or clause dropped, words shuffled, a paragraph cut or dropped), or
the clean English where the fault changes nothing an MT model would carry into English (truncations, misspellings,
placeholders, numbers, case, repetitions). A perfect MT model, in other words: it repairs nothing and adds no noise.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping, Sequence

from consistency.model import Rendering
from consistency.segment import split_sentences

MODES = ("off", "standin")


@dataclass
class Coverage:
    sentences: int = 0  # sentences of non-pivot renderings
    filled: int = 0  # ... that got a stand-in back-translation

    @property
    def share(self) -> float | None:
        return round(self.filled / self.sentences, 4) if self.sentences else None


def attach(renderings: Sequence[Rendering], english: Mapping[str, Sequence[str]], pivot: str = "en",
           coverage: Coverage | None = None) -> tuple[Rendering, ...]:
    """Renderings with `Sentence.backtranslation` set from `english` (lang -> the English paragraphs that stand in
    for that rendering's back-translation); a rendering missing from `english` is left as it is."""
    out = []
    for r in renderings:
        if r.lang == pivot:
            paras = tuple(replace(p, sentences=tuple(replace(s, backtranslation=s.text) for s in p.sentences))
                          for p in r.paragraphs)
            out.append(replace(r, paragraphs=paras))
            continue
        source = english.get(r.lang)
        if source is None:
            out.append(r)
            continue
        paras = []
        for j, p in enumerate(r.paragraphs):
            en = [s for _, s in split_sentences(pivot, source[j])] if j < len(source) else []
            fits = len(en) == len(p.sentences)
            if coverage is not None:
                coverage.sentences += len(p.sentences)
                coverage.filled += len(p.sentences) if fits else 0
            sents = tuple(replace(s, backtranslation=en[k] if fits else None) for k, s in enumerate(p.sentences))
            paras.append(replace(p, sentences=sents))
        out.append(replace(r, paragraphs=tuple(paras)))
    return tuple(out)

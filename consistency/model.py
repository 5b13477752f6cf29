"""Core data: what flows between the stages. Frozen, so a stage returns new objects instead of editing old ones."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


# A sentence is addressed inside its rendering by (paragraph ordinal, sentence ordinal), both 1-based.
SentenceRef = tuple[int, int]


@dataclass(frozen=True)
class Sentence:
    paragraph: int
    index: int
    line: int
    text: str
    start: int  # character offset inside the paragraph text
    backtranslation: str | None = None

    @property
    def ref(self) -> SentenceRef:
        return (self.paragraph, self.index)


@dataclass(frozen=True)
class Paragraph:
    index: int
    line: int
    text: str
    sentences: tuple[Sentence, ...] = ()
    heading: bool = False
    breaks: tuple[int, ...] = ()  # offsets in `text` where a new source line begins (wrapped paragraphs)

    def line_at(self, offset: int) -> int:
        return self.line + sum(1 for b in self.breaks if b <= offset)


@dataclass(frozen=True)
class Rendering:
    lang: str
    path: str
    paragraphs: tuple[Paragraph, ...]
    lang_from: str = "name"  # name | detected | option

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)

    def paragraph(self, index: int) -> Paragraph:
        return self.paragraphs[index - 1]

    def sentence(self, ref: SentenceRef) -> Sentence:
        return self.paragraphs[ref[0] - 1].sentences[ref[1] - 1]


@dataclass(frozen=True)
class ParagraphGroup:
    """Paragraphs that render the same content; a language with no paragraph here maps to ()."""

    index: int
    members: Mapping[str, tuple[int, ...]]
    score: float | None = None

    def present(self) -> list[str]:
        return [lang for lang, ps in self.members.items() if ps]


@dataclass(frozen=True)
class SentenceGroup:
    index: int
    paragraph_group: int
    members: Mapping[str, tuple[SentenceRef, ...]]
    score: float | None = None

    def present(self) -> list[str]:
        return [lang for lang, ss in self.members.items() if ss]


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: Severity
    lang: str
    path: str
    paragraph: int | None
    line: int | None
    text: str
    message: str
    score: float
    evidence: Mapping[str, Any] = field(default_factory=dict)
    sentence: int | None = None
    start: int | None = None  # character offset of `text` inside the paragraph
    group: int | None = None  # paragraph group
    fingerprint: str | None = None  # stable across unrelated edits (see consistency/baseline.py)

    def sort_key(self) -> tuple:
        return (self.lang, self.paragraph or 0, self.sentence or 0, self.start or 0, self.kind, self.text, self.line or 0)


@dataclass(frozen=True)
class ModelInfo:
    role: str  # embedder | translator
    id: str
    revision: str | None = None
    engine: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Result:
    """Everything one `check` run over one document produced."""

    renderings: tuple[Rendering, ...]
    paragraph_groups: tuple[ParagraphGroup, ...]
    sentence_groups: tuple[SentenceGroup, ...]
    findings: tuple[Finding, ...]
    models: tuple[ModelInfo, ...] = ()
    name: str = ""
    notices: tuple[str, ...] = ()  # things the user should hear once (on stderr), not findings
    # Checks that did not run: `kind` (every rendering) or `lang:kind` -> why. Reports show them as skipped.
    not_run: Mapping[str, str] = field(default_factory=dict)
    source: str | None = None  # the rendering that is the original, when one is

    def rendering(self, lang: str) -> Rendering:
        for r in self.renderings:
            if r.lang == lang:
                return r
        raise KeyError(lang)


@dataclass(frozen=True)
class Unmatched:
    """A file that entered a corpus run but found no counterpart in another language: reported, never aligned."""

    path: str
    lang: str
    reason: str


@dataclass(frozen=True)
class Corpus:
    """What one run over one or more documents produced; renderers take this."""

    documents: tuple[Result, ...]
    unmatched: tuple[Unmatched, ...] = ()
    baselined: int = 0  # findings left out because a baseline already knows them

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for d in self.documents for f in d.findings)

    @property
    def notices(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for d in self.documents for n in d.notices))

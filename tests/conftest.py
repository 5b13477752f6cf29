"""Shared test fixtures: an isolated cache, the seed essay, and tiny documents written on the fly."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds" / "deepseek-essay"


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """One embeddings cache for the whole session, never the user's: tests stay fast and hermetic."""
    mp = pytest.MonkeyPatch()
    mp.setenv("CONSISTENCY_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    mp.setenv("HF_HUB_OFFLINE", "1")
    yield
    mp.undo()


@pytest.fixture
def seeds() -> Path:
    return SEEDS


def write_doc(folder: Path, texts: dict[str, str | list[str]], suffix: str = ".txt") -> Path:
    """Write one file per language; a list is one paragraph per line."""
    folder.mkdir(parents=True, exist_ok=True)
    for lang, text in texts.items():
        body = "\n".join(text) if isinstance(text, list) else text
        (folder / f"{lang}{suffix}").write_text(body, encoding="utf-8")
    return folder


@pytest.fixture
def doc(tmp_path):
    counter = iter(range(1000))

    def make(texts: dict[str, str | list[str]], suffix: str = ".txt") -> Path:
        return write_doc(tmp_path / f"doc{next(counter)}", texts, suffix)

    return make


@pytest.fixture
def e5_texts() -> list[str]:
    """Texts that try an e5 engine's tokeniser: three languages, full-width forms and ligatures (normalised), CJK,
    one letter, nothing, control characters and emoji."""
    return [
        "Die Installation dauert etwa zehn Minuten.",
        "Le programme d'installation ne démarre pas ; vérifiez le BIOS.",
        "Instalasi memerlukan   ruang disk minimal 10 GB.",
        "Ｆｕｌｌ-width ＡＢＣ, the ﬁ ligature and ½ normalised",
        "中文句子，还有日本語のテキスト。",
        "x",
        "",
        "tabs\tand\nnewlines  and emoji 🙂",
    ]

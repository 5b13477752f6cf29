"""Back-translation stage and back-translation-based detection, driven by translators whose output the test sets.

Nothing here needs torch or transformers; tests/test_mt_engines.py covers the real engines.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType

import pytest
from typer.testing import CliRunner

from consistency.backtranslate import CachedTranslator, namespace
from consistency.cache import Cache
from consistency.checks import CHECKS, Context
from consistency.cli import app
from consistency.model import ModelInfo, Paragraph, ParagraphGroup, Rendering, Sentence, SentenceGroup
from consistency.mt import Generation, Translator
from consistency.pipeline import Settings, check_renderings, load_renderings

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "deepseek-essay"


class Table(Translator):
    """Translates by lookup; unknown text comes back marked, so a test sees what it did not plan for."""

    engine = "table"

    def __init__(self, lang: str, table: dict[str, str], batch_size: int = 16):
        super().__init__(ModelInfo("translator", f"table-{lang}", "r1", self.engine, lang),
                         Generation(batch_size=batch_size))
        self.table = table
        self.seen: list[str] = []

    def _translate_batch(self, texts: list[str]) -> list[str]:
        self.seen += texts
        return [self.table.get(t, f"<{t}>") for t in texts]


# --- the stage ------------------------------------------------------------------------------------------------------

DOC = {
    "id": "Harga beras naik tajam bulan ini. Pemerintah berjanji menurunkan harga.\n\nPetani menyambut baik kebijakan baru.",
    "de": "Der Reispreis ist diesen Monat stark gestiegen. Die Regierung verspricht, die Preise zu senken.\n\n"
          "Die Bauern begrüßen die neue Politik.",
    "fr": "Le prix du riz a fortement augmenté ce mois-ci. Le gouvernement promet de baisser les prix.\n\n"
          "Les agriculteurs saluent la nouvelle politique.",
}
ENGLISH = ["The price of rice rose sharply this month.", "The government promises to lower prices.",
           "Farmers welcome the new policy."]


def _write(tmp: Path, doc: dict[str, str]) -> Path:
    folder = tmp / "doc"
    folder.mkdir(exist_ok=True)
    for lang, text in doc.items():
        (folder / f"{lang}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


def _tables(renderings, overrides: dict[tuple[str, int], str] | None = None) -> dict[str, Table]:
    out = {}
    for r in renderings:
        table = {s.text: (overrides or {}).get((r.lang, k), ENGLISH[k]) for k, s in enumerate(r.sentences)}
        out[r.lang] = Table(r.lang, table)
    return out


@pytest.fixture()
def doc(tmp_path):
    return load_renderings([_write(tmp_path, DOC)], Settings())


def test_every_sentence_gets_its_backtranslation_and_the_models_are_listed(doc, tmp_path):
    result = check_renderings(doc, Settings(cache_dir=tmp_path / "c"), translators=_tables(doc))
    for r in result.renderings:
        assert [s.backtranslation for s in r.sentences] == ENGLISH
    translators = [m for m in result.models if m.role == "translator"]
    assert [(m.lang, m.id, m.revision, m.engine) for m in translators] == [
        ("de", "table-de", "r1", "table"), ("fr", "table-fr", "r1", "table"), ("id", "table-id", "r1", "table")]
    assert not [f for f in result.findings if f.kind == "garbled"]


def test_second_run_is_served_from_the_cache(doc, tmp_path):
    settings = Settings(cache_dir=tmp_path / "c")
    check_renderings(doc, settings, translators=_tables(doc))
    again = _tables(doc)
    result = check_renderings(doc, settings, translators=again)
    assert all(t.calls == 0 and not t.seen for t in again.values())
    assert [s.backtranslation for s in result.rendering("de").sentences] == ENGLISH


def test_a_corrupted_cache_file_is_replaced_and_the_run_works(doc, tmp_path):
    settings = Settings(cache_dir=tmp_path / "c")
    check_renderings(doc, settings, translators=_tables(doc))
    (tmp_path / "c" / "cache.sqlite3").write_bytes(b"\x00garbage" * 512)
    fresh = _tables(doc)
    result = check_renderings(doc, settings, translators=fresh)
    assert sum(t.calls for t in fresh.values()) == 3  # everything translated again
    assert [s.backtranslation for s in result.rendering("fr").sentences] == ENGLISH


def test_cache_keys_name_model_revision_engine_and_decoding():
    info = ModelInfo("translator", "m", "rev1", "transformers", "de")
    base = namespace(info, Generation(), "en")
    assert namespace(ModelInfo("translator", "m", "rev2", "transformers", "de"), Generation(), "en") != base
    assert namespace(ModelInfo("translator", "m", "rev1", "ctranslate2-int8", "de"), Generation(), "en") != base
    assert namespace(info, Generation(beams=4), "en") != base
    assert namespace(info, Generation(max_length=64), "en") != base
    assert namespace(info, Generation(batch_size=3), "en") == base  # output does not depend on batching


def test_cached_translator_translates_each_distinct_text_once(tmp_path):
    inner = Table("de", {"a": "A", "b": "B"})
    cached = CachedTranslator(lambda: inner, "ns", Cache(tmp_path))
    assert cached.translate(["a", "b", "a", ""]) == ["A", "B", "A", ""]
    assert sorted(inner.seen) == ["a", "b"]


@pytest.mark.parametrize("batch_size", [1, 2, 3, 16])
def test_batches_sorted_by_length_give_the_same_output(batch_size):
    texts = ["ccc", "a", "bb", "dddd", "a"]
    t = Table("de", {x: x.upper() for x in texts}, batch_size=batch_size)
    assert t.translate(texts) == ["CCC", "A", "BB", "DDDD", "A"]
    assert t.seen == sorted(texts, key=len)


# --- detection ------------------------------------------------------------------------------------------------------


def _context(rows: dict[str, tuple[str, str | None]]) -> Context:
    """One paragraph of one sentence per language, all aligned."""
    renderings = tuple(
        Rendering(lang, f"{lang}.txt", (Paragraph(1, 1, text, (Sentence(1, 1, 1, text, 0, bt),)),))
        for lang, (text, bt) in sorted(rows.items()))
    members = MappingProxyType({lang: ((1, 1),) for lang in rows})
    return Context(renderings, (ParagraphGroup(1, {lang: (1,) for lang in rows}),), (SentenceGroup(1, 1, members),))


def _found(kind: str, rows) -> list[tuple[str, str]]:
    return sorted((f.lang, f.severity.value) for f in CHECKS[kind]().run(_context(rows)))


GOOD = "The government promised on Monday to lower the price of rice before the elections."
GOOD2 = "On Monday the government promised to lower rice prices before the election."
GOOD3 = "The government pledged Monday to cut the price of rice ahead of the elections."
JUNK = "Wings of the blue mountain sing quietly under forty bridges tonight."

GARBLED = [
    # (back-translations by language, who is garbled)
    ({"id": GOOD, "de": GOOD2, "fr": GOOD3}, []),
    ({"id": GOOD, "de": JUNK, "fr": GOOD3}, ["de"]),
    ({"id": JUNK, "de": GOOD2, "fr": GOOD3}, ["id"]),
    ({"id": GOOD, "de": JUNK}, []),  # two renderings: no consensus to blame one
    ({"id": JUNK, "de": "Cats eat fish in the old harbour every single day.", "fr": GOOD3}, []),  # no consensus
    ({"id": GOOD, "de": GOOD2, "fr": GOOD3, "es": JUNK}, ["es"]),
    ({"id": GOOD, "de": "iden " * 20, "fr": "iden " * 19}, []),  # two models stuck in a loop are no consensus
]


@pytest.mark.parametrize("bts,expected", GARBLED)
def test_garbled_blames_the_backtranslation_that_leaves_the_consensus(bts, expected):
    rows = {lang: (f"text in {lang}", bt) for lang, bt in bts.items()}
    assert [lang for lang, _ in _found("garbled", rows)] == expected


def test_garbled_finds_nothing_without_backtranslations():
    assert _found("garbled", {"id": ("a b c", None), "de": ("d e f", None), "fr": ("g h i", None)}) == []


def test_garbled_evidence_carries_all_backtranslations():
    rows = {"id": ("Pemerintah berjanji.", GOOD), "de": ("Kaputt kaputt.", JUNK), "fr": ("Le gouvernement.", GOOD3)}
    (f,) = CHECKS["garbled"]().run(_context(rows))
    assert f.evidence["backtranslation"] == JUNK
    assert {c["lang"]: c["backtranslation"] for c in f.evidence["counterparts"]} == {"fr": GOOD3, "id": GOOD}


OMITTED = "The government promised on Monday."
OMISSION = [
    ({"id": GOOD, "de": GOOD2, "fr": GOOD3}, []),
    ({"id": GOOD, "de": OMITTED, "fr": GOOD3}, ["de"]),
]


@pytest.mark.parametrize("bts,expected", OMISSION)
def test_omission_sees_content_missing_from_one_backtranslation(bts, expected):
    # The texts are of equal length, so only the back-translations can tell.
    rows = {lang: ("x" * 40 + f" {lang}", bt) for lang, bt in bts.items()}
    found = [f for f in CHECKS["omission"]().run(_context(rows))]
    assert [f.lang for f in found] == expected
    for f in found:
        assert {"rice", "price"} <= set(f.evidence["missing_in_backtranslation"])


def test_untranslated_sees_a_sentence_still_in_the_pivot():
    left = "The government promised on Monday to lower the price of rice before the elections."
    rows = {"id": ("Pemerintah berjanji pada hari Senin untuk menurunkan harga beras sebelum pemilu.", GOOD),
            "de": (left, left),
            "fr": ("Le gouvernement a promis lundi de baisser le prix du riz avant les élections.", GOOD3)}
    ctx = _context(rows)
    found = [f for f in CHECKS["untranslated"]().run(ctx) if f.sentence is not None and f.text == left]
    assert [f.lang for f in found] == ["de"]


# --- command line ---------------------------------------------------------------------------------------------------


@pytest.fixture()
def clean_env(tmp_path, monkeypatch):
    """No models anywhere: an empty HF cache, no config, a private result cache."""
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    monkeypatch.setenv("CONSISTENCY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CONSISTENCY_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    return tmp_path


def test_missing_model_offline_is_one_line_and_exit_2(clean_env):
    r = CliRunner().invoke(app, ["check", str(SEEDS), "--backtranslate", "--offline", "-q"])
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [
        "consistency: error: no local copy of Helsinki-NLP/opus-mt-de-en for de; run `consistency models pull de` "
        "while online, or pass --mt-model de=DIR"]
    assert r.stdout == ""


def test_hf_hub_offline_counts_as_offline(clean_env, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    r = CliRunner().invoke(app, ["check", str(SEEDS), "--backtranslate", "-q"])
    assert r.exit_code == 2 and "no local copy of Helsinki-NLP/opus-mt-de-en" in r.stderr


def test_a_model_directory_that_is_not_one_is_exit_2(clean_env):
    r = CliRunner().invoke(app, ["check", str(SEEDS), "--mt-model", f"de={clean_env}", "-q"])
    assert r.exit_code == 2 and "not a model directory" in r.stderr


def test_auto_without_models_runs_the_offline_checks_and_says_so_once(clean_env):
    auto = CliRunner().invoke(app, ["check", str(SEEDS), "-f", "json", "--fail-on", "never", "-q"])
    off = CliRunner().invoke(app, ["check", str(SEEDS), "-f", "json", "--fail-on", "never", "-q",
                                   "--no-backtranslate"])
    assert auto.exit_code == off.exit_code == 0
    assert auto.stdout == off.stdout
    assert auto.stderr.count("back-translation is off") == 1 and "models pull de fr id" in auto.stderr
    assert off.stderr == ""
    assert all(s["backtranslation"] is None for r in json.loads(off.stdout)["renderings"] for s in r["sentences"])


def test_config_file_sets_models_and_bad_keys_are_exit_2(clean_env):
    cfg = clean_env / "c.toml"
    cfg.write_text('[backtranslate]\nmode = "on"\noffline = true\n[backtranslate.models]\nde = "org/de-en"\n',
                   encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(SEEDS), "--config", str(cfg), "-q"])
    assert r.exit_code == 2 and "no local copy of org/de-en for de" in r.stderr
    cfg.write_text("[backtranslate]\nbeam = 3\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(SEEDS), "--config", str(cfg), "-q"])
    assert r.exit_code == 2 and "unknown key backtranslate.beam" in r.stderr


def test_models_list_and_pull_offline(clean_env, monkeypatch):
    r = CliRunner().invoke(app, ["models", "list", "de"])
    assert r.exit_code == 0 and r.stdout == "de\tHelsinki-NLP/opus-mt-de-en\tnot on this machine\n"
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    r = CliRunner().invoke(app, ["models", "pull", "de"])
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1


def test_an_offline_check_imports_neither_torch_nor_transformers(clean_env):
    # A fresh interpreter: other tests in this process may have imported torch already.
    code = ("import sys; from consistency.pipeline import Settings, run_check; "
            f"r = run_check([{str(SEEDS)!r}], Settings(backtranslate='auto')); "
            "assert r.notices; print(sorted(m for m in ('torch', 'transformers', 'ctranslate2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy(),
                         check=True)
    assert out.stdout.strip() == "[]"


# --- alignment ------------------------------------------------------------------------------------------------------


def test_backtranslations_decide_links_that_the_embeddings_cannot():
    import numpy as np  # noqa: PLC0415

    from consistency.align import Track, align_tracks  # noqa: PLC0415

    unrelated = np.eye(5, dtype=np.float32)  # to the embedder, no sentence resembles any other
    old = ["The government promised to lower the price of rice.", "Prices rose.", "Farmers welcome the new policy."]
    new = ["The government promised to lower rice prices.", "The farmers welcome the new policy."]

    def tracks(with_bt: bool):
        return [Track("a", unrelated[:3], np.ones(3), backtranslations=old if with_bt else None),
                Track("b", unrelated[3:], np.ones(2), backtranslations=new if with_bt else None)]

    linked = align_tracks(tracks(True)).members
    assert [(m["a"], m["b"]) for m in linked] == [([0], [0]), ([1], []), ([2], [1])]
    assert [(m["a"], m["b"]) for m in align_tracks(tracks(False)).members] != [(m["a"], m["b"]) for m in linked]

"""A large document's model batches run elsewhere (consistency/spread.py): the same vectors and back-translations as
batches run here, the spreader used only from `min_batches` on; under a local Ray, the same findings."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from consistency import spread
from consistency.backtranslate import CachedTranslator
from consistency.cache import Cache
from consistency.embed import EMBED_MAX_CHARS
from test_backtranslate import Table
from test_cache import fake_embedder
from test_parallel import corpus  # noqa: F401  (fixture)

HAS_RAY = importlib.util.find_spec("ray") is not None


class Recording:
    """Runs the batches here, in order, through `spread.run_batch` (as a cluster's task would), and records them."""

    def __init__(self, min_batches: int):
        self.min_batches = min_batches
        self.calls: list[tuple[str, str, int]] = []

    def map(self, key, factory, method, batches):
        self.calls.append((key, method, len(batches)))
        return (spread.run_batch(key, factory, method, b) for b in batches)


@pytest.fixture(autouse=True)
def fresh_models():
    spread._models.clear()
    yield
    spread._models.clear()


TEXTS = [f"sentence number {i} of a long document" for i in range(9)] + ["y" * (EMBED_MAX_CHARS + 50)]


@pytest.mark.parametrize("min_batches,spread_used", [(2, True), (5, True), (6, False)])
def test_embedding_batches_spread_give_the_same_vectors(min_batches, spread_used):
    here, _ = fake_embedder(Cache(None), batch=2)
    spreader = Recording(min_batches)
    there, built = fake_embedder(Cache(None), batch=2, spreader=spreader)
    assert np.array_equal(there.embed(TEXTS), here.embed(TEXTS))  # 10 texts in 5 batches of 2
    assert spreader.calls == ([("fake", "embed", 5)] if spread_used else [])
    assert len(built) == 1 and there.computed == len(TEXTS) and there.capped == 1  # the long one by its ends


def test_translation_batches_spread_give_the_same_backtranslations():
    texts = [f"kalimat {i}" for i in range(130)]  # three chunks of at most 64
    table = {t: f"sentence {t.split()[1]}" for t in texts}
    here = CachedTranslator(lambda: Table("id", table), "bt-test", Cache(None))
    spreader = Recording(3)
    there = CachedTranslator(lambda: Table("id", table), "bt-test", Cache(None), spreader)
    done: list[int] = []
    assert there.translate(texts, done.append) == here.translate(texts) == [table[t] for t in texts]
    assert spreader.calls == [("bt-test", "translate", 3)] and sum(done) == len(texts)
    assert there.model_calls == 0  # no model was built in this process: every batch ran through the spreader


@pytest.mark.skipif(not HAS_RAY, reason="ray is not installed (pip install 'consistency[ray]')")
def test_local_ray_spreading_every_batch_finds_the_same(corpus, tmp_path):  # noqa: F811
    from consistency.parallel import RayExecutor
    from consistency.pipeline import Settings, run_corpus

    def findings(executor, cache: Path):
        result = run_corpus([corpus], Settings(cache_dir=cache), executor=executor)
        return [(d.name, f.kind, f.lang, f.paragraph, f.text, f.severity, round(f.score, 6))
                for d in result.documents for f in d.findings]

    single = findings(None, tmp_path / "single")
    # Every document's embedding misses as Ray tasks of their own (a cold cache: nothing served from it).
    spread_out = findings(RayExecutor(None, num_cpus=2, spread_min_batches=1), tmp_path / "spread")
    assert spread_out == single and any(k == "doubled_word" for _, k, *_ in single)


def test_a_spread_batch_may_be_empty():
    # A capped text whose two end pieces are embedded already sends an empty batch; its row is their mean.
    long_text = ", ".join(f"teil {i} ohne punkt und ende" for i in range(2_000))
    here, _ = fake_embedder(Cache(None))
    there, _ = fake_embedder(Cache(None), spreader=Recording(1))
    first = there.embed([long_text])
    assert np.array_equal(there.embed([long_text]), first) and np.array_equal(here.embed([long_text]), first)

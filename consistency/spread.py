"""Model batches of one document run elsewhere: the hook through which a very large document's embedding and
back-translation batches become tasks of a cluster (see `consistency.parallel.RaySpreader`).

The embedder and the translator behind the cache (`consistency.embed.CachedEmbedder`,
`consistency.backtranslate.CachedTranslator`) cut what they must compute into batches and run them one after
another. Given a `Spreader`, a document with at least `min_batches` batches hands them over instead; the spreader
builds the model where each batch runs (from the same factory, once per process and `key`) and returns the outputs
in the batches' order. Outputs do not depend on where or with what other batches a batch ran (embeddings and
greedy translations are computed per text), so the report is the same either way.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, Protocol

# Per process: the models built for batches, by key (the cache namespace: model, revision, settings).
_models: dict[str, Any] = {}


class Spreader(Protocol):
    """Runs `getattr(model, method)(batch)` for each batch elsewhere and yields the outputs in order."""

    min_batches: int

    def map(self, key: str, factory: Callable[[], Any], method: str,
            batches: list[list[str]]) -> Iterator[Any]: ...


def run_batch(key: str, factory: Callable[[], Any], method: str, batch: list[str]) -> Any:
    """One batch through this process's model for `key` (built by `factory` on first use): the task a spreader
    runs. Raises what the model raises."""
    model = _models.get(key)
    if model is None:
        model = _models[key] = factory()
    return getattr(model, method)(batch)

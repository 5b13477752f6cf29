"""The translator interface: sentences in, pivot-language sentences out, in batches sorted by length."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from consistency.errors import ModelError
from consistency.model import ModelInfo

# A translation runs to about 1.2x its source in subword tokens between European languages and Indonesian; a
# model stuck repeating itself (common with weak pairs and with random weights) is cut at twice that plus a few.
LENGTH_RATIO = 2.0
LENGTH_SLACK = 10
# Hard cap on generated tokens: Marian models are trained on sentences well under 256 pieces.
MAX_LENGTH = 256
# Longer inputs are truncated (opus-mt's max_position_embeddings is 512).
MAX_INPUT_TOKENS = 512
DEFAULT_BATCH = 16


@dataclass(frozen=True)
class Generation:
    """Decoding settings; they are part of every cache key."""

    beams: int = 1  # 1: greedy
    max_length: int = MAX_LENGTH
    batch_size: int = DEFAULT_BATCH

    def limit(self, source_tokens: int) -> int:
        """Tokens this sentence may generate: the runaway guard, applied per sentence so that a sentence gives the
        same output whatever it is batched with."""
        return max(1, min(self.max_length, int(LENGTH_RATIO * source_tokens) + LENGTH_SLACK))

    def key(self) -> str:
        # batch_size is left out: outputs do not depend on it.
        return f"beams={self.beams};max={self.max_length};ratio={LENGTH_RATIO};slack={LENGTH_SLACK}"


class Translator:
    """One model translating one source language into the pivot. Engines implement `_translate_batch`."""

    engine = "none"

    def __init__(self, info: ModelInfo, generation: Generation = Generation()):
        self.info = info
        self.generation = generation
        self.calls = 0  # batches sent to the model: tests check that a warm cache sends none
        # Batches per call of `_translate_batch`: an engine that runs several side by side takes them together and
        # cuts them again (CTranslate2's inter_threads), each of generation.batch_size.
        self.parallel_batches = 1

    def translate(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> list[str]:
        out: list[str] = [""] * len(texts)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        # Sorted by length so that each batch pads little; the index breaks ties for a fixed order.
        todo.sort(key=lambda i: (len(texts[i]), i))
        size = max(1, self.generation.batch_size) * max(1, self.parallel_batches)
        for k in range(0, len(todo), size):
            chunk = todo[k : k + size]
            self.calls += 1
            try:
                batch = self._translate_batch([texts[i] for i in chunk])
            except (RuntimeError, ValueError, IndexError) as exc:  # an engine failing on this input or device
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
                raise ModelError(f"{self.info.id} ({self.info.engine}) failed on {self.info.lang}: {first}") from exc
            for i, text in zip(chunk, batch):
                out[i] = " ".join(text.split())
            if progress:
                progress(len(chunk))
        return out

    def _translate_batch(self, texts: list[str]) -> list[str]:
        raise NotImplementedError


def pick_device(requested: str = "auto") -> str:
    """cuda, mps or cpu for torch; `requested` other than auto is taken as given."""
    if requested != "auto":
        return requested
    import torch  # noqa: PLC0415

    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"

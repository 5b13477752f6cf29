"""The transformers engine: AutoModelForSeq2SeqLM + AutoTokenizer, greedy by default, fp32, from a local directory."""
from __future__ import annotations

import warnings

from consistency.errors import ModelError
from consistency.model import ModelInfo
from consistency.mt.base import MAX_INPUT_TOKENS, Generation, Translator, pick_device
from consistency.mt.models import ModelSource, nllb_code


def _transformers():
    try:
        import transformers  # noqa: PLC0415
    except ImportError as exc:
        raise ModelError("back-translation needs transformers, sentencepiece and torch: "
                         "pip install 'consistency[mt]' torch") from exc
    quiet_transformers()
    return transformers


def quiet_transformers() -> None:
    """Our own progress bar covers loading; transformers' bars and advice would print on every run."""
    import transformers  # noqa: PLC0415

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()


def _load(source: ModelSource, what: str, load):
    assert source.path is not None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "install sacremoses" and similar advice, once per load
            return load()
    except ModelError:
        raise
    except Exception as exc:  # corrupt weights, a missing tokenizer file, an unknown architecture  # noqa: BLE001
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise ModelError(f"cannot load the {what} of {source.id} for {source.lang}: {first}") from exc


def load_tokenizer(source: ModelSource):
    """The tokenizer from the source's local directory: no network, no remote code."""
    extra = {"src_lang": nllb_code(source.lang)} if source.is_nllb else {}
    auto = _transformers().AutoTokenizer
    return _load(source, "tokenizer", lambda: auto.from_pretrained(
        source.path, local_files_only=True, trust_remote_code=False, **extra))


def load_seq2seq(source: ModelSource):
    """Tokenizer and model (safetensors first, as transformers prefers them when both exist), in eval mode."""
    tokenizer = load_tokenizer(source)
    auto = _transformers().AutoModelForSeq2SeqLM
    model = _load(source, "weights", lambda: auto.from_pretrained(
        source.path, local_files_only=True, trust_remote_code=False))
    return tokenizer, model.eval()


class TransformersTranslator(Translator):
    engine = "transformers"

    def __init__(self, source: ModelSource, generation: Generation = Generation(), device: str = "auto",
                 pivot: str = "en"):
        super().__init__(ModelInfo("translator", source.id, source.revision, self.engine, source.lang), generation)
        self.tokenizer, self.model = load_seq2seq(source)
        self.device = pick_device(device)
        self.model.to(self.device)
        self._forced_bos = (self.tokenizer.convert_tokens_to_ids(nllb_code(pivot)) if source.is_nllb else None)
        self._positions = int(getattr(self.model.config, "max_position_embeddings", MAX_INPUT_TOKENS))

    def _translate_batch(self, texts: list[str]) -> list[str]:
        import torch  # noqa: PLC0415

        enc = self.tokenizer(texts, return_tensors="pt", padding=True, truncation=True,
                             max_length=min(MAX_INPUT_TOKENS, self._positions))
        # The decoder has as many positions as the encoder: a limit past them would index out of the table.
        limits = [min(self.generation.limit(int(n)), self._positions - 2) for n in enc["attention_mask"].sum(dim=1)]
        kwargs = {"forced_bos_token_id": self._forced_bos} if self._forced_bos is not None else {}
        with torch.inference_mode():
            out = self.model.generate(**{k: v.to(self.device) for k, v in enc.items()}, do_sample=False,
                                      num_beams=self.generation.beams, max_new_tokens=max(limits) + 1, **kwargs)
        # Position 0 is the decoder start token; each row is cut at its own limit (see Generation.limit). The one
        # extra step keeps the end-of-sentence token that Marian forces at the last step outside every kept row.
        rows = [row[: 1 + limit] for row, limit in zip(out.cpu(), limits)]
        return self.tokenizer.batch_decode(rows, skip_special_tokens=True)

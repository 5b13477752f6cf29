#!/usr/bin/env python3
"""Can scrambled word order be seen offline? Two tries, measured (a benchmark that prints figures, not a test).

`shuffle_words` (3-5 neighbouring words of a sentence put in another order) is the one injected fault the offline
checker does not see (README, "How good is it"). This script measures the two signals within reach offline:

1. A word-bigram language model per language (interpolated Kneser-Ney, the 5,000 most frequent words, others as
   one class of capitalised and one of lower-case words, numbers as one) trained on Debian's translated manual
   pages and LibreOffice's translated help (2-3.5 million words for de/fr, 0.5 for id; packages fetched with
   `apt-get download`, none of them a dev or reserved corpus). Statistic: over every window of 3-5 words and every
   reordering of it, the most the reordering would raise the sentence's log-probability (a scrambled window has a
   restoring order; a fluent one should not) — and, second, the least likely adjacent pair of frequent words
   against its expected count (an anti-collocation).
2. The multilingual-e5 sentence embedding the checker computes anyway: a logistic probe trained on clean and
   scrambled sentences of the same training text (8 languages), scored on the dev corpus.

Each is scored on clean sentences of a dev corpus and the same sentences scrambled; printed: the recall at the
score the clean sentences exceed 1 % of the time. A check needs far less than 1 % (a warning on 0.1 % of clean
sentences already costs the audited precision), so recall at 1 % is an upper bound of what such a check would find.

    python benchmarks/word_order.py corpora/handbook --langs de,fr,id [--work /tmp/word-order]
"""
from __future__ import annotations

import argparse
import collections
import gzip
import itertools
import math
import random
import re
import subprocess
from pathlib import Path

import numpy as np

PACKAGES = {"en": ["manpages", "manpages-dev", "libreoffice-help-en-us"],
            "de": ["manpages-de", "manpages-de-dev", "libreoffice-help-de"],
            "fr": ["manpages-fr", "manpages-fr-dev", "libreoffice-help-fr"],
            "es": ["manpages-es", "manpages-es-dev", "libreoffice-help-es"],
            "it": ["manpages-it", "manpages-it-dev", "libreoffice-help-it"],
            "nl": ["manpages-nl", "manpages-nl-dev", "libreoffice-help-nl"],
            "pt": ["manpages-pt-br", "manpages-pt-br-dev", "libreoffice-help-pt"],
            "id": ["manpages-id", "kicad-doc-id", "libreoffice-help-id"]}
TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*|[^\w\s]")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
ROFF_ESCAPE = re.compile(r"\\f(\[[^\]]*\]|\(..|.)|\\\*(\[[^\]]*\]|\(..|.)|\\s[-+]?\d|\\[&|^:%c]|\\\(..")
ENGLISH = {"the", "and", "of", "to", "is", "for", "with", "this", "that", "are", "be", "you", "if", "an"}
VOCAB = 5000
SPECIAL = ["<s>", "</s>", "<num>", "<U>", "<u>"]


# -- training text ------------------------------------------------------------------------------------------------

def fetch(work: Path, package: str) -> Path:
    root = work / "x" / package
    if not root.exists():
        subprocess.run(["apt-get", "download", package], cwd=work, check=True, stdout=subprocess.DEVNULL)
        deb = next(work.glob(f"{package}_*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def roff_paragraphs(path: Path) -> list[str]:
    out, cur = [], []
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith((".", "'")):
                if cur:
                    out.append(" ".join(cur))
                    cur = []
                continue
            line = ROFF_ESCAPE.sub("", line).replace("\\-", "-").replace("\\e", "\\").strip()
            if line:
                cur.append(line)
            elif cur:
                out.append(" ".join(cur))
                cur = []
    return out + ([" ".join(cur)] if cur else [])


def html_paragraphs(path: Path) -> list[str]:
    from lxml import html  # noqa: PLC0415

    try:
        root = html.parse(str(path)).getroot()
    except Exception:  # noqa: BLE001  (a broken page is skipped)
        return []
    blocks = ("p", "li", "td", "h1", "h2", "h3", "dd", "dt")
    return [" ".join(el.text_content().split()) for el in root.iter(*blocks)
            if not any(isinstance(c.tag, str) and c.tag in blocks for c in el.iterdescendants())]


def training_text(work: Path, lang: str) -> list[str]:
    paras = []
    for package in PACKAGES[lang]:
        for f in sorted(fetch(work, package).rglob("*")):
            found = roff_paragraphs(f) if f.suffix == ".gz" and "/man/" in str(f) else \
                html_paragraphs(f) if f.suffix == ".html" else []
            for t in found:
                words = WORD.findall(t.lower())
                if len(words) >= 4 and (lang == "en" or sum(w in ENGLISH for w in words) < 2):
                    paras.append(t)
    return paras


# -- the bigram model ---------------------------------------------------------------------------------------------

class Bigrams:
    """Interpolated Kneser-Ney bigrams (discount 0.75) over the VOCAB most frequent words and five classes."""

    def __init__(self, paragraphs: list[str]):
        counts = collections.Counter(t.lower() for p in paragraphs for t in TOKEN.findall(p) if not t[0].isdigit())
        self.vocab = SPECIAL + [w for w, _ in counts.most_common(VOCAB)]
        self.index = {w: i for i, w in enumerate(self.vocab)}
        self.pairs: collections.Counter = collections.Counter()
        for p in paragraphs:
            ids = [0, *self.ids(TOKEN.findall(p)), 1]
            self.pairs.update(zip(ids, ids[1:]))
        n = len(self.vocab)
        self.left, self.types_after, self.types_before = np.zeros(n), np.zeros(n), np.zeros(n)
        for (a, b), c in self.pairs.items():
            self.left[a] += c
            self.types_after[a] += 1
            self.types_before[b] += 1
        self.continuation = (self.types_before + 0.5) / (self.types_before.sum() + 0.5 * n)
        self.right = np.zeros(n)
        for (a, b), c in self.pairs.items():
            self.right[b] += c
        self.total = sum(self.pairs.values())

    def ids(self, toks: list[str]) -> list[int]:
        out = []
        for k, t in enumerate(toks):
            w = "<num>" if t[0].isdigit() else t.lower()
            out.append(self.index.get(w, self.index["<U>" if t[0].isupper() and k else "<u>"]))
        return out

    def logp(self, a: int, b: int) -> float:
        if not self.left[a]:
            return math.log(self.continuation[b])
        c = self.pairs.get((a, b), 0)
        return math.log(max(c - 0.75, 0) / self.left[a]
                        + 0.75 * self.types_after[a] / self.left[a] * self.continuation[b])

    def reorder_gain(self, toks: list[str]) -> float:
        """The most any reordering of 3-5 neighbouring words raises the sentence's log-probability."""
        ids = [0, *self.ids(toks), 1]
        n = len(ids)
        m = np.array([[self.logp(ids[i], ids[j]) if i != j else 0.0 for j in range(n)] for i in range(n)])
        best = -1e9
        for size in (3, 4, 5):
            perms = np.array([p for p in itertools.permutations(range(size)) if p != tuple(range(size))])
            for s in range(1, n - size):
                if not all(WORD.fullmatch(toks[k - 1]) for k in range(s, s + size)):
                    continue
                seqs = np.concatenate([np.full((len(perms), 1), s - 1), perms + s,
                                       np.full((len(perms), 1), s + size)], axis=1)
                gain = m[seqs[:, :-1], seqs[:, 1:]].sum(axis=1).max() - sum(m[k, k + 1]
                                                                            for k in range(s - 1, s + size))
                best = max(best, float(gain))
        return best

    def anti_collocation(self, toks: list[str]) -> float:
        """How far the least expected adjacent pair of known words falls below its expected count (log ratio)."""
        ids = self.ids(toks)
        worst = 0.0
        for k in range(len(ids) - 1):
            a, b = ids[k], ids[k + 1]
            if a < len(SPECIAL) or b < len(SPECIAL) or not (WORD.fullmatch(toks[k]) and WORD.fullmatch(toks[k + 1])):
                continue
            expected = self.left[a] * self.right[b] / self.total
            worst = min(worst, math.log((self.pairs.get((a, b), 0) + 1) / (expected + 1)))
        return -worst


# -- data ---------------------------------------------------------------------------------------------------------

def scramble(sentence: str, rng: random.Random) -> str | None:
    """3-5 neighbouring words (no punctuation among them) put in another order, as `shuffle_words` does."""
    toks = list(re.finditer(r"\S+", sentence))
    ok = [bool(WORD.fullmatch(t.group())) for t in toks]
    windows = [(i, n) for n in (3, 4, 5) for i in range(len(toks) - n + 1) if all(ok[i:i + n])]
    if not windows:
        return None
    i, n = rng.choice(windows)
    words = [t.group() for t in toks[i:i + n]]
    for _ in range(30):
        order = rng.sample(words, n)
        if [w.lower() for w in order] != [w.lower() for w in words]:
            return sentence[:toks[i].start()] + " ".join(order) + sentence[toks[i + n - 1].end():]
    return None


def sentences(paragraphs: list[str], rng: random.Random, limit: int) -> list[tuple[str, str]]:
    out = []
    cands = [s for p in paragraphs for s in re.split(r"(?<=[.!?])\s+", p.strip())
             if 6 <= len(s.split()) <= 40 and sum(bool(WORD.fullmatch(w)) for w in s.split()) >= 0.7 * len(s.split())]
    rng.shuffle(cands)
    for s in cands:
        bad = scramble(s, rng)
        if bad:
            out.append((s, bad))
        if len(out) >= limit:
            break
    return out


def recall_at(clean: np.ndarray, bad: np.ndarray, share: float = 0.01) -> float:
    return float(np.mean(bad > np.quantile(clean, 1 - share)))


def probe(train: list[tuple[str, str]], test: list[tuple[str, str]]) -> tuple[float, float]:
    """A logistic probe on the e5 sentence vector; (held-out accuracy, recall at 1 % of clean sentences)."""
    from consistency.embed import E5Embedder  # noqa: PLC0415

    model = E5Embedder()

    def vectors(pairs):
        flat = [x for pair in pairs for x in pair]
        v = np.concatenate([model.embed(flat[i:i + 64]) for i in range(0, len(flat), 64)])
        return v.reshape(len(pairs), 2, -1)

    tr, te = vectors(train), vectors(test)
    x = np.concatenate([tr[:, 0], tr[:, 1]])
    y = np.concatenate([np.zeros(len(tr)), np.ones(len(tr))])
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(2000):  # gradient descent on the logistic loss, L2 1e-4
        p = 1 / (1 + np.exp(-(x @ w + b)))
        w -= 0.5 * (x.T @ (p - y) / len(y) + 1e-4 * w)
        b -= 0.5 * float(np.mean(p - y))
    clean, bad = te[:, 0] @ w + b, te[:, 1] @ w + b
    return float((np.mean(clean < 0) + np.mean(bad > 0)) / 2), recall_at(clean, bad)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, help="a dev corpus: one folder per document, one LANG.txt per language")
    ap.add_argument("--langs", default="de,fr,id")
    ap.add_argument("--work", type=Path, default=Path("/tmp/word-order"), help="downloaded packages go here")
    ap.add_argument("--sentences", type=int, default=400, help="test sentences per language")
    ap.add_argument("--probe-train", type=int, default=800, help="probe training pairs per language (0: no probe)")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    train_pairs, test_pairs = [], []
    for lang in args.langs.split(","):
        text = training_text(args.work, lang)
        model = Bigrams(text)
        dev = [line for f in sorted(args.corpus.glob(f"*/{lang}.txt"))
               for line in f.read_text(encoding="utf-8").splitlines()]
        pairs = sentences(dev, rng, args.sentences)
        toks = [(TOKEN.findall(a), TOKEN.findall(b)) for a, b in pairs]
        gain = np.array([[model.reorder_gain(a), model.reorder_gain(b)] for a, b in toks])
        anti = np.array([[model.anti_collocation(a), model.anti_collocation(b)] for a, b in toks])
        print(f"{lang}: {sum(len(WORD.findall(p)) for p in text):,} training words, {len(pairs)} test sentences; "
              f"recall at 1 % of clean sentences: reordering gain {recall_at(gain[:, 0], gain[:, 1]):.2f}, "
              f"anti-collocation {recall_at(anti[:, 0], anti[:, 1]):.2f}", flush=True)
        if args.probe_train:
            train_pairs += sentences(text, rng, args.probe_train)
            test_pairs += pairs
    if args.probe_train:
        accuracy, recall = probe(train_pairs, test_pairs)
        print(f"e5 sentence-vector probe: held-out accuracy {accuracy:.2f}, recall at 1 % of clean {recall:.2f}")


if __name__ == "__main__":
    main()

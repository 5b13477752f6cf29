"""Bounded work on large inputs (reliability cases 06, 07, 11, 14): memory linear in sentences, long unpunctuated
lines split, unreadable corpus folders reported, pile grouping fast, document names unique."""
from __future__ import annotations

import errno
import os
import random
import tracemalloc
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from consistency import align, corpus, segment
from consistency.align import AlignParams, Groups, Track
from consistency.errors import InputError

MB = 1 << 20


def _unit_vectors(n: int, dim: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _translations(n: int, dim: int = 32, noise: float = 0.5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two renderings of n units: the same unit vectors plus independent noise."""
    base = _unit_vectors(n, dim, seed)
    rng = np.random.default_rng(seed + 1)
    out = []
    for _ in range(2):
        v = base + noise * rng.standard_normal(base.shape).astype(np.float32) / np.sqrt(dim)
        out.append((v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32))
    return out[0], out[1]


def _peak(fn, *args, **kwargs):
    tracemalloc.start()
    try:
        result = fn(*args, **kwargs)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- case 06: memory linear in sentences ---------------------------------------------------------------------------

def test_normalisers_of_20000_by_20000_sentences_use_bounded_memory(monkeypatch):
    monkeypatch.setattr(align, "NEIGHBOUR_WINDOW", 2048)  # the default 8192 costs 4x the time, the same memory
    a, b = _translations(20_000, dim=32)
    # The whole matrix would be 20,000 x 20,000 x 4 bytes = 1.6 GB (plus as much for temporaries).
    norms_a, peak = _peak(align._mean_distance, a, b, 8)
    assert norms_a.shape == (20_000,) and np.isfinite(norms_a).all() and peak < 100 * MB
    norms_b = align._mean_distance(b, a, 8)
    mean_a, peak = _peak(align._mean_distance, a, b, 0)
    assert peak < 20 * MB and np.allclose(mean_a, 1.0 - a @ b.mean(axis=0), atol=1e-5)
    delta, peak = _peak(align._deletion_penalty, a, b, norms_a, norms_b, 0.2)
    assert peak < 200 * MB and align.MIN_DELETION_PENALTY <= delta < 2.0
    (keep_a, keep_b), peak = _peak(align._unit_deletions, a, b, norms_a, norms_b, delta, 0.5)
    assert peak < 100 * MB and keep_a.shape == keep_b.shape == (20_000,)


def test_blocked_normalisers_agree_with_the_whole_matrix(monkeypatch):
    a, b = _translations(3000, dim=32, seed=3)
    exact_knn = align._mean_distance(a, b, 8)
    exact_mean = align._mean_distance(a, b, 0)
    na, nb = exact_knn, align._mean_distance(b, a, 8)
    exact_delta = align._deletion_penalty(a, b, na, nb, 0.2)
    exact_low = align._deletion_penalty(a, b, na, nb, 0.01)
    exact_keep = align._unit_deletions(a, b, na, nb, exact_delta, 0.5)
    monkeypatch.setattr(align, "DENSE_CELLS", 250_000)
    monkeypatch.setattr(align, "BLOCK_CELLS", 100_000)
    # In blocks: the same numbers.
    assert np.allclose(align._mean_distance(a, b, 8), exact_knn, atol=1e-6)
    assert np.allclose(align._mean_distance(a, b, 0), exact_mean, atol=1e-5)
    for mine, exact in zip(align._unit_deletions(a, b, na, nb, exact_delta, 0.5), exact_keep):
        assert np.allclose(mine, exact, atol=1e-9)
    # From a sample of 250,000 of the 9,000,000 pairs: the same quantile up to sampling noise.
    assert abs(align._deletion_penalty(a, b, na, nb, 0.2) - exact_delta) < 0.01
    assert abs(align._deletion_penalty(a, b, na, nb, 0.01) - exact_low) < 0.02
    # Within a window of a third of the other side (random vectors: the true neighbours are spread all over, the
    # worst case for it): close.
    monkeypatch.setattr(align, "EXACT_CELLS", 1_000_000)
    monkeypatch.setattr(align, "NEIGHBOUR_WINDOW", 1024)
    windowed = align._mean_distance(a, b, 8)
    assert (windowed >= exact_knn - 1e-6).all() and np.mean(windowed / exact_knn) < 1.1


def _track(key: str, vecs: np.ndarray, seed: int) -> Track:
    lengths = np.random.default_rng(seed).integers(40, 200, len(vecs)).astype(float)
    return Track(key, vecs, lengths)


def _drop(vecs: np.ndarray, every: int) -> np.ndarray:
    return np.delete(vecs, np.arange(every // 2, len(vecs), every), axis=0)


@pytest.mark.parametrize("n, every", [(400, 0), (700, 9)])
def test_banded_blocks_give_the_same_alignment_as_whole_matrices(monkeypatch, n, every):
    a, b = _translations(n, seed=n)
    if every:
        b = _drop(b, every)  # one rendering lacks every 9th unit
    params = AlignParams(max_bead=4, neighbours=8)
    tracks = align.sentence_tracks({"a": ["x"] * len(a), "b": ["x"] * len(b)}, {"a": a, "b": b}, params)
    whole = align.align_tracks(list(tracks.values()), params)
    monkeypatch.setattr(align, "DENSE_CELLS", 0)  # every matrix in blocks, and small ones
    monkeypatch.setattr(align, "BLOCK_CELLS", 5000)
    blocked = align.align_tracks(list(tracks.values()), params)
    assert blocked.members == whole.members
    assert np.allclose(blocked.costs, whole.costs, atol=1e-6)


_LINEAR_ALIGNMENT = """
import resource, sys, time
import numpy as np
sys.path.insert(0, {tests!r})
from test_scale import _drop, _track, _translations
from consistency import align
n = {n}
a, b = _translations(n, seed=7)
b = _drop(b, 100)
params = align.AlignParams(max_bead=3, neighbours=8, refine=False)
ta, tb = _track("a", a, 1), _track("b", b, 2)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.process_time()
groups = align.align_tracks([ta, tb], params)
pairs = {{(m["a"][0], m["b"][0]) for m in groups.members if len(m["a"]) == len(m["b"]) == 1}}
expected = [i for i in range(n) if i not in set(range(50, n, 100))]
correct = sum((i, k) in pairs for k, i in enumerate(expected)) / len(expected)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before, time.process_time() - start, correct)
"""


def test_document_alignment_of_8000_units_uses_memory_linear_in_units():
    import subprocess
    import sys

    code = _LINEAR_ALIGNMENT.format(tests=str(Path(__file__).parent), n=8000)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    grown_kb, cpu_s, correct = int(out[0]), float(out[1]), float(out[2])
    # Whole matrices: 8000 x 7920 x 8 bytes = 500 MB for each of three link shapes, and as much again for the DP.
    assert grown_kb < 300 * 1024, grown_kb  # measured: ~130 MB (before: 4.3 GB)
    assert cpu_s < 120
    assert correct > 0.97  # the aligner recovers (nearly) every true link of the noisy copy


def test_a_rendering_past_the_limit_is_refused_in_one_line():
    with pytest.raises(InputError, match=r"^big/de\.txt is too large to align \(100,001 sentences\); split it$"):
        align.check_size("big/de.txt", align.MAX_SENTENCES + 1)
    align.check_size("de.txt", align.MAX_SENTENCES)
    texts = {"a": ["x"] * (align.MAX_SENTENCES + 1), "b": ["y"]}
    with pytest.raises(InputError, match="too large to align"):
        align.sentence_tracks(texts, {"a": np.zeros((1, 4), np.float32), "b": np.zeros((1, 4), np.float32)})


def test_mean_cosine_is_the_mean_of_the_whole_matrix(monkeypatch):
    a, b = _unit_vectors(300, 16, 1), _unit_vectors(200, 16, 2)
    exact = float(np.mean(a @ b.T))
    assert align._mean_cosine(Track("a", a, np.ones(300)), Track("b", b, np.ones(200))) == exact
    monkeypatch.setattr(align, "DENSE_CELLS", 10)
    assert abs(align._mean_cosine(Track("a", a, np.ones(300)), Track("b", b, np.ones(200))) - exact) < 1e-6


# --- case 07: a long line without sentence punctuation -------------------------------------------------------------

def _words_line(chars: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    words = Path("seeds/deepseek-essay/de.txt").read_text(encoding="utf-8").replace(".", " ").split()
    out, n = [], 0
    while n < chars:
        w = rng.choice(words)
        out.append(w)
        n += len(w) + 1
    return " ".join(out)


def test_a_long_unpunctuated_line_is_split_into_bounded_sentences():
    text = _words_line(200_000)
    pieces = segment.split_sentences("de", text)
    assert all(len(s) <= segment.MAX_SENTENCE_CHARS for _, s in pieces)
    assert len(pieces) <= 2 * len(text) // segment.MAX_SENTENCE_CHARS + 1
    assert all(text[o:o + len(s)] == s for o, s in pieces)  # offsets still point at the text
    assert " ".join(s for _, s in pieces) == text  # cut at whitespace only: no word is broken
    # No whitespace at all (base64, a URL): near-equal hard cuts.
    assert [len(s) for _, s in segment.split_sentences("en", "x" * 2500)] == [834, 833, 833]


def test_ordinary_long_sentences_are_untouched():
    long = ("Die Frage, ob ein Modell, das auf Milliarden von Sätzen trainiert wurde, tatsächlich versteht, was es "
            "schreibt, oder ob es nur die Oberfläche der Sprache nachahmt, beschäftigt Forscher seit Jahren, und sie "
            "wird, so scheint es, mit jedem neuen Modell dringlicher, weil die Texte, die diese Systeme erzeugen, "
            "immer schwerer von menschlichen zu unterscheiden sind, und weil immer mehr Menschen ihnen vertrauen. ")
    text = long * 2
    assert 400 < len(long) < segment.MAX_SENTENCE_CHARS
    assert [s for _, s in segment.split_sentences("de", text)] == [long.strip()] * 2
    for lang in ("de", "fr", "id"):
        body = Path(f"seeds/deepseek-essay/{lang}.txt").read_text(encoding="utf-8")
        for para in body.split("\n"):
            spans = segment._merge(para, lang, segment._split_stray_letters(para, segment._boundaries(lang, para)))
            assert segment._bounded(para, spans) == spans


# --- case 11: a corpus folder that cannot be listed ----------------------------------------------------------------

def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for doc in ("a", "b"):
        (root / doc).mkdir(parents=True)
        for lang in ("de", "fr"):
            (root / doc / f"{lang}.txt").write_text(f"Text {doc} {lang}.\n", encoding="utf-8")
    return root


def test_an_unreadable_folder_is_an_input_error(tmp_path):
    root = _corpus(tmp_path)
    (root / "b").chmod(0)
    try:
        if not os.access(root / "b", os.R_OK):
            with pytest.raises(InputError, match=r"^cannot read folder .*corpus/b: Permission denied$"):
                corpus._files_below(root)
            with pytest.raises(InputError, match="cannot read folder"):
                corpus.plan([root])
            return
        # Root reads anything: run the CLI as the case does, without the capabilities that allow it.
        import shutil
        import subprocess
        import sys

        setpriv = shutil.which("setpriv")
        if not setpriv:
            pytest.skip("running with permission to read anything (root), and no setpriv to drop it")
        caps = "-dac_override,-dac_read_search"
        r = subprocess.run([setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", sys.executable, "-m",
                            "consistency", "check", "corpus", "-q", "--no-backtranslate", "--no-cache"],
                           cwd=tmp_path, capture_output=True, text=True)
        if "Operation not permitted" in r.stderr and "setpriv" in r.stderr:
            pytest.skip("setpriv cannot drop capabilities here")
        assert r.returncode == 2
        assert r.stderr.strip() == "consistency: error: cannot read folder corpus/b: Permission denied"
    finally:
        (root / "b").chmod(0o755)


@pytest.mark.parametrize("err", [errno.EACCES, errno.ENAMETOOLONG, errno.EIO])
def test_a_folder_whose_listing_fails_is_named(tmp_path, monkeypatch, err):
    root = _corpus(tmp_path)
    real = corpus._listdir

    def listdir(folder: str):
        if Path(folder).name == "b":
            raise OSError(err, os.strerror(err), folder)
        return real(folder)

    monkeypatch.setattr(corpus, "_listdir", listdir)
    with pytest.raises(InputError) as info:
        corpus.plan([root])
    assert str(info.value) == f"cannot read folder {(root / 'b').as_posix()}: {os.strerror(err)}"


def test_a_readable_corpus_lists_the_same_files_as_before(tmp_path):
    root = _corpus(tmp_path)
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_text("hidden", encoding="utf-8")
    (root / "a" / "README.md").write_text("readme", encoding="utf-8")
    (root / "a" / "notes.pdf").write_text("pdf", encoding="utf-8")
    (root / "link").symlink_to(root / "a", target_is_directory=True)
    assert corpus._files_below(root) == sorted(root / d / f"{lang}.txt" for d in "ab" for lang in ("de", "fr"))


# --- case 14: pile grouping ----------------------------------------------------------------------------------------

def _reference_groups(langs, score):
    """The grouping as first written (quadratic): the reference the indexed one must equal."""
    def best(a, lang):
        cands = [(s, b if a == x else x) for (x, b), s in score.items()
                 if a in (x, b) and langs[b if a == x else x] == lang]
        return max(cands)[1] if cands else None

    group = list(range(len(langs)))

    def root(i):
        while group[i] != i:
            i = group[i]
        return i

    for (a, b), _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0])):
        if best(a, langs[b]) != b or best(b, langs[a]) != a:
            continue
        ra, rb = root(a), root(b)
        la = {langs[i] for i in range(len(langs)) if root(i) == ra}
        lb = {langs[i] for i in range(len(langs)) if root(i) == rb}
        if ra != rb and not la & lb:
            group[rb] = ra
    return [root(i) for i in range(len(langs))]


def _partition(roots):
    out = {}
    for i, r in enumerate(roots):
        out.setdefault(r, []).append(i)
    return sorted(out.values())


@pytest.mark.parametrize("seed", range(40))
def test_pile_grouping_equals_the_reference(seed):
    rng = random.Random(seed)
    n = rng.randint(2, 25)
    langs = [rng.choice("dfi") for _ in range(n)]
    levels = [1.7, 1.8, 1.85, 1.9, 1.95] if seed % 2 else None  # ties, often
    score = {}
    for a in range(n):
        for b in range(a + 1, n):
            if langs[a] != langs[b] and rng.random() < 0.6:
                score[(a, b)] = rng.choice(levels) if levels else round(rng.uniform(1.35, 2.0), 6)
    assert _partition(corpus._pile_groups(langs, score)) == _partition(_reference_groups(langs, score))


def test_pile_grouping_of_many_similar_files_is_fast():
    import time

    # 3,000 files, 3 languages, 1,000 documents of 13 near-identical texts: ~1.5 million scored pairs.
    n = 3000
    langs = ["dfi"[i % 3] for i in range(n)]
    score = {}
    for a in range(n):
        for b in range(a + 1, n):
            if langs[a] != langs[b] and (a // 3) % 13 == (b // 3) % 13:
                score[(a, b)] = 1.9 + (0.05 if a // 3 == b // 3 else 0.0) - 1e-6 * abs(a - b)
    start = time.process_time()
    roots = corpus._pile_groups(langs, score)
    assert time.process_time() - start < 20
    assert _partition(roots) == [[3 * k, 3 * k + 1, 3 * k + 2] for k in range(1000)]


def _exact_groups(vecs, langs, pairs):
    score = {}
    for a, b in pairs:
        sim = vecs[a] @ vecs[b].T
        cos = (sim.max(1).mean() + sim.max(0).mean()) / 2
        if langs[a] != langs[b] and cos >= corpus.PILE_MIN_COS and corpus._order(sim) >= corpus.PILE_MIN_ORDER:
            score[(a, b)] = float(cos + corpus._order(sim))
    return _partition(corpus._pile_groups(langs, score))


def test_pile_candidates_group_as_all_pairs_do_in_linear_work():
    """60 documents in 3 languages, in 6 families of near-identical texts (many pairs pass the threshold, as in
    reliability case 14): the nearest-file candidates give the grouping that scoring every pair gives, and the
    right one, with at most PILE_NEIGHBOURS candidates per file and other language, in blocks of any size."""
    rng = np.random.default_rng(3)
    vecs, langs, truth = [], [], []
    for d in range(60):
        n = int(rng.integers(2, 7))
        base = _unit_vectors(n, 32, 1000 + d % 6) + 0.5 * _unit_vectors(n, 32, d)
        for k, lang in enumerate("dfi"):
            v = base + 0.15 * _unit_vectors(n, 32, 5000 + 3 * d + k)
            vecs.append(v / np.linalg.norm(v, axis=1, keepdims=True))
            langs.append(lang)
            truth.append(d)
    every = [(a, b) for a in range(len(vecs)) for b in range(a + 1, len(vecs))]
    want = _exact_groups(vecs, langs, every)
    assert want == _partition(truth)
    for cells in (corpus.PILE_BLOCK_CELLS, 50):  # one block, and a few files per block
        old = corpus.PILE_BLOCK_CELLS
        corpus.PILE_BLOCK_CELLS = cells
        try:
            got = corpus._candidate_pairs(vecs, langs)
        finally:
            corpus.PILE_BLOCK_CELLS = old
        assert all(langs[a] != langs[b] and a < b for a, b in got)
        assert len(got) <= len(vecs) * 2 * corpus.PILE_NEIGHBOURS < len(every)
        assert _exact_groups(vecs, langs, got) == want


# --- document names unique in a corpus report ----------------------------------------------------------------------

def _doc(name: str, *paths: str) -> corpus.Document:
    from consistency.load import Source

    return corpus.Document(name, tuple(Source(p, p.rsplit(".", 2)[-2], "name", ()) for p in paths))


def test_clashing_document_names_are_lengthened_until_unique():
    docs = [_doc("posts", "c/a/hugo/content/posts/x.de.md", "c/a/hugo/content/posts/x.fr.md"),
            _doc("posts", "c/b/hugo/content/posts/x.de.md", "c/b/hugo/content/posts/x.fr.md"),
            _doc("intro", "c/intro.de.md", "c/intro.fr.md")]
    names = [d.name for d in corpus._unique_names(docs)]
    assert names == ["a/hugo/content/posts", "b/hugo/content/posts", "intro"]
    # Two documents in the same folder (a pile): the file name tells them apart.
    docs = [_doc("pile", "c/pile/one.de.txt", "c/pile/one.fr.txt"),
            _doc("pile", "c/pile/two.de.txt", "c/pile/two.fr.txt")]
    assert [d.name for d in corpus._unique_names(docs)] == ["one", "two"]
    # A pile document whose renderings have different names.
    docs = [_doc("p", "c/p/d1.de.txt", "c/p/d1.fr.txt"), _doc("p", "c/p/d1.id.txt", "c/p/d7.fr.txt")]
    assert [d.name for d in corpus._unique_names(docs)] == ["d1", "d1+d7"]
    # Nothing else tells them apart: numbered, in a fixed order.
    docs = [_doc("x", "c/x.de.txt", "c/x.fr.txt"), _doc("x", "c/x.de.txt", "c/x.id.txt")]
    assert sorted(d.name for d in corpus._unique_names(docs)) == ["x (1)", "x (2)"]
    # A lengthened name never takes one another document already has.
    docs = [_doc("b/posts", "c/b/posts/y.de.md", "c/b/posts/y.fr.md"),
            _doc("posts", "c/b/posts/x.de.md", "c/b/posts/x.fr.md"),
            _doc("posts", "c/a/posts/x.de.md", "c/a/posts/x.fr.md")]
    names = [d.name for d in corpus._unique_names(docs)]
    assert len(set(names)) == 3 and names[0] == "b/posts"


def test_a_pile_of_two_documents_in_one_folder_gets_two_names(tmp_path):
    root = tmp_path / "c"
    (root / "pile").mkdir(parents=True)
    (root / "pile" / "x.txt").write_text("x", encoding="utf-8")
    plan = corpus._checked(root, [_doc("pile", "c/pile/one.de.txt", "c/pile/one.fr.txt"),
                                  _doc("pile", "c/pile/two.de.txt", "c/pile/two.fr.txt")], [])
    assert len({d.name for d in plan.documents}) == 2


# --- memory bounded per document: a plan holds no text ---------------------------------------------------------

def test_a_plan_holds_no_text_and_each_document_reads_its_own_when_checked(tmp_path):
    """The documents of a folder corpus keep their files' paths and languages, not their text; `loaded` reads a
    document's text again, the same paragraphs `load_file` gives, and a file gone since is one clear InputError."""
    from consistency.load import load_file

    data = Path(__file__).parent / "data" / "corpus"
    plan = corpus.plan([data])
    assert len(plan.documents) == 4
    assert all(not d.held and all(s.paragraphs == () for s in d.sources) for d in plan.documents)
    for d in plan.documents:
        full = d.loaded()
        assert full.held and full.loaded() is full and full.released().sources == d.sources
        assert full.sources == tuple(load_file(Path(s.path), s.lang) if s.lang_from == "option" else
                                     replace(load_file(Path(s.path), s.lang), lang_from=s.lang_from)
                                     for s in d.sources)
    gone = tmp_path / "gone"
    for lang in ("de", "fr"):
        (gone / "doc").mkdir(parents=True, exist_ok=True)
        (gone / "doc" / f"{lang}.txt").write_text(f"Text in {lang}.\n", encoding="utf-8")
    planned = corpus.plan([gone]).documents[0]
    (gone / "doc" / "fr.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(InputError, match="has no text"):
        planned.loaded()

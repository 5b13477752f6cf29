"""On-disk cache for expensive results (embeddings, back-translations).

One SQLite file in the user cache dir. SQLite gives what a cache shared by concurrent runs needs: each write is a
transaction (an interrupted run leaves the last committed state), readers never see half a row, and WAL lets two
runs read and write at once. A file that is not a readable database is moved aside and started afresh.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Iterable

import platformdirs

SCHEMA = "CREATE TABLE IF NOT EXISTS kv (ns TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (ns, key))"
# SQLite caps the number of host parameters per statement (999 in older builds).
_CHUNK = 500


def default_cache_dir() -> Path:
    """`CONSISTENCY_CACHE_DIR`, else the platform's user cache dir (which honours `XDG_CACHE_HOME`)."""
    env = os.environ.get("CONSISTENCY_CACHE_DIR")
    if env:
        return Path(env)
    return platformdirs.user_cache_path("consistency")


def text_key(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


class Cache:
    """Key-value store in namespaces; `Cache(None)` is a cache that remembers nothing."""

    def __init__(self, directory: str | os.PathLike | None, filename: str = "cache.sqlite3"):
        self.path = Path(directory) / filename if directory is not None else None
        self.recovered = False  # set when a corrupt file was moved aside
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._db is None:
            try:
                self._db = self._open()
            except sqlite3.DatabaseError:
                self._move_aside()
                try:
                    self._db = self._open()
                except (sqlite3.DatabaseError, OSError):
                    self.path = None
            except OSError:
                self.path = None  # unwritable cache dir: run without a cache rather than fail
        return self._db

    def _open(self) -> sqlite3.Connection:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(SCHEMA)
            db.execute("SELECT count(*) FROM kv WHERE ns = ''").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _move_aside(self) -> None:
        assert self.path is not None
        self.recovered = True
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(self.path) + suffix)
            if p.exists():
                os.replace(p, Path(str(p) + ".corrupt"))

    def get_many(self, ns: str, keys: Iterable[str]) -> dict[str, bytes]:
        db = self._connect()
        keys = list(dict.fromkeys(keys))
        if db is None or not keys:
            return {}
        out: dict[str, bytes] = {}
        try:
            for i in range(0, len(keys), _CHUNK):
                chunk = keys[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(f"SELECT key, value FROM kv WHERE ns = ? AND key IN ({marks})", [ns, *chunk])
                out.update((k, bytes(v)) for k, v in rows)
        except sqlite3.DatabaseError:
            return out  # a cache that cannot be read is a miss, not a failure
        return out

    def put_many(self, ns: str, items: dict[str, bytes]) -> None:
        db = self._connect()
        if db is None or not items:
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO kv (ns, key, value) VALUES (?, ?, ?)",
                           [(ns, k, v) for k, v in items.items()])
            db.execute("COMMIT")
        except sqlite3.DatabaseError:
            try:
                db.execute("ROLLBACK")
            except sqlite3.DatabaseError:
                pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

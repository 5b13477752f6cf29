"""On-disk cache for expensive results (embeddings, back-translations, word-list answers).

One SQLite file in the user cache dir. SQLite gives what a cache shared by concurrent runs needs: each write is a
transaction (an interrupted run leaves the last committed state), readers never see half a row, and WAL lets two
runs read and write at once.

A cache must never be the reason a run fails or changes its findings:

- A cache that cannot be written (a CI cache restored read-only, a cache owned by another account, a read-only
  mount) is opened read-only (`file:…?mode=ro`, no WAL pragma, no CREATE) and used for lookups; writes are
  dropped. One notice says so.
- A file SQLite calls damaged (SQLITE_CORRUPT, SQLITE_NOTADB: a bad header or a bad page, found at open or on any
  later read or write) is moved aside to `….corrupt` and a fresh cache is started, once per run. Nothing else
  (read-only, busy, locked, cannot open) is ever taken for damage.
- Where neither works (the directory cannot be created, the damaged file cannot be moved aside), the run goes on
  without a cache, with a notice.

Callers validate what they read (a value of the wrong shape or type is a miss, recomputed and overwritten); see
`CachedEmbedder` in consistency/embed.py and `consistency.lexicon`.
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

# SQLite primary result codes (https://www.sqlite.org/rescode.html).
SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
# What SQLite says where the error code is not exposed (Python < 3.11).
_CORRUPT_MESSAGES = ("file is not a database", "database disk image is malformed", "malformed database schema")
_BUSY_MESSAGES = ("database is locked", "database table is locked", "database schema is locked")


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


def _primary_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_corrupt(exc: BaseException) -> bool:
    """Whether SQLite said the file is damaged (SQLITE_CORRUPT or SQLITE_NOTADB), as opposed to read-only, busy,
    locked or not openable, which say nothing about the file's content."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = _primary_code(exc)
    if code is not None:
        return code in (SQLITE_CORRUPT, SQLITE_NOTADB)
    return any(m in str(exc).lower() for m in _CORRUPT_MESSAGES)


def is_busy(exc: BaseException) -> bool:
    """Whether another connection held the lock beyond the timeout (SQLITE_BUSY, SQLITE_LOCKED): says nothing about
    the file, and the next attempt may succeed."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = _primary_code(exc)
    if code is not None:
        return code in (SQLITE_BUSY, SQLITE_LOCKED)
    return any(m in str(exc).lower() for m in _BUSY_MESSAGES)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc) or type(exc).__name__


class Cache:
    """Key-value store in namespaces; `Cache(None)` is a cache that remembers nothing.

    `notices` collects the lines a user should read once (on stderr) about this cache: opened read-only, moved
    aside and rebuilt, or not used at all. `readonly` is True while writes are being dropped.
    """

    def __init__(self, directory: str | os.PathLike | None, filename: str = "cache.sqlite3"):
        self.path = Path(directory) / filename if directory is not None else None
        self.recovered = False  # set when a damaged file was moved aside
        self.readonly = False  # lookups only; writes are dropped
        self.notices: list[str] = []
        self._db: sqlite3.Connection | None = None

    # -- opening ---------------------------------------------------------------------------------------------

    def _notice(self, text: str) -> None:
        if text not in self.notices:
            self.notices.append(text)

    def _disable(self, why: str) -> None:
        if self.path is not None:
            self._notice(f"cannot use the cache {self.path} ({why}); running without it")
        self._close_quietly()
        self.path = None

    def _close_quietly(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._db is None:
            self._db = self._open_any()
        return self._db

    def _open_any(self) -> sqlite3.Connection | None:
        """A writable connection, else a read-only one, else None (with a notice saying why)."""
        assert self.path is not None
        try:
            self.path.exists()
        except OSError as exc:  # a folder on the way that this user cannot enter: no cache at all
            self._disable(_reason(exc))
            return None
        if self.path.exists() and not self._may_write():
            return self._readonly_or_none("no permission to write it, or a read-only file system")
        try:
            return self._open()
        except (sqlite3.DatabaseError, OSError) as exc:
            if is_corrupt(exc):
                return self._rebuild(exc)
            # Not damage (read-only, cannot open, busy): never move a file aside for this; read it if we can.
            if self.path.exists():
                return self._readonly_or_none(_reason(exc))
            self._disable(_reason(exc))
            return None

    def _may_write(self) -> bool:
        """Whether this process may write the file and create its WAL files next to it (False on a read-only
        mount too: access(2) says EROFS)."""
        assert self.path is not None
        return os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK | os.X_OK)

    def _readonly_or_none(self, why: str) -> sqlite3.Connection | None:
        try:
            db = self._open_readonly()
        except (sqlite3.DatabaseError, OSError) as exc:
            self._disable(f"{why}, and it cannot be read: {_reason(exc)}")
            return None
        self._use_readonly(why)
        return db

    def _use_readonly(self, why: str) -> None:
        self.readonly = True
        self._notice(f"the cache {self.path} cannot be written ({why}): using it for lookups only, storing nothing "
                     "new")

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

    def _open_readonly(self) -> sqlite3.Connection:
        """Open without writing anything: no WAL pragma, no CREATE. Where no other connection has the file open
        (no `-shm` index next to it) it is opened as immutable, so that no `-wal`/`-shm` file is left behind that
        its owner could not write; where one has, as plain read-only, which shares that index."""
        assert self.path is not None
        base = self.path.absolute().as_uri()  # percent-encoded: a '?' or '#' in a folder name is no parameter
        in_use = Path(str(self.path) + "-shm").exists()
        attempts = ("mode=ro", "mode=ro&immutable=1") if in_use else ("mode=ro&immutable=1", "mode=ro")
        last: sqlite3.DatabaseError | None = None
        for params in attempts:
            try:
                db = sqlite3.connect(f"{base}?{params}", uri=True, timeout=30, isolation_level=None)
            except sqlite3.DatabaseError as exc:
                last = exc
                continue
            try:
                db.execute("SELECT count(*) FROM kv WHERE ns = ''").fetchone()
            except sqlite3.DatabaseError as exc:
                db.close()
                last = exc
                if is_corrupt(exc):
                    break
                continue
            return db
        assert last is not None
        raise last

    def _move_aside(self) -> None:
        """Rename the damaged file (and its WAL files) to `….corrupt`; OSError when that is not allowed."""
        assert self.path is not None
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(self.path) + suffix)
            if p.exists():
                os.replace(p, Path(str(p) + ".corrupt"))
        self.recovered = True

    def _rebuild(self, exc: BaseException) -> sqlite3.Connection | None:
        """Move a damaged file aside and start afresh, once per Cache; otherwise run without a cache."""
        assert self.path is not None
        self._close_quietly()
        if self.readonly:
            self._disable(f"{_reason(exc)}; it is read-only here, so it is left as it is")
            return None
        if self.recovered:
            self._disable(f"still damaged after a rebuild: {_reason(exc)}")
            return None
        try:
            self._move_aside()
        except OSError as err:
            self._disable(f"{_reason(exc)}, and it cannot be moved aside: {_reason(err)}")
            return None
        self._notice(f"the cache {self.path} was damaged ({_reason(exc)}); moved it to "
                     f"{self.path.name}.corrupt and started a new one")
        try:
            db = self._open()
        except (sqlite3.DatabaseError, OSError) as err:
            self._disable(_reason(err))
            return None
        self.readonly = False
        return db

    # -- reading and writing ---------------------------------------------------------------------------------

    def get_many(self, ns: str, keys: Iterable[str]) -> dict[str, bytes]:
        """The stored values of those keys that have one. A cache that cannot be read is a miss, not a failure; a
        damaged file is moved aside and rebuilt (everything is then a miss)."""
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
                out.update((k, bytes(v)) for k, v in rows if isinstance(v, (bytes, bytearray, memoryview)))
        except sqlite3.DatabaseError as exc:
            if is_corrupt(exc):
                self._db = self._rebuild(exc)
                return {}
            return out
        return out

    def put_many(self, ns: str, items: dict[str, bytes]) -> None:
        """Store the items in one transaction; a no-op on a read-only cache or without one."""
        if not items or self.readonly:
            return
        db = self._connect()
        if db is None or self.readonly:
            return
        try:
            self._write(db, ns, items)
        except sqlite3.DatabaseError as exc:
            if is_corrupt(exc):
                self._db = db = self._rebuild(exc)
                if db is not None:
                    try:
                        self._write(db, ns, items)
                    except sqlite3.DatabaseError as again:
                        self._disable(_reason(again))
            elif not is_busy(exc):
                # Opened, but writing fails (SQLITE_READONLY, SQLITE_CANTOPEN for the journal, SQLITE_PERM, a full
                # disk): lookups go on, writes are dropped from now on.
                self._use_readonly(_reason(exc))
            # busy or locked beyond the timeout: this write is dropped, the next may succeed

    @staticmethod
    def _write(db: sqlite3.Connection, ns: str, items: dict[str, bytes]) -> None:
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
            raise

    def close(self) -> None:
        self._close_quietly()

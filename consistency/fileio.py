"""Atomic writes: a report or cache file is either the old one or the complete new one, never half."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _file_mode(target: Path) -> int:
    """Keep an existing file's mode; a new file gets what open() would give it (0666 less the umask)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _staged(target: Path, data: str | bytes) -> str:
    """The data in a temporary file beside the target, ready to be renamed over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode(target))  # mkstemp creates 0600
    except BaseException:
        _discard([tmp])
        raise
    return tmp


def _discard(tmps: list[str]) -> None:
    for tmp in tmps:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


def atomic_write(path: str | os.PathLike, data: str | bytes) -> None:
    atomic_write_all([(path, data)])


def atomic_write_all(files: list[tuple[str | os.PathLike, str | bytes]]) -> None:
    """Several files, all or none: every one is staged before the first replaces its target."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            target = Path(path)
            if target.is_dir():
                raise IsADirectoryError(21, "is a folder", str(target))
            try:
                staged.append((_staged(target, data), target))
            except (FileExistsError, NotADirectoryError) as exc:
                raise NotADirectoryError(exc.errno, "a folder on its path is a file", str(target)) from exc
            except OSError as exc:
                raise type(exc)(exc.errno, exc.strerror, str(target)) from exc
        for tmp, target in staged:
            os.replace(tmp, target)
    except BaseException:
        _discard([tmp for tmp, _ in staged])
        raise

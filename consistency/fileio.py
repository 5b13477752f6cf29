"""Atomic writes: a report or cache file is either the old one or the complete new one, never half.

Only regular files (and new paths) are replaced through a temporary file and a rename. A symlink is followed, so the
file it points to is replaced and the link stays; anything else that exists and is neither a regular file nor a
folder (a character device such as /dev/null or /dev/stdout, a FIFO, a socket) is opened and written through, after
the regular files have been staged, as `cat > PATH` would."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Union

from consistency.errors import InputError


# File systems whose nodes stand for something else (/dev/stdout, /dev/fd/1, /proc/self/fd/1): never rename there.
_PSEUDO = ("/dev/", "/proc/")


_UTF16_32 = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
             (b"\xfe\xff", "UTF-16"))


def wide_encoding(data: bytes) -> str | None:
    """"UTF-16" or "UTF-32" when the bytes are that (a BOM, or the NUL every other byte of UTF-16 text without
    one), else None."""
    for bom, name in _UTF16_32:
        if data.startswith(bom):
            return name
    head = data[:512]
    if len(head) >= 8 and head.count(0) >= len(head) // 3 and (
            head[1::2].count(0) >= len(head) // 3 or head[0::2].count(0) >= len(head) // 3):
        return "UTF-16"
    return None


def read_utf8(path: Path, what: str) -> str:
    """A settings file (config, baseline) as text: UTF-8 with or without a BOM; one clear line for anything else.
    `what` names the file in messages ("config", "baseline")."""
    where = path.as_posix()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"no such {what}: {where}") from None
    except IsADirectoryError:
        raise InputError(f"{what} {where} is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"cannot read {what} {where}: {exc.strerror or exc}") from None
    wide = wide_encoding(data)
    if wide:
        raise InputError(f"{what} {where} is {wide}; re-save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} {where} is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                         "re-save it as UTF-8") from None


def _file_mode(target: Path) -> int:
    """Keep an existing file's mode; a new file gets what open() would give it (0666 less the umask)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


Data = Union[str, bytes, Iterable[str]]  # an Iterable: the text in chunks, written as they come (a long report)


def _chunks(data: Data) -> Iterator[bytes]:
    if isinstance(data, (str, bytes)):
        yield data.encode("utf-8") if isinstance(data, str) else data
        return
    for chunk in data:
        yield chunk.encode("utf-8")


def _staged(target: Path, data: Data) -> str:
    """The data in a temporary file beside the target, ready to be renamed over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for payload in _chunks(data):
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


def atomic_write(path: str | os.PathLike, data: Data) -> None:
    atomic_write_all([(path, data)])


def _resolved(path: Path) -> tuple[Path, os.stat_result | None, bool]:
    """Where a write to `path` lands (symlinks followed), what is there now (None: nothing yet), and whether it is
    to be written through rather than replaced."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        # A new path, or a dangling symlink: then the file it names is created and the link kept.
        return (Path(os.path.realpath(path)) if path.is_symlink() else path), None, False
    if not stat.S_ISREG(st.st_mode) or os.path.abspath(path).startswith(_PSEUDO):
        # Devices and FIFOs are opened by the name given: /dev/stdout -> /proc/self/fd/1 -> "pipe:[…]" has no
        # real path to resolve. /dev/stdout redirected to a file is written through as well (it may be `>>`).
        return path, st, not stat.S_ISDIR(st.st_mode)
    return Path(os.path.realpath(path)), st, False


def _write_through(path: Path, data: Data) -> None:
    """A device or FIFO: open it and write, no temporary file, no rename (a FIFO blocks until a reader comes)."""
    with open(path, "wb", buffering=0) as fh:
        for payload in _chunks(data):
            view = memoryview(payload)
            while view:
                view = view[fh.write(view):]


def atomic_write_all(files: list[tuple[str | os.PathLike, Data]]) -> None:
    """Several files, all or none: every regular file is staged before the first replaces its target; devices and
    FIFOs are written through once the staging has succeeded."""
    staged: list[tuple[str, Path]] = []
    through: list[tuple[Path, Data]] = []
    try:
        for path, data in files:
            target, st, write_through = _resolved(Path(path))
            if st is not None and stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(21, "is a folder", str(path))
            if write_through:
                through.append((target, data))
                continue
            try:
                staged.append((_staged(target, data), target))
            except (FileExistsError, NotADirectoryError) as exc:
                raise NotADirectoryError(exc.errno, "a folder on its path is a file", str(path)) from exc
            except OSError as exc:
                raise type(exc)(exc.errno, exc.strerror, str(path)) from exc
        for target, data in through:
            try:
                _write_through(target, data)
            except OSError as exc:
                raise type(exc)(exc.errno, exc.strerror, str(target)) from exc
        for tmp, target in staged:
            os.replace(tmp, target)
    except BaseException:
        _discard([tmp for tmp, _ in staged])
        raise

"""Errors the CLI turns into one line on stderr and exit code 2, and `safe`, which makes any text fit to print."""
import re


class ConsistencyError(Exception):
    """Base for every error a user can cause or fix; `str(err)` is the one line shown."""


class InputError(ConsistencyError):
    """Bad paths, unreadable files, too few renderings, an unknown language."""


class ModelError(ConsistencyError):
    """A model that cannot be found or loaded."""


class UnknownLanguageError(InputError):
    """A file whose language neither its name, an option nor the text tells."""


# C0 and C1 control characters, DEL, the bidirectional controls that can reorder what a terminal shows, and lone
# surrogates (undecodable bytes in a file name, which a strict stdout could not even encode).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    return _ESCAPES.get(ch) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def safe(text: object) -> str:
    """`text` fit for one line of a terminal or a log: control characters (escape sequences, newlines, bidi
    controls) are shown escaped (`\\x1b`, `\\n`, `\\u202e`), so a file name or document text can neither drive
    the terminal nor forge a second line."""
    return _UNSAFE.sub(_escape, str(text))

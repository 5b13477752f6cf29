"""Errors the CLI turns into one line on stderr and exit code 2."""


class ConsistencyError(Exception):
    """Base for every error a user can cause or fix; `str(err)` is the one line shown."""


class InputError(ConsistencyError):
    """Bad paths, unreadable files, too few renderings, an unknown language."""


class ModelError(ConsistencyError):
    """A model that cannot be found or loaded."""


class UnknownLanguageError(InputError):
    """A file whose language neither its name, an option nor the text tells."""

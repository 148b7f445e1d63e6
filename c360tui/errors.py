"""The one exception type a user sees: its message is a single sentence saying what to do."""


class C360Error(Exception):
    """A user-facing error (bad input, missing file, wrong schema): printed, never a traceback."""

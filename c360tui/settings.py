"""Where files live: the profile store, telemetry, specs and sample data.

Defaults come from the platform's user data directory; `C360_DB`, `C360_TELEMETRY` and
`C360_SPECS` (or the matching command-line options) override. Resolved lazily, never at import.
Read straight from the environment: pydantic-settings cost ~40-80 ms of every `c360 support` start.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

from c360tui.errors import C360Error

APP_NAME = "c360tui"
_REPO_ROOT = Path(__file__).resolve().parent.parent


ENV_PREFIX = "C360_"


class Settings:
    """Paths the commands use; each is a keyword, else a `C360_`-prefixed variable, else None.

    Variable names match in any case (`C360_DB` or `c360_db`); an empty value counts as unset.
    """

    __slots__ = ("db", "specs", "telemetry")

    def __init__(
        self,
        *,
        db: Path | str | None = None,
        telemetry: Path | str | None = None,
        specs: Path | str | None = None,
    ) -> None:
        self.db = _path(db, "db")
        self.telemetry = _path(telemetry, "telemetry")
        self.specs = _path(specs, "specs")

    def db_path(self, override: Path | None = None) -> Path:
        return override or self.db or data_dir() / "c360.db"

    def telemetry_path(self, override: Path | None = None) -> Path:
        return override or self.telemetry or data_dir() / "telemetry.db"

    def store_to_read(self, override: Path | None = None) -> tuple[Path, bool]:
        """The store a reading command opens, and whether it is the demo's.

        That is db_path, except before the user has a store of their own (none given, none at
        the default place): then the demo's, if `c360 demo` made one.
        """
        path = self.db_path(override)
        demo = demo_dir() / "c360.db"
        if override is None and self.db is None and not path.exists() and demo.is_file():
            return demo, True
        return path, False

    def specs_dir(self, override: Path | None = None) -> Path:
        """The specs directory: an explicit one, ./specs, or the one beside the package."""
        for candidate in (override, self.specs, Path.cwd() / "specs", _REPO_ROOT / "specs"):
            if candidate is not None and (candidate / "sources.toml").is_file():
                return candidate
        if override or self.specs:
            given = override or self.specs
            raise C360Error(f"No sources.toml in {given}; point --specs at the specs directory.")
        raise C360Error(
            "No specs directory found; run from the c360tui checkout or pass --specs DIR."
        )


def _path(given: Path | str | None, field: str) -> Path | None:
    """The keyword if given, else the field's `C360_` variable (any case), else None."""
    if given is not None:
        return Path(given)
    wanted = ENV_PREFIX + field.upper()
    value = os.environ.get(wanted)
    if value is None:
        value = next((v for k, v in os.environ.items() if k.upper() == wanted), None)
    return Path(value) if value else None


def data_dir() -> Path:
    """The platform's user data directory for c360tui (created by the caller that writes)."""
    return user_data_path(APP_NAME, appauthor=False)


def demo_dir() -> Path:
    """Where `c360 demo` keeps its own store and telemetry, apart from the user's."""
    return data_dir() / "demo"


def sample_as_of() -> str:
    """The ISO time the bundled sample data was made for (its manifest says)."""
    import json

    manifest = json.loads((sample_data_dir() / "manifest.json").read_text(encoding="utf-8"))
    return str(manifest["as_of"])


def demo_note(as_of: str | None) -> str:
    """The line a command prints when it reads the demo's store for want of the user's own."""
    when = f", as of {as_of}" if as_of else ""
    return f"No store of your own at {data_dir() / 'c360.db'} yet: reading the demo's{when}."


def sample_data_dir() -> Path:
    """The bundled sample exports (shipped beside the package in the checkout)."""
    path = _REPO_ROOT / "sample_data"
    if not path.is_dir():
        raise C360Error(
            f"The bundled sample data is missing at {path}; reinstall from the checkout."
        )
    return path

"""Where files live: the profile store, telemetry, specs and sample data.

Defaults come from the platform's user data directory; `C360_DB`, `C360_TELEMETRY` and
`C360_SPECS` (or the matching command-line options) override. Resolved lazily, never at import.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path
from pydantic_settings import BaseSettings, SettingsConfigDict

from c360tui.errors import C360Error

APP_NAME = "c360tui"
_REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Paths the commands use; every field can be set by a `C360_`-prefixed variable."""

    model_config = SettingsConfigDict(env_prefix="C360_")

    db: Path | None = None
    telemetry: Path | None = None
    specs: Path | None = None

    def db_path(self, override: Path | None = None) -> Path:
        return override or self.db or data_dir() / "c360.db"

    def telemetry_path(self, override: Path | None = None) -> Path:
        return override or self.telemetry or data_dir() / "telemetry.db"

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


def data_dir() -> Path:
    """The platform's user data directory for c360tui (created by the caller that writes)."""
    return user_data_path(APP_NAME, appauthor=False)


def demo_dir() -> Path:
    """Where `c360 demo` keeps its own store and telemetry, apart from the user's."""
    return data_dir() / "demo"


def sample_data_dir() -> Path:
    """The bundled sample exports (shipped beside the package in the checkout)."""
    path = _REPO_ROOT / "sample_data"
    if not path.is_dir():
        raise C360Error(
            f"The bundled sample data is missing at {path}; reinstall from the checkout."
        )
    return path

"""Every test runs with its own user data, cache and config directories and no C360_* overrides.

Nothing a test does may touch the real user's store, telemetry or tally cache.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("user")
    for variable in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    for variable in [name for name in os.environ if name.startswith("C360_")]:
        monkeypatch.delenv(variable)
    monkeypatch.setenv("C360_CACHE_DIR", str(home / "tally_cache"))
    return home

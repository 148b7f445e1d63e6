"""The tally cache: an unchanged file is read from it, a changed file is recounted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from c360tui.metrics import cache
from c360tui.metrics.loader import load_tally
from c360tui.metrics.script import START, SessionScript, layout, write_events
from c360tui.metrics.tally import Filter


def session(name: str, customer: str, action: str) -> SessionScript:
    script = SessionScript(
        name, "sdr", "sdr_call_now", start=START, signals=layout(["intent"], ["web_visits"])
    )
    script.begin(0)
    script.view(1, customer)
    script.act(5, customer, action)
    script.end(6)
    return script


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("C360_CACHE_DIR", str(folder))
    return folder


def test_an_unchanged_file_is_counted_once_and_then_read_from_the_cache(
    tmp_path: Path, cache_dir: Path
) -> None:
    path = tmp_path / "rep.db"
    write_events(path, session("S1", "C-1", "call").recorded)
    first = load_tally([path])
    assert len(list(cache_dir.glob("*.json"))) == 1
    assert load_tally([path]) == first == load_tally([path], use_cache=False)


def test_new_events_in_the_file_are_counted_not_served_stale(
    tmp_path: Path, cache_dir: Path
) -> None:
    path = tmp_path / "rep.db"
    write_events(path, session("S1", "C-1", "call").recorded)
    before = load_tally([path])
    later = session("S2", "C-2", "email")
    write_events(path, later.recorded)
    after = load_tally([path])
    assert sum(after.actions.values()) == sum(before.actions.values()) + 1


def test_filters_and_since_are_cached_apart(tmp_path: Path, cache_dir: Path) -> None:
    path = tmp_path / "rep.db"
    write_events(path, session("S1", "C-1", "call").recorded)
    everything = load_tally([path])
    nobody = load_tally([path], only=Filter(role="csm"))
    later = load_tally([path], since=START + timedelta(days=1))
    assert everything.actions and not nobody.actions and not later.actions
    assert len(list(cache_dir.glob("*.json"))) == 3


def test_an_empty_cache_dir_setting_turns_the_cache_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("C360_CACHE_DIR", "")
    path = tmp_path / "rep.db"
    write_events(path, session("S1", "C-1", "call").recorded)
    load_tally([path])
    assert cache.cache_dir() is None
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith("rep.db")]


def test_the_telemetry_file_is_not_written_when_the_cache_is(
    tmp_path: Path, cache_dir: Path
) -> None:
    path = tmp_path / "rep.db"
    write_events(path, session("S1", "C-1", "call").recorded)
    before = path.read_bytes()
    load_tally([path])
    load_tally([path])
    assert path.read_bytes() == before

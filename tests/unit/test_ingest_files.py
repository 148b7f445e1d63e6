"""Whole-file problems: one sentence naming the file and the column, raised before any row."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from c360tui.core.sources_spec import SourcesSpec
from c360tui.errors import C360Error
from c360tui.ingest.filecheck import validate_file
from c360tui.ingest.readers import read_feed

NOW = datetime(2025, 6, 1, tzinfo=UTC)
SPEC = """
[systems.crm]
priority = 1
[attributes.crm_id]
[attributes.email]
type = "email"
[[feeds]]
name = "contacts"
system = "crm"
file = "contacts.csv"
record_id = "id"
required = ["id", "modified"]
updated_at = { column = "modified" }
[feeds.columns]
id = "crm_id"
email = "email"
[[feeds]]
name = "events"
system = "crm"
file = "events.jsonl"
format = "jsonl"
record_id = "id"
[feeds.columns]
email = "email"
"""


@pytest.fixture
def spec() -> SourcesSpec:
    return SourcesSpec.model_validate(tomllib.loads(SPEC))


def refusal(spec: SourcesSpec, path: Path) -> str:
    """The C360Error both the up-front check and the reader raise for `path`."""
    feed = spec.feed(path.stem)
    with pytest.raises(C360Error) as checked:
        validate_file(feed, path)
    with pytest.raises(C360Error) as read:
        list(read_feed(feed, path, spec, NOW))
    assert str(checked.value) == str(read.value)
    message = str(checked.value)
    assert "\n" not in message and str(path) in message
    return message


def test_missing_file(spec: SourcesSpec, tmp_path: Path) -> None:
    assert "does not exist" in refusal(spec, tmp_path / "contacts.csv")


@pytest.mark.parametrize("content", ["", "\n\n", "   \n"])
def test_empty_csv(spec: SourcesSpec, tmp_path: Path, content: str) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(content)
    message = refusal(spec, path)
    assert "is empty" in message and "'id'" in message


def test_missing_required_column(spec: SourcesSpec, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("id,email\nc1,a@b.co\n")
    message = refusal(spec, path)
    assert "missing required column 'modified'" in message


def test_wrong_delimiter(spec: SourcesSpec, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("id;email;modified\nc1;a@b.co;2025-01-01T00:00:00Z\n")
    message = refusal(spec, path)
    assert "semicolon" in message and "'id'" in message


def test_csv_that_is_really_jsonl(spec: SourcesSpec, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text('{"id": "c1", "email": "a@b.co"}\n')
    assert "looks like JSON Lines" in refusal(spec, path)


def test_jsonl_that_is_really_csv(spec: SourcesSpec, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text("id,email\nc1,a@b.co\n")
    message = refusal(spec, path)
    assert "looks like CSV" in message and "'id'" in message


def test_empty_jsonl(spec: SourcesSpec, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text("\n")
    assert "is empty" in refusal(spec, path)


def test_header_with_bom_and_spaces_is_fine(spec: SourcesSpec, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes("\ufeffid , email,modified\r\nc1,a@b.co,2025-01-01T00:00:00Z\r\n".encode())
    validate_file(spec.feed("contacts"), path)
    [record] = read_feed(spec.feed("contacts"), path, spec, NOW)
    assert record.record_id == "c1"  # type: ignore[union-attr]

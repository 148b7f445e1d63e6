"""The sources spec (specs/sources.toml): attribute catalogue, source systems and their feeds."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from c360tui.core.durations import parse_duration

AttrType = Literal["string", "email", "phone", "int", "float", "bool", "date", "datetime", "floats"]
SurvivorshipRule = Literal["source_priority", "most_recent", "most_frequent"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AttributeSpec(_Strict):
    """One attribute of a customer: its type, how reconciliation picks a winner, who owns it.

    `collection` names a list the attribute belongs to (e.g. "tickets"): such values become items
    of that list instead of competing for one winner. `scope = "account"` marks a fact of the
    company (plan, ARR): it is reconciled over the records of everyone at the same account.
    """

    type: AttrType = "string"
    label: str = ""
    rule: SurvivorshipRule = "source_priority"
    system_of_record: list[str] = Field(default_factory=list)
    conflict_window: str = "0s"
    collection: str | None = None
    scope: Literal["customer", "account"] = "customer"
    min: float | None = None
    max: float | None = None
    choices: list[str] | None = None

    @field_validator("conflict_window")
    @classmethod
    def _window_is_duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @property
    def conflict_window_delta(self) -> timedelta:
        return parse_duration(self.conflict_window)


class SystemSpec(_Strict):
    """A source system (crm, billing...): higher priority wins source_priority ties."""

    priority: int
    description: str = ""


class UpdatedAtSpec(_Strict):
    """Where a feed keeps the time a row last changed, and how to read it.

    `format` is "iso" or a strptime pattern; `timezone` (IANA name) is applied to naive values.
    Without a timezone, a naive value is refused: guessing it would make freshness wrong.
    """

    column: str
    format: str = "iso"
    timezone: str | None = None


class FeedSpec(_Strict):
    """One exported file of a system: format, id column, timestamp and column mapping."""

    name: str
    system: str
    file: str
    format: Literal["csv", "jsonl"] = "csv"
    delimiter: str = ","
    record_id: str
    updated_at: UpdatedAtSpec | None = None
    columns: dict[str, str]
    required: list[str] = Field(default_factory=list)


class SourcesSpec(_Strict):
    """The whole sources.toml."""

    default_region: str = "US"
    attributes: dict[str, AttributeSpec]
    systems: dict[str, SystemSpec]
    feeds: list[FeedSpec]

    @model_validator(mode="after")
    def _references_resolve(self) -> SourcesSpec:
        for name, attr in self.attributes.items():
            for system in attr.system_of_record:
                if system not in self.systems:
                    raise ValueError(
                        f"attributes.{name}.system_of_record names unknown system {system!r}"
                    )
        seen: set[str] = set()
        for feed in self.feeds:
            if feed.name in seen:
                raise ValueError(f"feed {feed.name!r} is declared twice")
            seen.add(feed.name)
            if feed.system not in self.systems:
                raise ValueError(f"feed {feed.name!r} names unknown system {feed.system!r}")
            for column, attribute in feed.columns.items():
                if attribute not in self.attributes:
                    raise ValueError(
                        f"feed {feed.name!r} maps column {column!r} to unknown attribute "
                        f"{attribute!r}"
                    )
        return self

    def feed(self, name: str) -> FeedSpec:
        for feed in self.feeds:
            if feed.name == name:
                return feed
        raise KeyError(name)

    def collections(self) -> dict[str, list[str]]:
        """Map each collection name to the attributes that form its items."""
        result: dict[str, list[str]] = {}
        for name, attr in self.attributes.items():
            if attr.collection:
                result.setdefault(attr.collection, []).append(name)
        return result

"""An event's JSON payload and back: what goes in the `payload` column and how it is decoded."""

from __future__ import annotations

import dataclasses
from typing import Any

from c360tui.telemetry.events import EVENT_CLASSES, Context, Event

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names, looked up once per class (encoding runs for every event)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _encode(value: object) -> Any:
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {name: _encode(getattr(value, name)) for name in _names(type(value))}
    return value


def to_payload(event: Event) -> dict[str, Any]:
    """The event's JSON payload: every field but the context, plus its derived properties."""
    payload = {name: _encode(getattr(event, name)) for name in _names(type(event)) if name != "ctx"}
    for name in event.derived:
        payload[name] = _encode(getattr(event, name))
    return payload


def from_payload(event_type: str, ctx: Context, payload: dict[str, Any]) -> Event:
    """Rebuild (and re-check) a typed event from its type, context and payload.

    Raises KeyError for an unknown type and ValueError/TypeError for a malformed payload.
    """
    cls = EVENT_CLASSES[event_type]
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name == "ctx" or f.name not in payload:
            continue
        value = payload[f.name]
        nested = cls.nested.get(f.name)
        if nested is not None and isinstance(value, list):
            value = tuple(nested(**item) for item in value)
        elif nested is not None and isinstance(value, dict):
            value = nested(**value)
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[f.name] = value
    return cls(ctx, **kwargs)

"""Small pieces every coercer uses: quoting an offending value, reading a number."""

from __future__ import annotations

import json
import math

from c360tui.core.sources_spec import AttributeSpec


def show(value: object, limit: int = 40) -> str:
    """A short, quoted rendering of an offending value for a reason sentence."""
    text = value if isinstance(value, str) else json.dumps(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return repr(text)


def json_text(value: object, kind: str) -> str:
    """The cell as text: JSON scalars become their JSON spelling, lists and objects are refused."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"is not a finite number ({value!r})")
        return str(value)
    raise ValueError(f"is a JSON {type(value).__name__}, expected {kind}")


def check_range(number: float, spec: AttributeSpec) -> None:
    if spec.min is not None and number < spec.min:
        raise ValueError(f"is {number:g}, below the minimum {spec.min:g}")
    if spec.max is not None and number > spec.max:
        raise ValueError(f"is {number:g}, above the maximum {spec.max:g}")


def to_float(value: object) -> float:
    if isinstance(value, bool):
        raise ValueError(f"is a boolean, expected a number ({value!r})")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if "_" in text:
            raise ValueError(f"is not a number ({show(value)})")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"is not a number ({show(value)})") from None
    else:
        raise ValueError(f"is a JSON {type(value).__name__}, expected a number")
    if not math.isfinite(number):
        raise ValueError(f"is not a finite number ({show(value)})")
    return number

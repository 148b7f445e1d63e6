"""Load the specs directory (sources, identity, views) and check it, problem by problem.

`check_specs` never stops at the first problem: each one names the file, the line, the key and
what to do ("specs/sdr_call_now.toml:14: signals[2] (intent) has no freshness budget; add
budget = \"24h\""). List indices in problems count from 1, as a person counts them.
"""

from __future__ import annotations

import importlib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from c360tui.core.derived import DERIVED
from c360tui.core.sources_spec import AttributeSpec, SourcesSpec
from c360tui.core.view_spec import ViewSpec
from c360tui.core.view_spec_checks import check_view
from c360tui.errors import C360Error

SOURCES_FILE = "sources.toml"
IDENTITY_FILE = "identity.toml"
_NOT_VIEWS = {SOURCES_FILE, IDENTITY_FILE}
Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a spec file, with where it is and what to do."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.key} " if self.key else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


# ---------------------------------------------------------------------------- loading


def load_sources(directory: Path) -> SourcesSpec:
    """The parsed sources.toml, or a C360Error naming the first problem."""
    spec: SourcesSpec = _load_model(directory / SOURCES_FILE, SourcesSpec)
    return spec


def load_identity(directory: Path) -> Any:
    """The parsed identity.toml as an IdentitySpec (None if that model or the file is absent)."""
    model = _identity_model()
    path = directory / IDENTITY_FILE
    if model is None or not path.is_file():
        return None
    return _load_model(path, model)


def load_views(directory: Path) -> dict[str, ViewSpec]:
    """Every view spec in the directory by name; a C360Error if any has a problem."""
    problems = check_specs(directory)
    if problems:
        more = f" (and {len(problems) - 1} more; run c360 specs check)" if len(problems) > 1 else ""
        raise C360Error(f"{problems[0]}{more}")
    views = {}
    for path in _view_files(directory):
        spec = ViewSpec.model_validate(_read_toml(path))
        views[spec.name] = spec
    return views


def _load_model(path: Path, model: type[BaseModel]) -> Any:
    problems: list[Problem] = []
    data = _parse(path, problems)
    if data is not None:
        try:
            return model.model_validate(data)
        except ValidationError as error:
            problems += _validation_problems(path, _text(path), data, error)
    raise C360Error(str(problems[0]) if problems else f"{path} could not be read")


def _view_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.toml") if p.name not in _NOT_VIEWS)


def _identity_model() -> type[BaseModel] | None:
    """IdentitySpec if the identity module is installed (it is written alongside this one)."""
    try:
        module = importlib.import_module("c360tui.core.identity_spec")
    except ImportError:
        return None
    model = getattr(module, "IdentitySpec", None)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


# ---------------------------------------------------------------------------- checking


def check_specs(directory: Path) -> list[Problem]:
    """Every problem in sources.toml, identity.toml and each view spec of `directory`."""
    problems: list[Problem] = []
    sources_path = directory / SOURCES_FILE
    attributes: Mapping[str, AttributeSpec] | None = None
    if not sources_path.is_file():
        problems.append(
            Problem(_shown(sources_path), 1, "", "is missing; every specs directory needs one")
        )
    else:
        data = _parse(sources_path, problems)
        if data is not None:
            try:
                attributes = SourcesSpec.model_validate(data).attributes
            except ValidationError as error:
                problems += _validation_problems(sources_path, _text(sources_path), data, error)
    identity_path = directory / IDENTITY_FILE
    if identity_path.is_file():
        problems += _check_identity(identity_path, attributes)
    for path in _view_files(directory):
        problems += _check_view_file(path, attributes)
    return problems


def spec_files(directory: Path) -> list[Path]:
    """The files `check_specs` reads, for counting them in "N specs OK"."""
    names = [directory / SOURCES_FILE, directory / IDENTITY_FILE]
    return [p for p in names if p.is_file()] + _view_files(directory)


def _parse(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        return _read_toml(path)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) if match else 1
        problems.append(
            Problem(_shown(path), line, "", f"is not valid TOML: {error}; fix the syntax")
        )
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(_shown(path), 1, "", f"cannot be read: {error}"))
    return None


def _check_view_file(path: Path, attributes: Mapping[str, AttributeSpec] | None) -> list[Problem]:
    problems: list[Problem] = []
    data = _parse(path, problems)
    if data is None:
        return problems
    text = _text(path)
    try:
        spec = ViewSpec.model_validate(data)
    except ValidationError as error:
        return _validation_problems(path, text, data, error)
    locator = _Locator(text)
    for issue in check_view(spec, attributes, DERIVED):
        problems.append(
            Problem(
                _shown(path), locator.line(issue.path), describe(issue.path, data), issue.message
            )
        )
    return problems


def _check_identity(path: Path, attributes: Mapping[str, AttributeSpec] | None) -> list[Problem]:
    """identity.toml parses as an IdentitySpec and reads only attributes of the catalogue."""
    problems: list[Problem] = []
    data = _parse(path, problems)
    model = _identity_model()
    if data is None or model is None:
        return problems
    text = _text(path)
    try:
        spec = model.model_validate(data)
    except ValidationError as error:
        return _validation_problems(path, text, data, error)
    if attributes is None:
        return problems
    locator = _Locator(text)
    derived_inputs: dict[str, tuple[str, ...]] = getattr(
        importlib.import_module(model.__module__), "DERIVED_INPUTS", {}
    )
    fields: dict[str, str] = getattr(spec, "fields", {})
    for name, kind in fields.items():
        for attribute in derived_inputs.get(kind, (name,)):
            if attribute not in attributes:
                where: Path_ = ("fields", name)
                problems.append(
                    Problem(
                        _shown(path),
                        locator.line(where),
                        describe(where, data),
                        f"reads attribute {attribute!r}, which sources.toml does not define; "
                        "add it there or remove this field",
                    )
                )
    return problems


# ---------------------------------------------------------------------------- messages

_HINTS: dict[str, str] = {
    "decision": 'has no decision sentence; add decision = "Should I ...?" in one sentence',
    "budget": 'has no freshness budget; add budget = "24h" (or 7d, 90d)',
    "key": 'has no key; add key = "x" (one key, not used by another action)',
}


def _validation_problems(
    path: Path, text: str, data: dict[str, Any], error: ValidationError
) -> list[Problem]:
    locator = _Locator(text)
    problems = []
    for item in error.errors():
        loc: Path_ = tuple(p for p in item["loc"] if isinstance(p, str | int))
        kind = item["type"]
        field = loc[-1] if loc else ""
        if kind == "missing":
            parent = loc[:-1]
            hint = _HINTS.get(str(field), f"is missing {field}; add {field} = ...")
            message, where = hint, parent
        elif kind == "extra_forbidden":
            message, where = "is not a known setting; remove it or fix the spelling", loc
        elif kind == "string_too_short" and field in _HINTS:
            message, where = _HINTS[str(field)], loc[:-1]
        elif kind == "model_type":
            message, where = f"must be a table {{ key = value, ... }}, not {item['input']!r}", loc
        else:
            plain = _plain(item["msg"])
            message, where = plain if "; " in plain else f"{plain}; fix this value", loc
        if kind == "string_too_short":
            line = locator.line(loc)  # the empty value's own line
        else:
            line = locator.line(where) if where else _line_of_quoted(text, item["msg"])
        key = describe(where, data) if where else ""
        if not key and message.startswith(("has no", "is missing")):
            message = f"the spec {message}"
        problems.append(Problem(_shown(path), line, key, message))
    return problems


def _plain(message: str) -> str:
    """Pydantic's message in our voice: no "Value error, " prefix, "must be" for "should be"."""
    return message.removeprefix("Value error, ").replace("Input should be", "must be")


def describe(path: Path_, data: Mapping[str, Any]) -> str:
    """A path as a person reads it: "signals[2] (intent)", indices from 1, with the item's id."""
    parts: list[str] = []
    node: Any = data
    label = ""
    for step in path:
        if isinstance(step, int):
            parts[-1] = f"{parts[-1]}[{step + 1}]" if parts else f"[{step + 1}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            ident = (node.get("id") or node.get("signal")) if isinstance(node, dict) else None
            label = f" ({ident})" if isinstance(ident, str) else label
        else:
            parts.append(step)
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts) + label


def _line_of_quoted(text: str, message: str) -> int:
    """The first line holding a name quoted in the message (for whole-file errors), else 1."""
    for name in re.findall(r"'([^']+)'", message):
        for number, line in enumerate(text.splitlines(), start=1):
            if name in line:
                return number
    return 1


def _shown(path: Path) -> str:
    """The path relative to the working directory when it lies below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


class _Locator:
    """Finds the line of a TOML path by reading the text (tomllib keeps no line numbers)."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
    _KEY = re.compile(r"^\s*\"?([A-Za-z0-9_\- ]+?)\"?\s*=")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: dict[Path_, int] = {(): 0}
        latest: dict[tuple[str, ...], Path_] = {(): ()}
        counts: dict[Path_, int] = {}
        for number, line in enumerate(self.lines, start=1):
            match = self._HEADER.match(line)
            if not match:
                continue
            names = tuple(part.strip().strip('"') for part in match.group(2).split("."))
            parent = latest.get(names[:-1], tuple(names[:-1]))
            concrete: Path_ = (*parent, names[-1])
            if match.group(1) == "[[":
                index = counts.get(concrete, 0)
                counts[concrete] = index + 1
                concrete = (*concrete, index)
            latest[names] = concrete
            self.headers[concrete] = number

    def line(self, path: Path_) -> int:
        """The line of the deepest table on `path`, or of the key inside it when written there."""
        for cut in range(len(path), -1, -1):
            prefix = path[:cut]
            if prefix in self.headers:
                start = self.headers[prefix]
                rest = path[cut:]
                if rest and isinstance(rest[0], str):
                    found = self._key_line(start, rest[0])
                    if found:
                        return found
                return max(start, 1)
        return 1

    def _key_line(self, start: int, key: str) -> int | None:
        for number in range(start + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if self._HEADER.match(line):
                return None
            match = self._KEY.match(line)
            if match and match.group(1).strip() == key:
                return number
        return None

"""Minimal line-based edits of a view spec's TOML text: reorder signals, move one, set a number.

A signal's block is its `[[signals]]` or `[[sections.signals]]` header and the lines below it up
to the next table (trailing blank lines and the comment lines directly above the next header stay
where they are: they introduce what follows). Only those blocks move; every other line,
comment and blank line is kept as written. `# tune:` comment lines directly above a header
belong to that block, so a later run replaces them instead of stacking more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from c360tui.tune.proposals import ViewPlan

HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(?:#.*)?$")
ID_LINE = re.compile(r'^\s*id\s*=\s*"([^"\\]*)"')
TUNE = "# tune:"


@dataclass(frozen=True, slots=True)
class Block:
    """One `[[...]]`/`[...]` table in the file: its name, id, section and line range."""

    table: str
    ident: str | None
    section: str | None
    start: int  # first line: the header, or the `# tune:` lines above it
    header: int
    end: int  # exclusive: after the last non-blank line before the next table's comments


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def blocks(lines: list[str]) -> list[Block]:
    """Every table of the file in order, with the id line found in its body."""
    headers = [(i, m.group(2)) for i, line in enumerate(lines) if (m := HEADER.match(line))]
    found: list[Block] = []
    section: str | None = None
    for n, (at, table) in enumerate(headers):
        start = at
        while start > 0 and lines[start - 1].strip().startswith(TUNE):
            start -= 1
        limit = headers[n + 1][0] if n + 1 < len(headers) else len(lines)
        end = limit
        while end > at + 1 and _is_comment(lines[end - 1]) and n + 1 < len(headers):
            end -= 1  # the next table's own comments
        while end > at + 1 and not lines[end - 1].strip():
            end -= 1
        ident = next(
            (m.group(1) for line in lines[at + 1 : end] if (m := ID_LINE.match(line))), None
        )
        if table == "sections":
            section = ident
        found.append(
            Block(table, ident, section if table == "sections.signals" else None, start, at, end)
        )
    return found


def _set_top_level(lines: list[str], key: str, value: str) -> bool:
    """Replace `key = ...` before the first table; False if the key is not there."""
    pattern = re.compile(rf"^(\s*{re.escape(key)}\s*=\s*)([^#\n]*?)(\s*(?:#.*)?)$")
    for i, line in enumerate(lines):
        if HEADER.match(line):
            return False
        match = pattern.match(line.rstrip("\n"))
        if match:
            lines[i] = f"{match.group(1)}{value}{match.group(3)}\n"
            return True
    return False


def bumped(version: str) -> str:
    """The next spec version: "3" -> "4", "1.2" -> "1.3", anything else gets ".1"."""
    head, _, last = version.rpartition(".")
    if last.isdigit():
        return f"{head}.{int(last) + 1}" if head else str(int(last) + 1)
    return f"{version}.1"


def _content(lines: list[str], block: Block, comments: list[str] | None, table: str) -> list[str]:
    """A block's lines, with its `# tune:` comments replaced and its header renamed if needed."""
    own = [line for line in lines[block.start : block.end] if not line.strip().startswith(TUNE)]
    header = own.index(lines[block.header])
    if table != block.table:
        own[header] = lines[block.header].replace(block.table, table, 1)
    added = (
        [c + "\n" for c in comments]
        if comments is not None
        else [line for line in lines[block.start : block.header] if line.strip().startswith(TUNE)]
    )
    return own[:header] + added + own[header:]


def edit(text: str, plan: ViewPlan, version: str) -> str:
    """The spec text with the plan applied: ranked order, promoted fields, fold, comments.

    Raises ValueError when the file's signals are not written as `[[signals]]` blocks whose
    ids match the plan (the caller then leaves that file alone).
    """
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    found = blocks(lines)
    ranked = [b for b in found if b.table == "signals"]
    detail = {b.ident: b for b in found if b.table == "sections.signals"}
    by_id = {b.ident: b for b in ranked}
    if len(by_id) != len(ranked) or None in by_id:
        raise ValueError("every [[signals]] block needs its own id line")
    wanted = set(plan.ranked) - set(plan.promoted)
    if set(by_id) != wanted or any(p not in detail for p in plan.promoted):
        raise ValueError("the plan does not match the file's signal blocks")
    replace: dict[int, tuple[int, list[str]]] = {}
    slots = list(ranked)
    for slot, name in zip(slots, plan.ranked, strict=False):
        source = by_id.get(name) or detail[name]
        replace[slot.start] = (
            slot.end,
            _content(lines, source, plan.comments.get(name), "signals"),
        )
    extra = plan.ranked[len(slots) :]
    if extra:
        end, content = replace[slots[-1].start]
        for name in extra:
            source = by_id.get(name) or detail[name]
            content = [*content, "\n", *_content(lines, source, plan.comments.get(name), "signals")]
        replace[slots[-1].start] = (end, content)
    for block in detail.values():
        name = block.ident or ""
        if name in plan.promoted:
            start = block.start
            while start > 0 and not lines[start - 1].strip():
                start -= 1
            replace[start] = (block.end, [])
        elif name in plan.comments:
            replace[block.start] = (
                block.end,
                _content(lines, block, plan.comments[name], block.table),
            )
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in replace:
            end, content = replace[i]
            out.extend(content)
            i = end
        else:
            out.append(lines[i])
            i += 1
    if plan.above_fold and not _set_top_level(out, "above_fold", str(plan.above_fold)):
        raise ValueError("above_fold is not set before the first table")
    if plan.changes_layout and not _set_top_level(out, "version", f'"{bumped(version)}"'):
        raise ValueError("version is not set before the first table")
    return "".join(out)

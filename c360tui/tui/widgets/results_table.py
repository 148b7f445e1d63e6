"""ResultsTable: the support lookup's DataTable, drawing its rows straight from their cells.

A DataTable renders every cell of a new result list through Rich's generic layout (padding, wrap,
crop), ~10-16 ms of CPU for 25 rows: a whole frame on every keystroke. Result rows are one line
of already-safe Rich Text in fixed-width columns, so this table draws a row as DataTable would
(the same segments and styles, checked by tests/tui/test_tui_results_table.py) from each cell's
text rendered once per content and width. Everything else (cursor, keys, mouse, messages,
scrolling, the header) is DataTable's own; anything this fast path does not cover goes to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable

# Key of one cell's text drawn at one width (the text's content, spans, style and layout).
_InnerKey = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class _Paint:
    """What drawing one paint's lines needs, read from the table once per paint."""

    header: int
    fast: bool  # no fixed rows or columns, no row labels, a row cursor: the rows this draws
    width: int
    cursor_row: int  # -1 when no cursor shows
    hover_row: int  # -1 when no hover highlight shows
    styles: tuple[Style, Style, Style, Style, Style]  # base, even, odd, cursor, hover


class ResultsTable(DataTable[Text]):
    """A DataTable of one-line Text cells whose body rows are drawn without Rich's layout."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._inner: LRUCache[_InnerKey, list[Segment]] = LRUCache(2048)
        self._rows: LRUCache[tuple[object, ...], Strip] = LRUCache(512)
        self._paint: _Paint | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line needs, read once per paint rather than once per line (styles follow
        # :focus; DataTable's reactives cost a lookup each).
        component = self.get_component_rich_style
        hover = self.show_cursor and bool(getattr(self, "_show_hover_cursor", False))
        self._paint = _Paint(
            header=self.header_height if self.show_header else 0,
            fast=not (
                self.fixed_rows
                or self.fixed_columns
                or (self.show_row_labels and getattr(self, "_labelled_row_exists", True))
                or self.cursor_type != "row"
            ),
            width=self.size.width,
            cursor_row=self.cursor_coordinate.row if self.show_cursor else -1,
            hover_row=self.hover_coordinate.row if hover else -1,
            styles=(
                self.rich_style,
                component("datatable--even-row"),
                component("datatable--odd-row"),
                component("datatable--cursor"),
                component("datatable--hover"),
            ),
        )
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        paint = self._paint
        if paint is None or not paint.fast or y < paint.header:
            return super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        row_index = y - paint.header + scroll_y
        if scroll_x or not 0 <= row_index < self.row_count or self._row_height(row_index) != 1:
            return super().render_line(y)
        return self._body_line(paint, row_index)

    def _row_height(self, row_index: int) -> int:
        return self.get_row_height(self.coordinate_to_cell_key(Coordinate(row_index, 0)).row_key)

    def _body_line(self, paint: _Paint, row_index: int) -> Strip:
        """One result row at the table's width, as DataTable's row cursor draws it."""
        on_cursor = row_index == paint.cursor_row
        hover = row_index == paint.hover_row
        key = (
            row_index,
            getattr(self, "_update_count", None),
            on_cursor,
            hover,
            paint.width,
            paint.styles,
        )
        strip = self._rows.get(key)
        if strip is None:
            strip = self._draw_row(paint, row_index, on_cursor, hover)
            self._rows[key] = strip
        return strip

    def _draw_row(self, paint: _Paint, row_index: int, on_cursor: bool, hover: bool) -> Strip:
        base_style, even, odd, cursor_style, hover_style = paint.styles
        width = paint.width
        row_style = (odd if row_index % 2 else even) if self.zebra_stripes else base_style
        component = Style()
        if hover:
            component += hover_style
        if on_cursor:
            component += cursor_style
        row_component = row_style + component
        post = Style.null()
        if self.cursor_foreground_priority == "css":
            post += Style.from_color(color=component.color)
        if self.cursor_background_priority == "css":
            post += Style.from_color(bgcolor=component.bgcolor)
        pad = self.cell_padding
        segments: list[Segment] = []
        table_width = 0
        for column_index, (column, cell) in enumerate(
            zip(self.ordered_columns, self.get_row_at(row_index), strict=True)
        ):
            cell_width = column.get_render_width(self)
            table_width += cell_width
            # The cell's meta (row, column) is what DataTable's mouse handling reads.
            pre = row_component + Style.from_meta({"row": row_index, "column": column_index})
            inner = self._inner_segments(cell, cell_width - 2 * pad)
            padding = Segment(" " * pad, _styled(pre, None, post)) if pad else None
            if padding:
                segments.append(padding)
            segments += [Segment(text, _styled(pre, style, post)) for text, style, _ in inner]
            if padding:
                segments.append(padding)
        extend = row_component + Style.from_meta(
            {"row": row_index, "column": 0, "out_of_bounds": True}
        )
        segments.append(Segment(" " * max(0, width - table_width), extend))
        if table_width <= width:  # exactly `width` cells: no crop or padding to work out
            return Strip(list(Segment.simplify(segments)), width)
        return Strip(segments).adjust_cell_length(width, base_style).simplify()

    def _inner_segments(self, cell: object, width: int) -> list[Segment]:
        """The cell's text laid out in `width` cells on one line (Rich's own layout, once)."""
        text = cell if isinstance(cell, Text) else Text(str(cell))
        key: _InnerKey = (
            text.plain,
            tuple(text.spans),
            text.style,
            text.justify,
            text.overflow,
            text.no_wrap,
            text.end,
            width,
        )
        inner = self._inner.get(key)
        if inner is None:
            inner = _one_line(text, width, self.app.console)
            if inner is None:  # not a plain one-line cell: Rich's whole layout
                options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
                lines = self.app.console.render_lines(text, options, style=Style.null(), pad=True)
                inner = lines[0] if lines else [Segment(" " * width)]
            self._inner[key] = inner
        return inner


def _one_line(text: Text, width: int, console: Console) -> list[Segment] | None:
    """What Rich lays out for a no-wrap, ellipsis-overflow Text of one line in `width` cells:
    the text cut to fit (ending in "…"), then padded with unstyled spaces. None otherwise."""
    plain = text.plain
    if (
        "\n" in plain
        or "\t" in plain
        or not text.no_wrap
        or text.overflow != "ellipsis"
        or text.justify not in (None, "default")
        or width < 1
    ):
        return None
    line = text.copy()
    line.end = ""
    line.truncate(width, overflow="ellipsis")
    segments = list(line.render(console, end=""))
    length = cell_len(line.plain)
    if length > width:
        return None
    if length < width:
        segments.append(Segment(" " * (width - length), Style.null()))
    return segments


def _styled(pre: Style, style: Style | None, post: Style) -> Style:
    """`Segment.apply_style(pre, post)` for one segment, as DataTable's Styled cells get it."""
    combined = pre + style
    return combined + post if post else combined

"""Lines: a line-API scroll view of prebuilt Content lines with an optional cursor, for the
replay's timeline and its recorded view; a step repaints only the lines that changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.cache import LRUCache
from textual.content import Content
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual

# Strips kept per Lines: a few screens of lines in both styles. Each strip is ~16 objects that a
# full collection walks; the 4096 kept before made each pass 20-35 ms on a long session.
STRIPS_KEPT = 256


class Lines(ScrollView, can_focus=False):
    """Prebuilt lines drawn one at a time (line API), with an optional cursor.

    Painting a step costs only the lines that changed: the caller fixes the scrollable size
    (so nothing runs a layout), a cursor move repaints two lines, scrolling goes by half a
    page in a frame of its own (so most moves repaint nothing else), and each line's strip is
    kept per style, the lines a scroll will need drawn ahead after each paint.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"lines--cursor"}

    class Picked(Message):
        """The user moved the cursor (keys or mouse) to `index`."""

        def __init__(self, lines: Lines, index: int) -> None:
            super().__init__()
            self.lines = lines
            self.index = index

        @property
        def control(self) -> Lines:
            return self.lines

    def __init__(self, *, id: str, cursor: bool = False) -> None:
        super().__init__(id=id)
        self.lines: Sequence[Content] = ()
        self.cursor = 0 if cursor else -1
        # Keyed by the line object's id (the value keeps the line, so the id stays its own).
        self._strips: LRUCache[tuple[int, object, int], tuple[object, Strip]] = LRUCache(
            STRIPS_KEPT
        )
        self._region = Region()
        self._styles = (VisualStyle(), VisualStyle())

    def set_lines(self, lines: Sequence[Content], size: Size | None = None) -> None:
        """Show `lines` in a scrollable area of `size` (default: just fits them)."""
        old, self.lines = self.lines, lines
        if size is None:
            size = Size(max((line.cell_length for line in lines), default=0), len(lines))
        if size != self.virtual_size:
            self.virtual_size = size
            self.refresh()
            return
        for index in range(max(len(old), len(lines))):
            if index >= len(old) or index >= len(lines) or old[index] is not lines[index]:
                self.refresh_line(index)

    def move_cursor(self, index: int) -> None:
        """Put the cursor on line `index`, repainting two lines.

        A cursor outside the view scrolls it to the middle at once; a cursor reaching the last
        (or first) visible line scrolls half a page after this paint, so the full repaint a
        scroll costs lands in a frame of its own rather than in the key's.
        """
        old, self.cursor = self.cursor, index
        if old == index:
            return
        top, height = round(self.scroll_offset.y), self.scrollable_content_region.height
        if height and not top <= index < top + height:
            self._center(index)
        else:
            self.refresh_line(old)
            self.refresh_line(index)
            at_edge = index == top + height - 1 if index > old else index == top
            if at_edge and 0 < index < len(self.lines) - 1:
                self.call_after_refresh(self._center, index)
        self.call_after_refresh(self._warm)

    def _center(self, index: int) -> None:
        if index == self.cursor:
            height = self.scrollable_content_region.height
            self.scroll_to(y=max(0, index - height // 2), animate=False)

    def _pick(self, index: int) -> None:
        if self.cursor >= 0 and self.lines:
            self.post_message(self.Picked(self, max(0, min(len(self.lines) - 1, index))))

    def key_up(self) -> None:
        self._pick(self.cursor - 1)

    def key_down(self) -> None:
        self._pick(self.cursor + 1)

    def key_pageup(self) -> None:
        self._pick(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def key_pagedown(self) -> None:
        self._pick(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self._pick(round(self.scroll_offset.y) + offset.y)

    def render_lines(self, crop: Region) -> list[Strip]:
        # Looked up once per paint, not once per line.
        self._region = self.scrollable_content_region
        self._styles = (self.get_visual_style(), self.get_visual_style("lines--cursor"))
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        scroll_x = round(self.scroll_offset.x)
        strip = self._strip(index, index == self.cursor)
        return strip.crop(scroll_x, scroll_x + self._region.width)

    def _strip(self, index: int, on_cursor: bool) -> Strip:
        """Line `index` drawn at the full scrollable width (cached per line object and style)."""
        width = max(self.virtual_size.width, self._region.width)
        style = self._styles[on_cursor]
        line = self.lines[index] if 0 <= index < len(self.lines) else None
        key = (id(line), style, width)
        cached = self._strips.get(key)
        if cached is not None and cached[0] is line:
            return cached[1]
        if line is None:
            strip = Strip.blank(width, style.rich_style)
        else:
            strip = Visual.to_strips(self, line, width, 1, style, pad=True)[0]
        self._strips[key] = (line, strip)
        return strip

    def _warm(self, budget: int = 4) -> None:
        """After a paint, draw a few lines the next move or half-page scroll will need."""
        if not self._region or self.cursor < 0:
            return
        top, height, cursor = round(self.scroll_offset.y), self._region.height, self.cursor
        wanted = [(cursor + 1, True), (cursor - 1, True)]
        wanted += [(i, False) for i in range(top + height, top + height + height // 2 + 1)]
        wanted += [(i, False) for i in range(top - 1, top - height // 2 - 2, -1)]
        for index, on_cursor in wanted:
            if budget == 0:
                return
            if 0 <= index < len(self.lines):
                style = self._styles[on_cursor]
                width = max(self.virtual_size.width, self._region.width)
                if self._strips.get((id(self.lines[index]), style, width)) is None:
                    self._strip(index, on_cursor)
                    budget -= 1

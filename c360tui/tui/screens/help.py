"""Help (`?`): the keys of the screen the rep was on, including the view spec's action keys."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from c360tui.tui.safe_text import safe_content, safe_text

HelpEntry = tuple[str, str, str]  # key, what it does, longer explanation


class HelpScreen(ModalScreen[None]):
    """A modal table of keys; escape or `?` closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,question_mark,f1", "dismiss", "Close", id="help.close", tooltip="Close help"
        ),
    ]

    def __init__(self, title: str, entries: list[HelpEntry]) -> None:
        super().__init__(classes="modal")
        self.help_title = title
        self.entries = entries

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal-body") as body:
            body.border_title = safe_content(f"Keys: {self.help_title}", 60)
            body.border_subtitle = Content("escape closes")
            yield Label(
                Content("Everything works from the keyboard; the mouse works too."),
                classes="why-field",
            )
            table: DataTable[object] = DataTable(
                cursor_type="row", zebra_stripes=True, id="help-keys"
            )
            table.add_columns("Key", "Does", "Detail")
            for key, description, detail in self.entries:
                table.add_row(
                    safe_text(key, 16, style="bold"),
                    safe_text(description, 40),
                    safe_text(detail, 60),
                )
            yield table

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)

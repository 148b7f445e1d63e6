"""The minimal Textual apps bench_tui compares c360's screens against (they import only Textual).

Run as a script (`python benchmarks/minimal_apps.py`) it starts the one-Static app on the terminal,
as `c360 support` is started, so both pay the same interpreter, import and driver start-up.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Label, Static

# What the one-Static app shows; bench_tui waits for it to reach the terminal.
MINIMAL_TEXT = "hello"


class Minimal(App[None]):
    """One Static: the least a Textual app paints."""

    def compose(self) -> ComposeResult:
        yield Static(MINIMAL_TEXT)


class Labels(App[None]):
    """Thirty labels whose text is swapped on every key: the floor for a key-to-screen change."""

    turn = 0

    def compose(self) -> ComposeResult:
        for i in range(30):
            yield Label(f"row {i}", id=f"l{i}")

    def on_key(self) -> None:
        self.turn += 1
        for i, label in enumerate(self.query(Label)):
            label.update(f"row {i} turn {self.turn}")


if __name__ == "__main__":
    Minimal().run()

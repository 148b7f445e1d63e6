"""The footer of every c360 screen: Textual's Footer, filled in the frame after the screen opens.

Textual's Footer waits for a refresh after focus settles and then for another before composing its
keys, so a screen opened cold showed its keys two frames (~60-100 ms) after the rest of it. The
first fill happens as soon as the bindings are known; later changes keep Footer's deferral, which
batches them after the frame (a queue step must not pay for the footer).
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """A Footer whose first set of keys is composed at once instead of after two refreshes."""

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._bindings_ready:
            super().bindings_changed(screen)
            return
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_next(self.recompose)

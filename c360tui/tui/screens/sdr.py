"""SDR morning queue (`c360 sdr`): the fresh leads, worked from the keyboard."""

from __future__ import annotations

from c360tui.tui.screens.queue import QueueScreen


class SdrScreen(QueueScreen):
    """The SDR morning queue: "Should I call this lead in the next hour?"."""

    BINDING_GROUP_TITLE = "SDR queue"
    title_text = "SDR morning queue"
    empty_text = "Queue done: every lead is worked or snoozed."

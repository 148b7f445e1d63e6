"""CSM at-risk (`c360 csm`): the book ranked by risk, usage trends drawn as sparklines."""

from __future__ import annotations

from c360tui.tui.screens.queue import QueueScreen


class CsmScreen(QueueScreen):
    """The CSM book ranked by risk: "Is this account at risk?"."""

    BINDING_GROUP_TITLE = "CSM at-risk"
    title_text = "CSM at-risk accounts"
    empty_text = "Every account in the book is reviewed."

"""The launcher: pick a role with one key; shows where the data and telemetry files are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from c360tui.tui.safe_text import join, safe_content
from c360tui.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from c360tui.tui.app import C360App


@dataclass(frozen=True, slots=True)
class RoleEntry:
    """One role the launcher offers: its key, name, and the decision its screen supports."""

    key: str
    role: str
    name: str
    decision: str


ROLES = (
    RoleEntry("1", "support", "Support agent", "Can I close this case without escalating?"),
    RoleEntry("2", "sdr", "SDR", "Should I call this lead in the next hour?"),
    RoleEntry("3", "csm", "Customer success", "Is this account at risk?"),
    RoleEntry(
        "4", "lead", "Team lead", "Where is trust leaking, and which fields earn their place?"
    ),
)


class LauncherScreen(Screen[None]):
    """Role picker: 1-4 (or arrows and enter, or a click) opens a role's screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                entry.key,
                f"open_role('{entry.role}')",
                entry.name,
                id=f"launcher.{entry.role}",
                tooltip=entry.decision,
            )
            for entry in ROLES
        ),
    ]
    BINDING_GROUP_TITLE = "Launcher"

    def __init__(self, locations: dict[str, str]) -> None:
        super().__init__(id="launcher")
        self.locations = locations

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="launcher-body"):
            yield Static(Content.styled("Who are you working as?", "bold"), id="launcher-question")
            roles = OptionList(*(_role_option(entry) for entry in ROLES), id="roles")
            yield roles
            lines = [
                join(Content.styled(f"{name:<10}", "bold"), safe_content(path))
                for name, path in self.locations.items()
            ]
            yield Static(Content("\n").join(lines), id="locations")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "c360"
        self.sub_title = "pick a role"
        # Recorded once the screen is painted: the event modules then load after the first paint.
        self.call_after_refresh(cast("C360App", self.app).tracker.screen_opened, "launcher")
        roles = self.query_one("#roles", OptionList)
        roles.highlighted = 0
        roles.focus()

    @on(OptionList.OptionSelected, "#roles")
    def _role_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_open_role(event.option.id)

    def action_open_role(self, role: str) -> None:
        cast("C360App", self.app).open_role(role)


def _role_option(entry: RoleEntry) -> Option:
    prompt = join(
        Content.styled(f" {entry.key} ", "reverse bold"),
        Content.styled(f"  {entry.name}", "bold"),
        "\n",
        Content.styled(f"     {entry.decision}", "dim"),
    )
    return Option(prompt, id=entry.role)

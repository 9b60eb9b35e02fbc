"""What a platform event becomes: one Message (who, where, what)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UserRef:
    platform: str  # "console" | "discord" | "slack"
    id: str
    name: str
    admin: bool = False  # the platform's own notion (Discord Manage Server/Channels, Slack admin/owner)


@dataclass(frozen=True, slots=True)
class ChannelRef:
    platform: str
    workspace: str  # Discord guild / Slack team; "" for the console or a DM
    id: str

    @property
    def key(self) -> str:
        """A stable string for storing per-channel state (open questions, cohorts)."""
        return f"{self.platform}:{self.workspace}:{self.id}"


@dataclass(frozen=True, slots=True)
class Action:
    """A button press: which choice, and the payload the button carried."""

    id: str
    payload: str = ""


@dataclass(frozen=True, slots=True)
class Message:
    user: UserRef
    channel: ChannelRef
    text: str
    action: Action | None = None

    @property
    def platform(self) -> str:
        return self.user.platform

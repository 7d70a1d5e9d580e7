"""Who sees what on the dashboard: the chat's rules, applied to a web viewer."""

from __future__ import annotations

from dataclasses import dataclass

from roster.model import Actor


@dataclass(frozen=True)
class Viewer:
    """`team`: a leader's own team, or the team a wall-screen link is limited to.

    Phones follow the chat rule (a team's leaders and coordinators, privately);
    a wall screen is a public room, so it never gets them.
    """

    lang: str
    coordinator: bool = False
    team: str | None = None
    wall: bool = False
    kind: str = "coordinator"  # coordinator | leader | wall: shown in the page header

    @classmethod
    def of(cls, actor: Actor) -> Viewer | None:
        """None for anyone who may not open the dashboard (chat: leaders and coordinators)."""
        if actor.coordinator:
            return cls(actor.language, coordinator=True)
        if actor.is_leader_or_coordinator and actor.team_code is not None:
            return cls(actor.language, team=actor.team_code, kind="leader")
        return None

    @classmethod
    def wall_screen(cls, lang: str, team: str | None) -> Viewer:
        return cls(lang, team=team, wall=True, kind="wall")

    def sees_team(self, team_code: str) -> bool:
        return self.coordinator or self.team is None or self.team == team_code

    def sees_callout(self, teams: tuple[str, ...]) -> bool:
        return self.coordinator or self.team is None or self.team in teams

    def sees_phone(self, team_code: str) -> bool:
        if self.wall:
            return False
        return self.coordinator or self.team == team_code

    def in_language(self, lang: str) -> Viewer:
        return Viewer(lang, self.coordinator, self.team, self.wall, self.kind)

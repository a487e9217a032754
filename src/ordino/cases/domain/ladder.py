"""The escalation ladder of a case type: up to four levels, each "after N business hours of the
SLA clock, give the case to the team / its lead / its manager / a named user"
(docs/cases.md, "Escalation"). Checked when a type is saved, never at run time."""

from __future__ import annotations

from dataclasses import dataclass

from ordino.core.domain.errors import DomainError

MAX_LEVELS = 4
TARGETS = ("team", "lead", "manager", "user")
MAX_HOURS = 24 * 365


@dataclass(frozen=True)
class Level:
    after_hours: int
    to: str
    user: str = ""  # the username, when `to` is "user"

    def as_dict(self) -> dict:
        return {"after_hours": self.after_hours, "to": self.to, "user": self.user}


def ladder_parse(raw: object, *, field: str = "ladder") -> tuple[Level, ...]:
    """The levels of a stored or submitted ladder, or 422 `invalid_ladder` naming the level."""
    if not isinstance(raw, list) or len(raw) > MAX_LEVELS:
        raise DomainError(
            "invalid_ladder", f"A ladder is a list of at most {MAX_LEVELS} levels.", field=field
        )
    levels: list[Level] = []
    for i, item in enumerate(raw):
        where = f"{field}[{i}]"
        if not isinstance(item, dict):
            raise DomainError("invalid_ladder", "A level is an object.", field=where)
        hours, to, user = item.get("after_hours"), item.get("to"), item.get("user") or ""
        if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= MAX_HOURS:
            raise DomainError(
                "invalid_ladder", f"after_hours is a whole number 1..{MAX_HOURS}.", field=where
            )
        if to not in TARGETS:
            raise DomainError("invalid_ladder", f"to is one of {', '.join(TARGETS)}.", field=where)
        if (to == "user") != bool(user) or not isinstance(user, str) or len(user) > 150:
            raise DomainError(
                "invalid_ladder", "user names the user exactly when to is 'user'.", field=where
            )
        if levels and hours <= levels[-1].after_hours:
            raise DomainError(
                "invalid_ladder", "Each level comes after the one before it.", field=where
            )
        levels.append(Level(after_hours=hours, to=to, user=user))
    return tuple(levels)


def level_next(levels: tuple[Level, ...], reached: int) -> Level | None:
    """The level a case escalates to next, having reached `reached` levels (None: no more)."""
    return levels[reached] if reached < len(levels) else None

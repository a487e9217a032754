"""The escalation ladder: up to four levels, each later than the one before, checked when a type
is saved (docs/cases.md, "Escalation")."""

from __future__ import annotations

import pytest

from ordino.cases.domain.ladder import Level, ladder_parse, level_next
from ordino.cases.domain.status import priority_raised, status_check
from ordino.core.domain.errors import DomainError


def test_a_ladder_of_three_levels():
    levels = ladder_parse(
        [{"after_hours": 24, "to": "team"}, {"after_hours": 48, "to": "lead"},
         {"after_hours": 72, "to": "user", "user": "maria"}]
    )  # fmt: skip
    assert levels[2] == Level(after_hours=72, to="user", user="maria")
    assert level_next(levels, 0) == Level(24, "team")
    assert level_next(levels, 3) is None


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ([{"after_hours": h, "to": "team"} for h in (1, 2, 3, 4, 5)], "ladder"),
        ([{"after_hours": 0, "to": "team"}], "ladder[0]"),
        ([{"after_hours": 5, "to": "boss"}], "ladder[0]"),
        ([{"after_hours": 5, "to": "user"}], "ladder[0]"),
        ([{"after_hours": 5, "to": "team"}, {"after_hours": 5, "to": "lead"}], "ladder[1]"),
        ("24h", "ladder"),
    ],
)
def test_a_bad_ladder_is_refused_naming_the_level(raw, field):
    with pytest.raises(DomainError) as refused:
        ladder_parse(raw)
    assert (refused.value.code, refused.value.errors[0]["field"]) == ("invalid_ladder", field)


def test_statuses_move_forward_only():
    assert status_check("new", "open") == "open"
    assert status_check("waiting", "open") == "open"
    with pytest.raises(DomainError) as refused:
        status_check("resolved", "open")
    assert (refused.value.code, refused.value.status) == ("case_status_invalid", 409)


def test_escalation_raises_priority_up_to_urgent():
    assert [priority_raised(p) for p in ("low", "normal", "high", "urgent")] == [
        "normal", "high", "urgent", "urgent"
    ]  # fmt: skip

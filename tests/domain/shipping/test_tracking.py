"""Tracking's fold: one vocabulary, status only forward, each event once, any order."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain import tracking_maps as tm
from ordino.shipping.domain.tracking import (
    TrackerState,
    carrier_code,
    event_make,
    status_higher,
    tracker_fold,
    tracking_number_clean,
)

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def ev(status: str, minutes: int, *, eid: str = "", text: str = "", where: str = ""):
    return event_make(status=status, occurred_at=T0 + timedelta(minutes=minutes),
                      description=text or status, location=where, carrier_event_id=eid,
                      carrier_status=status)  # fmt: skip


def fold(*events) -> TrackerState:
    state = TrackerState()
    for e in events:
        state = tracker_fold(state, [e]).after
    return state


# --- the vocabulary and its tables ----------------------------------------------------------


def test_every_source_value_is_mapped_to_a_known_status():
    assert len(tm.EASYPOST) == 10 and len(tm.SHIPPO) == 6 and len(tm.KARRIO) == 12
    for table in (tm.EASYPOST, tm.SHIPPO, tm.KARRIO, tm.SHIPPO_SUBSTATUS):
        assert set(table.values()) <= set(tm.STATUSES)


def test_ranks_are_distinct_and_action_flags_as_documented():
    assert len({s.rank for s in tm.STATUSES.values()}) == len(tm.STATUSES)
    flagged = {code for code, s in tm.STATUSES.items() if s.action_required}
    assert flagged == {tm.EXCEPTION, tm.FAILURE, tm.RETURN_TO_SENDER}


@pytest.mark.parametrize(
    ("source", "status", "substatus", "flag", "expected"),
    [
        ("easypost", "out_for_delivery", "", False, tm.OUT_FOR_DELIVERY),
        ("easypost", "error", "", False, tm.UNKNOWN),
        ("easypost", "teleported", "", False, tm.UNKNOWN),  # a new status: unknown, no error
        ("shippo", "TRANSIT", "out_for_delivery", False, tm.OUT_FOR_DELIVERY),
        ("shippo", "TRANSIT", "package_held", True, tm.EXCEPTION),
        ("shippo", "TRANSIT", "delayed", False, tm.IN_TRANSIT),
        ("shippo", "TRANSIT", "brand_new_code", True, tm.EXCEPTION),  # the payload's own flag
        ("shippo", "RETURNED", "package_unclaimed", True, tm.RETURN_TO_SENDER),
        ("shippo", "FAILURE", "package_lost", True, tm.FAILURE),
        ("shippo", "LOST_IN_SPACE", "", False, tm.UNKNOWN),
        ("karrio", "picked_up", "", False, tm.IN_TRANSIT),
        ("karrio", "on_hold", "", False, tm.EXCEPTION),
        ("karrio", "delivery_failed", "", False, tm.FAILURE),
        ("nobody", "delivered", "", False, tm.UNKNOWN),
    ],
)
def test_status_map(source, status, substatus, flag, expected):
    assert tm.status_map(source, status, substatus, flag) == expected


def test_shippo_substatus_codes_keep_shippos_own_action_flags():
    for (status, code), ours in tm.SHIPPO_SUBSTATUS.items():
        assert status == "TRANSIT"
        assert tm.SHIPPO_SUBSTATUS_CODES[code] == tm.STATUSES[ours].action_required


# --- the order of statuses: decisions ---------------------------------------------------------


@pytest.mark.parametrize(
    ("sequence", "final"),
    [
        ((tm.IN_TRANSIT, tm.PRE_TRANSIT), tm.IN_TRANSIT),  # a late label scan
        ((tm.DELIVERED, tm.OUT_FOR_DELIVERY), tm.DELIVERED),  # a late van scan
        ((tm.DELIVERED, tm.FAILURE), tm.DELIVERED),  # delivered stays delivered...
        ((tm.FAILURE, tm.DELIVERED), tm.DELIVERED),  # ...and a lost parcel found is delivered
        ((tm.DELIVERED, tm.RETURN_TO_SENDER), tm.RETURN_TO_SENDER),  # going back: a person looks
        ((tm.RETURN_TO_SENDER, tm.DELIVERED), tm.RETURN_TO_SENDER),  # delivered back to sender
        ((tm.EXCEPTION, tm.IN_TRANSIT), tm.EXCEPTION),  # stands until out for delivery
        ((tm.EXCEPTION, tm.OUT_FOR_DELIVERY), tm.OUT_FOR_DELIVERY),
        ((tm.CANCELLED, tm.IN_TRANSIT), tm.IN_TRANSIT),  # a voided label that moves after all
        ((tm.IN_TRANSIT, tm.UNKNOWN), tm.IN_TRANSIT),
    ],
)
def test_status_order_decisions(sequence, final):
    state = fold(*(ev(s, i) for i, s in enumerate(sequence)))
    assert state.status == final
    assert state.action_required is tm.STATUSES[final].action_required


def test_timeline_is_sorted_by_time_whatever_the_arrival():
    late, early = ev(tm.IN_TRANSIT, 30, text="hub"), ev(tm.PRE_TRANSIT, 0, text="label")
    state = fold(late, early)
    assert [e.description for e in state.timeline] == ["label", "hub"]
    assert state.last_event_at == T0 + timedelta(minutes=30)


def test_a_duplicate_changes_nothing_and_is_counted():
    first = tracker_fold(TrackerState(), [ev(tm.IN_TRANSIT, 5, eid="A")])
    again = tracker_fold(first.after, [ev(tm.IN_TRANSIT, 5, eid="A"), ev(tm.DELIVERED, 9, eid="A")])
    assert again.after == first.after  # same carrier id, other content: the first is kept
    assert (again.added, again.duplicates, again.moved) == ((), 2, False)


def test_identity_is_the_carrier_id_else_a_fingerprint():
    assert ev(tm.IN_TRANSIT, 1, eid="E7").identity == "id:E7"
    a, b = ev(tm.IN_TRANSIT, 1, where="Köln"), ev(tm.IN_TRANSIT, 1, where="Bonn")
    assert a.identity.startswith("fp:") and a.identity != b.identity
    assert a.identity == ev(tm.IN_TRANSIT, 1, where="Köln").identity


def test_event_make_bounds_text_and_refuses_a_naive_time():
    made = event_make(
        status="flying",
        occurred_at=datetime(2026, 12, 1, 9, tzinfo=timezone(timedelta(hours=2))),
        description="x" * 300 + "\n\x00y",
        location="  a\tb  " * 40,
    )
    assert made.status == tm.UNKNOWN
    assert made.occurred_at == datetime(2026, 12, 1, 7, tzinfo=UTC)
    assert len(made.description) == 255 and len(made.location) == 128
    assert "\n" not in made.description and "\x00" not in made.description
    with pytest.raises(DomainError) as refused:
        event_make(status=tm.DELIVERED, occurred_at=datetime(2026, 12, 1, 9))
    assert refused.value.code == "naive_time"


def test_carrier_and_tracking_number_keys():
    assert carrier_code("DHL Express") == carrier_code("dhl_express") == "dhlexpress"
    assert tracking_number_clean(" 1z 999 aa1 ") == "1Z999AA1"


def test_status_higher_is_a_maximum():
    for a in tm.STATUSES:
        for b in tm.STATUSES:
            assert status_higher(a, b) == status_higher(b, a)
            assert tm.STATUSES[status_higher(a, b)].rank == max(
                tm.STATUSES[a].rank, tm.STATUSES[b].rank
            )


# --- the property: replayed shuffled and duplicated, 10,000 times ----------------------------

EXAMPLES, REPLAYS_EACH = 50, 200


@st.composite
def streams(draw):
    """A parcel's events: statuses, times (some equal), some with carrier ids, some not."""
    n = draw(st.integers(min_value=1, max_value=12))
    events = []
    for i in range(n):
        status = draw(st.sampled_from(sorted(tm.STATUSES)))
        minute = draw(st.integers(min_value=0, max_value=20))
        with_id = draw(st.booleans())
        place = draw(st.sampled_from(["", "Köln", "Hub 7"]))
        events.append(ev(status, minute, eid=f"E{i}" if with_id else "", where=place))
    return events


def test_replayed_shuffled_and_duplicated_10000_times_never_moves_back_nor_repeats():
    totals = {"replays": 0, "backward": 0, "duplicate_entries": 0, "other_final": 0}

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(streams(), st.integers(min_value=0, max_value=2**32))
    def replay(events, seed):
        rng = random.Random(seed)
        expected = tracker_fold(TrackerState(), events).after
        for _ in range(REPLAYS_EACH):
            stream = events + [rng.choice(events) for _ in range(rng.randint(0, len(events)))]
            rng.shuffle(stream)
            state, at = TrackerState(), 0
            while at < len(stream):
                size = rng.randint(1, 4)
                applied = tracker_fold(state, stream[at : at + size])
                at += size
                if applied.after.status != status_higher(state.status, applied.after.status):
                    totals["backward"] += 1
                identities = [e.identity for e in applied.after.timeline]
                totals["duplicate_entries"] += len(identities) - len(set(identities))
                state = applied.after
            totals["other_final"] += state != expected
            totals["replays"] += 1

    replay()
    assert totals == {"replays": EXAMPLES * REPLAYS_EACH, "backward": 0,
                      "duplicate_entries": 0, "other_final": 0}  # fmt: skip

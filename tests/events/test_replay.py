"""A person replays failed or dead outbox events (events.services.outbox_event_replay), from the
console's outbox list after a confirmation with a reason; who did it and why stay on the event."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.events.models import OutboxEvent, OutboxSubscriberDone
from ordino.events.relay import MAX_ATTEMPTS, outbox_dispatch
from ordino.events.services import event_emit, outbox_event_replay
from ordino.events.types import Event
from tests.console.lists_fixtures import signed_in, staff_user

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclasses.dataclass(frozen=True)
class Pinged(Event):
    name = "test.pinged"
    aggregate_type = "thing"


def emitted(**state) -> OutboxEvent:
    event = event_emit(event=Pinged(), aggregate_id=1)
    OutboxEvent.objects.filter(pk=event.pk).update(**state)
    return OutboxEvent.objects.get(pk=event.pk)


def test_a_dead_event_replayed_is_delivered_again_and_remembers_who_and_why():
    # Given an event the relay gave up on
    dead = emitted(attempts=MAX_ATTEMPTS, dead=True, last_error="carrier down")
    # When an admin replays it
    outbox_event_replay(event_id=dead.pk, actor="user:admin", reason="carrier is back")
    # Then it is due again from its first attempt, with who and why
    dead.refresh_from_db()
    assert (dead.dead, dead.attempts, dead.next_attempt_at) == (False, 0, None)
    assert (dead.replayed_by, dead.replay_reason) == ("user:admin", "carrier is back")
    assert dead.replayed_at is not None
    # and the relay delivers it
    assert outbox_dispatch(subscribers={Pinged: [lambda e: None]}) == (1, 0)


@pytest.mark.parametrize(
    ("state", "code"),
    [({}, "outbox_event_pending"), ({"delivered_at": utcnow()}, "outbox_event_delivered")],
)
def test_a_pending_or_delivered_event_is_not_replayed(state, code):
    event = emitted(**state)
    with pytest.raises(DomainError) as refused:
        outbox_event_replay(event_id=event.pk, actor="user:admin", reason="why not")
    assert refused.value.code == code
    event.refresh_from_db()
    assert event.replayed_by == ""


def test_the_outbox_list_filters_by_delivery_state():
    failed = emitted(attempts=2, next_attempt_at=utcnow(), last_error="boom")
    dead = emitted(attempts=MAX_ATTEMPTS, dead=True)
    pending = emitted()
    client = signed_in(staff_user("admin", "events.view_outboxevent"))
    url = reverse("admin:events_outboxevent_changelist")
    for state, expected in (("failed", failed), ("dead", dead), ("pending", pending)):
        page = client.get(url, {"delivery": state})
        assert [e.pk for e in page.context["cl"].result_list] == [expected.pk]


def test_replay_from_the_list_asks_a_reason_and_is_only_for_who_may_act():
    dead = emitted(attempts=MAX_ATTEMPTS, dead=True)
    form = {
        "action": "replay",
        "_selected_action": [dead.pk],
        "confirmed": "yes",
        "reason": "fixed the subscriber",
    }
    url = reverse("admin:events_outboxevent_changelist")
    # a viewer may not replay
    viewer = signed_in(staff_user("viewer", "events.view_outboxevent"))
    assert b'value="replay"' not in viewer.get(url).content
    viewer.post(url, form)
    dead.refresh_from_db()
    assert dead.dead is True
    # an admin sees the confirmation first, then replays
    admin = signed_in(
        staff_user("admin", "events.view_outboxevent", "accounts.manage_integrations")
    )
    first = admin.post(url, {"action": "replay", "_selected_action": [dead.pk]})
    assert b'data-testid="confirm-action"' in first.content
    admin.post(url, form)
    dead.refresh_from_db()
    assert (dead.dead, dead.replayed_by) == (False, "user:admin")


def test_the_event_page_shows_which_subscribers_are_done_and_a_replay_keeps_them():
    # given an event that failed in queue mode after one of its two subscribers was done
    event = emitted(attempts=1, last_error="boom")
    OutboxSubscriberDone.objects.create(
        event=event, subscriber="ordino.wiring.label_print", done_at=START
    )
    # when a person opens it, then the page names the subscriber done and when
    client = signed_in(staff_user("admin", "events.view_outboxevent"))
    page = client.get(reverse("admin:events_outboxevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert b"ordino.wiring.label_print: 2026-03-02 09:00:00 UTC" in page.content
    # when it is replayed, then only the subscribers not done will run: the record stays
    outbox_event_replay(event_id=event.pk, actor="user:admin", reason="carrier back")
    assert OutboxSubscriberDone.objects.filter(event=event).count() == 1

from __future__ import annotations

from django.db import models


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change it reports; delivered later,
    at least once, by the outbox relay. Names are past tense: `order.captured`."""

    name = models.CharField(max_length=80, db_index=True)
    aggregate_type = models.CharField(max_length=40)
    aggregate_id = models.BigIntegerField()
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # The relay's bookkeeping: who holds the event now, how often it failed, when to retry.
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    dead = models.BooleanField(default=False, help_text="Gave up after too many failures.")
    # The last time a person gave a failed or dead event another go (events.services).
    replayed_at = models.DateTimeField(null=True, blank=True)
    replayed_by = models.CharField(max_length=128, blank=True)
    replay_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "outbox event"
        indexes = [
            models.Index(fields=["aggregate_type", "aggregate_id"], name="outbox_aggregate_idx"),
            models.Index(
                fields=["id"],
                name="outbox_undelivered_idx",
                condition=models.Q(delivered_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.aggregate_type}#{self.aggregate_id}"


class OutboxSubscriberDone(models.Model):
    """One subscriber of an event ran to its end, in the relay's queue mode (docs/integrations.md,
    "The delivery engine"): the relay hands one task per (event, subscriber) to the task queue
    and marks the event delivered once every subscriber has a row here; a task lost with its
    worker is handed over again when the event's claim lapses, and only for the subscribers
    without one."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="done_by")
    subscriber = models.CharField(max_length=255, help_text="module.function of the subscriber")
    done_at = models.DateTimeField()

    class Meta:
        verbose_name = "outbox subscriber done"
        verbose_name_plural = "outbox subscribers done"
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="outbox_done_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} done event #{self.event_id}"

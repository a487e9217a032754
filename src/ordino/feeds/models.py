from __future__ import annotations

from django.db import models


class FeedSettings(models.Model):
    """A channel's feed of available-to-sell (docs/feeds.md): a channel has a feed when it has
    this row, enabled. Where the levels go is the channel's pusher (feeds/ports.py): its Shopify
    or WooCommerce connection's, else only the integration log."""

    channel = models.OneToOneField(
        "channels.Channel", on_delete=models.CASCADE, related_name="feed_settings"
    )
    enabled = models.BooleanField(default=True)
    min_interval_seconds = models.PositiveIntegerField(
        default=30, help_text="Pending SKUs are pushed at most once per this many seconds."
    )
    batch_size = models.PositiveIntegerField(
        default=100, help_text="SKUs per request (the platform's limit: Woo 100, ...)."
    )
    # When the last delta round started: claimed by a conditional update, so one worker pushes.
    last_delta_at = models.DateTimeField(null=True, blank=True)
    # A full push asked for (API, console): the worker runs it and clears this.
    full_requested_at = models.DateTimeField(null=True, blank=True)
    full_requested_by = models.CharField(max_length=150, blank=True)
    # The channel's buffer and excluded locations when last seen: a change re-marks every SKU.
    rule_fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "feed settings"
        verbose_name_plural = "feed settings"

    def __str__(self) -> str:
        return f"feed of {self.channel_id}"


class FeedItem(models.Model):
    """One SKU on one channel's feed: what was last pushed, and whether a change waits."""

    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="+")
    sku = models.CharField(max_length=64)  # the SKU's code, as the channel knows it
    pushed_quantity = models.IntegerField(null=True, blank=True)  # None: never pushed
    pushed_at = models.DateTimeField(null=True, blank=True)
    pending_since = models.DateTimeField(null=True, blank=True)  # first change not yet pushed
    # Counts changes; a push clears `pending_since` only if no change came while it ran.
    change_count = models.PositiveBigIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)  # failed pushes in a row
    retry_at = models.DateTimeField(null=True, blank=True)  # not before, after a failure
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "sku"], name="feeditem_channel_sku_uniq")
        ]
        indexes = [
            models.Index(fields=["channel", "pending_since"], name="feeditem_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} on {self.channel_id}"


class FeedRun(models.Model):
    """One push round of a channel: a delta of the pending SKUs, or a full push."""

    DELTA, FULL = "delta", "full"
    KINDS = [(DELTA, "Delta"), (FULL, "Full")]

    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=KINDS)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    skus_pushed = models.PositiveIntegerField(default=0)
    skus_failed = models.PositiveIntegerField(default=0)
    skus_settled = models.PositiveIntegerField(default=0)  # pending, already showing: not sent
    batches = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    actor = models.CharField(max_length=150, blank=True)

    class Meta:
        indexes = [models.Index(fields=["channel", "-started_at"], name="feedrun_channel_idx")]

    def __str__(self) -> str:
        return f"{self.kind} push of {self.channel_id} at {self.started_at:%Y-%m-%d %H:%M}"

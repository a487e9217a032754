"""Shipping's tables (docs/shipping.md): carriers, their services, and each service's zones,
rate brackets and surcharges — rating data, loaded whole through the domain's checks."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from ordino.core.domain.clock import utcnow
from ordino.core.domain.money import quantum


class Carrier(models.Model):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=utcnow, editable=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CarrierService(models.Model):
    """One service of a carrier and how it weighs and limits parcels (docs/shipping.md,
    "Billable weight"); its prices are in `currency`, its weights in `unit` (kg or lb), its
    lengths in cm (kg) or in (lb)."""

    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="services")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=100)
    currency = models.CharField(max_length=3)
    unit = models.CharField(max_length=2, default="kg")
    divisor = models.DecimalField(max_digits=10, decimal_places=3, default=5000)
    min_volume = models.DecimalField(max_digits=12, decimal_places=3, default=0)
    increment = models.DecimalField(max_digits=7, decimal_places=3, default="0.5")
    transit_days = models.PositiveSmallIntegerField(default=2)
    max_weight = models.DecimalField(max_digits=9, decimal_places=3)
    max_longest = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    max_length_plus_girth = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    is_active = models.BooleanField(default=True)
    rates_loaded_at = models.DateTimeField(null=True, blank=True)
    zones_loaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["carrier__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "code"], name="shipping_service_unique")
        ]

    def __str__(self) -> str:
        return f"{self.carrier.code}:{self.code}"


class ServiceZone(models.Model):
    service = models.ForeignKey(CarrierService, on_delete=models.CASCADE, related_name="zones")
    zone = models.CharField(max_length=32)
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=64, blank=True)
    postal_prefix = models.CharField(max_length=16, blank=True)
    row = models.PositiveIntegerField()  # the row of the file it was loaded from

    class Meta:
        ordering = ["service", "row"]

    def __str__(self) -> str:
        return f"{self.service} zone {self.zone}, row {self.row}"


class RateBracket(models.Model):
    service = models.ForeignKey(CarrierService, on_delete=models.CASCADE, related_name="brackets")
    zone = models.CharField(max_length=32)
    above = models.DecimalField(max_digits=9, decimal_places=3)
    up_to = models.DecimalField(max_digits=9, decimal_places=3)
    price = models.DecimalField(max_digits=18, decimal_places=3)
    row = models.PositiveIntegerField()

    class Meta:
        ordering = ["service", "zone", "above"]

    def __str__(self) -> str:
        return f"{self.service} zone {self.zone}, above {self.above} up to {self.up_to}"


class ServiceSurcharge(models.Model):
    KINDS = [(k, k) for k in ("fuel", "residential", "oversize", "remote_area")]

    service = models.ForeignKey(CarrierService, on_delete=models.CASCADE, related_name="surcharges")
    kind = models.CharField(max_length=16, choices=KINDS)
    amount = models.DecimalField(max_digits=18, decimal_places=3, default=0)
    percent = models.DecimalField(max_digits=6, decimal_places=3, default=0)
    longest = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    length_plus_girth = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    prefixes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["service", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["service", "kind"], name="shipping_surcharge_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.kind.replace('_', ' ')} surcharge"


class Tracker(models.Model):
    """One parcel's tracking (docs/shipping.md, "Tracking"): made for each tracking number of a
    fulfillment shipment, its status folded from its events (`domain/tracking.py`) and only ever
    moved forward, under this row's lock."""

    carrier = models.CharField(max_length=32)  # domain/tracking.py: carrier_code
    tracking_number = models.CharField(max_length=64)
    # the subject it tracks: fulfillment's shipment, read through the key, never written
    shipment = models.ForeignKey(
        "fulfillment.Shipment", on_delete=models.CASCADE, related_name="trackers"
    )
    fulfillment_order = models.ForeignKey(
        "fulfillment.FulfillmentOrder", on_delete=models.CASCADE, related_name="trackers"
    )
    status = models.CharField(max_length=24, default="unknown")
    action_required = models.BooleanField(default=False)
    last_event_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)  # when we first saw it delivered
    exception_reported_at = models.DateTimeField(null=True, blank=True)  # the case's event, once
    polled_at = models.DateTimeField(null=True, blank=True)  # last asked by trackers_poll_due
    created_at = models.DateTimeField(default=utcnow, editable=False)
    updated_at = models.DateTimeField(default=utcnow)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "tracking_number"], name="shipping_tracker_unique"
            )
        ]
        indexes = [models.Index(fields=["tracking_number"], name="shipping_tracker_number_idx")]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"


class TrackingEvent(models.Model):
    """One carrier event of a tracker, once per identity (carrier id or fingerprint)."""

    tracker = models.ForeignKey(Tracker, on_delete=models.CASCADE, related_name="events")
    identity = models.CharField(max_length=104)
    carrier_event_id = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=24)  # ours, domain/tracking_maps.py
    carrier_status = models.CharField(max_length=64, blank=True)
    carrier_substatus = models.CharField(max_length=64, blank=True)
    occurred_at = models.DateTimeField()
    description = models.CharField(max_length=255, blank=True)
    location = models.CharField(max_length=128, blank=True)
    source = models.CharField(max_length=16)  # easypost, shippo, karrio, api
    received_at = models.DateTimeField(default=utcnow)

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tracker", "identity"], name="shipping_tracking_event_unique"
            )
        ]


class FulfillmentRating(models.Model):
    """A fulfillment order's rate shop as it was answered (docs/shipping.md, "Rating a
    fulfillment order"): the parcels and destination quoted, the policy's choice, its
    runners-up and the services left out, each with why. The latest one is the order page's."""

    fulfillment_order = models.ForeignKey(
        "fulfillment.FulfillmentOrder", on_delete=models.CASCADE, related_name="+"
    )
    policy = models.CharField(max_length=20)
    service = models.CharField(max_length=65, blank=True)  # carrier:code; blank: none carries
    service_name = models.CharField(max_length=100, blank=True)
    total = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    ship_day = models.DateField()
    delivery = models.DateField(null=True, blank=True)
    promised = models.DateField(null=True, blank=True)
    why = models.CharField(max_length=500)
    parcels = models.JSONField(default=list)  # [{"length_cm": "40", ...}]
    destination = models.JSONField(default=dict)
    answer = models.JSONField(default=dict)  # chosen, runners_up, left_out (choice_serialize)
    actor = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=utcnow)

    class Meta:
        indexes = [
            models.Index(fields=["fulfillment_order", "-created_at"], name="shipping_rating_fo_idx")
        ]

    def __str__(self) -> str:
        return f"{self.service or 'no service'} for FO {self.fulfillment_order_id}"

    @property
    def total_shown(self) -> Decimal | None:
        """The total in the currency's minor unit (the column keeps 3 decimals: 12.800)."""
        return None if self.total is None else self.total.quantize(quantum(self.currency))


class ShipmentCost(models.Model):
    """What a shipment costs and which service carries it, from the rating it shipped with
    (docs/shipping.md, "Shipping the choice"): the figure shipping cost reports add up."""

    shipment = models.OneToOneField(
        "fulfillment.Shipment", on_delete=models.CASCADE, related_name="cost"
    )
    rating = models.ForeignKey(
        FulfillmentRating, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    service = models.CharField(max_length=65)  # carrier:code
    service_name = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=18, decimal_places=3)
    currency = models.CharField(max_length=3)
    parcels = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=utcnow)

    def __str__(self) -> str:
        return f"{self.service} {self.amount} {self.currency}"


class BoxType(models.Model):
    """A box a location packs parcels in (docs/shipping.md, "Parcels and packing"): inner sides
    for what fits, outer sides for what is rated, tare and maximum gross weight. No location:
    every location has it; a location's own box of the same code stands beside it."""

    location = models.ForeignKey(
        "locations.Location", on_delete=models.PROTECT, null=True, blank=True
    )
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=100)
    inner_length_mm = models.PositiveIntegerField()
    inner_width_mm = models.PositiveIntegerField()
    inner_height_mm = models.PositiveIntegerField()
    outer_length_mm = models.PositiveIntegerField()
    outer_width_mm = models.PositiveIntegerField()
    outer_height_mm = models.PositiveIntegerField()
    tare_g = models.PositiveIntegerField()
    max_weight_g = models.PositiveIntegerField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=utcnow, editable=False)
    updated_at = models.DateTimeField(default=utcnow)

    class Meta:
        ordering = ["code", "location_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "code"],
                condition=models.Q(location__isnull=False),
                name="shipping_box_unique_at_location",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(location__isnull=True),
                name="shipping_box_unique_everywhere",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class CarrierAccount(models.Model):
    """How Ordino reaches a carrier or an aggregator (docs/shipping.md, "Carrier adapters"):
    which adapter (offline, easypost, shippo) and its API key, encrypted at rest
    (core/encryption.py) and never shown. Changed through `carrier_account_save`, audited."""

    ADAPTERS = [("offline", "Offline rate sheets"), ("easypost", "EasyPost"), ("shippo", "Shippo")]

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    adapter = models.CharField(max_length=16, choices=ADAPTERS, default="offline")
    api_key_encrypted = models.TextField(blank=True, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=utcnow, editable=False)
    updated_at = models.DateTimeField(default=utcnow)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.adapter})"


class LabelPurchase(models.Model):
    """One parcel's label bought from a carrier account, written (pending) before the call and
    settled after it: bought, failed (the provider said no: retry buys), unknown (no answer:
    a retry looks it up first), voided (refunded). One live purchase per parcel of a
    fulfillment order: a retry never buys a second label (docs/shipping.md, "Label purchase")."""

    PENDING, BOUGHT, FAILED, UNKNOWN, VOIDED = "pending", "bought", "failed", "unknown", "voided"
    STATUSES = [(s, s) for s in (PENDING, BOUGHT, FAILED, UNKNOWN, VOIDED)]

    fulfillment_order = models.ForeignKey(
        "fulfillment.FulfillmentOrder", on_delete=models.CASCADE, related_name="+"
    )
    parcel = models.PositiveSmallIntegerField()  # 1, 2, ... of the fulfillment order's parcels
    account = models.ForeignKey(CarrierAccount, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=64, unique=True)  # ours, sent as reference/metadata
    status = models.CharField(max_length=8, choices=STATUSES, default=PENDING)
    measures = models.JSONField(default=dict)  # {"length_cm": "30", ..., "weight_kg": "1.2"}
    service = models.CharField(max_length=100, blank=True)  # asked for; blank: the cheapest
    rate = models.JSONField(default=dict, blank=True)  # the provider's rate being bought
    tracking_number = models.CharField(max_length=64, blank=True)
    label_url = models.CharField(max_length=1000, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    amount = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    refund_status = models.CharField(max_length=32, blank=True)
    actor = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=utcnow, editable=False)
    updated_at = models.DateTimeField(default=utcnow)

    class Meta:
        ordering = ["fulfillment_order_id", "parcel", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fulfillment_order", "parcel"],
                condition=~models.Q(status="voided"),
                name="shipping_label_one_live_per_parcel",
            )
        ]

    def __str__(self) -> str:
        return f"FO {self.fulfillment_order_id} parcel {self.parcel}: {self.status}"


class ShippingNoticeTemplate(models.Model):
    """The merchant's e-mail for one kind of shipping news (docs/shipping.md, "Customer
    e-mails"): Django template language over a fixed context, checked when saved; a plain-text
    body and an optional HTML one (sent as multipart/alternative). One per kind and channel, a
    blank channel serving every channel without its own. No row: the built-in template
    (domain/notices.py: DEFAULTS)."""

    kind = models.CharField(max_length=24)  # domain/notices.py: KINDS
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    html = models.TextField(blank=True)  # blank: the e-mail is plain text only
    from_email = models.CharField(max_length=254, blank=True)  # blank: DEFAULT_FROM_EMAIL
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=utcnow, editable=False)
    updated_at = models.DateTimeField(default=utcnow)

    class Meta:
        ordering = ["kind", "channel_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "channel"],
                condition=models.Q(channel__isnull=False),
                name="shipping_notice_template_channel",
                violation_error_message="This channel has a template of this kind: change it.",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(channel__isnull=True),
                name="shipping_notice_template_every_channel",
                violation_error_message="A template of this kind for every channel exists: "
                "change it.",
            ),
        ]

    def __str__(self) -> str:
        kind = self.kind.replace("_", " ")
        return f"{kind} ({self.channel.code})" if self.channel_id else kind


class ShippingNotice(models.Model):
    """One customer e-mail of a shipment, written before it is sent so it is sent at most once:
    a shipment's `shipped` and `delivered` (tracking number blank), a parcel's
    `out_for_delivery` and `exception`. Skipped ones say why (domain/notices.py)."""

    shipment = models.ForeignKey(
        "fulfillment.Shipment", on_delete=models.CASCADE, related_name="notices"
    )
    fulfillment_order = models.ForeignKey(
        "fulfillment.FulfillmentOrder", on_delete=models.CASCADE, related_name="+"
    )
    order_id = models.PositiveBigIntegerField()  # orders sit above shipping: its id, no key
    kind = models.CharField(max_length=24)
    tracking_number = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16)  # sending, sent, skipped, failed
    reason = models.CharField(max_length=32, blank=True)  # why skipped or failed
    email = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=utcnow)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "kind", "tracking_number"], name="shipping_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind.replace('_', ' ')} e-mail of shipment {self.shipment_id}"


class ChannelShippingPolicy(models.Model):
    """The policy a channel's rate shops choose by when the person rating names none
    (docs/shipping.md, "Policies per channel"). No row: cheapest. Changed through
    `channel_policy_set`, audited."""

    channel = models.OneToOneField(
        "channels.Channel", on_delete=models.CASCADE, related_name="shipping_policy"
    )
    policy = models.CharField(max_length=20)  # domain/policy.py: POLICIES
    # carrier:code whose transit Ordino promises the channel's orders by when the channel
    # promised nothing (docs/shipping.md, "Policies per channel"); blank: no promise
    promise_service = models.CharField(max_length=65, blank=True, default="")
    created_at = models.DateTimeField(default=utcnow, editable=False)
    updated_at = models.DateTimeField(default=utcnow)

    class Meta:
        ordering = ["channel__code"]
        verbose_name_plural = "channel shipping policies"

    def __str__(self) -> str:
        return f"{self.channel.code}: {self.policy}"

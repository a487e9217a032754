"""Label purchase with a retryable state (docs/shipping.md, "Label purchase"): a parcel's
`LabelPurchase` is written (pending) and committed BEFORE any call, then settled: bought,
failed (the provider said no: a retry asks again) or unknown (no answer: a retry looks the
label up and buys only if the provider has none). One live purchase per parcel, so a retry,
a twin request or a second click never buys a second label. Called outside any transaction
(the API's path keeps its own transactions, accounts/idempotency.py: OWN_TRANSACTIONS)."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError
from django.db.models import Q

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import UNRESTRICTED, WORK, Scope
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.fulfillment.selectors import fulfillment_get
from ordino.shipping import ports
from ordino.shipping.addresses import recipient_of, sender_of
from ordino.shipping.carrier_accounts import carrier_adapter
from ordino.shipping.carriers.base import (
    CarrierAdapter,
    CarrierRefused,
    CarrierUnanswered,
    LiveRate,
    ParcelSpec,
    ShipmentSpec,
)
from ordino.shipping.carriers.offline import unsupported
from ordino.shipping.customs import customs_of_parcel
from ordino.shipping.domain.weights import contents_check
from ordino.shipping.models import CarrierAccount, LabelPurchase
from ordino.shipping.rating import RATEABLE

P = LabelPurchase
# a pending claim untouched this long died with its process (a purchase makes at most three
# calls of TIMEOUT_SECONDS each, with the libraries' retries of refused connections)
STALE = timedelta(minutes=10)


@dataclass(frozen=True)
class PurchaseRequest:
    fo_id: int
    account: str
    parcel: int  # 1, 2, ...: which parcel of the fulfillment order
    measures: ParcelSpec
    service: str = ""  # "USPS:Priority" or "Priority"; blank: the cheapest rate
    contents: tuple[tuple[str, int], ...] = ()  # (SKU, units) in the parcel; (): every open unit


def label_purchase(
    *, command: PurchaseRequest, actor: str, scope: Scope = UNRESTRICTED
) -> tuple[LabelPurchase, bool]:
    """The parcel's label: (purchase, True) when bought by this call, (purchase, False) when it
    was bought before (nothing called). A refusal leaves the purchase `failed` (409
    `carrier_refused`), no answer leaves it `unknown` (409 `carrier_unanswered`): both retryable
    with the same request. A parcel crossing a customs border carries its declaration
    (docs/shipping.md, "Customs"); a SKU without customs data is 422 `customs_data_missing`."""
    fo = fulfillment_get(fo_id=command.fo_id, scope=scope, reach=WORK)  # 404 outside
    contents_check(command.contents)
    account = CarrierAccount.objects.filter(code=command.account).first()
    if account is None:
        raise DomainError(
            "unknown_account", f"No carrier account {command.account!r}.", field="account"
        )
    live = _live(fo.pk, command.parcel)
    if live is not None and live.status == P.BOUGHT:
        return live, False  # bought before: nothing is called
    adapter = carrier_adapter(account)
    if not adapter.buys_labels:
        raise unsupported("buy a label")
    if fo.status not in RATEABLE:
        raise DomainError(
            "not_purchasable",
            f"A fulfillment order that is {fo.status} gets no new label.",
            status=409,
        )
    if live is not None and live.account_id != account.pk:
        raise DomainError(
            "purchase_other_account",
            f"Parcel {command.parcel}'s label is being bought from "
            f"account {live.account.code}: retry with it, or void it first.",
            status=409,
            field="account",
        )
    sender, recipient = sender_of(fo.location), recipient_of(fo.order.shipping_address)
    # refused (422) before anything is written or called; a label that may exist is looked up
    # whatever the catalog says now (its declaration went with the rate asked before)
    customs = None if _may_exist(live) else customs_of_parcel(fo, command.contents, command.parcel)
    purchase, look_up_first = _claim(live, fo, account, command, actor)
    spec = ShipmentSpec(sender, recipient, command.measures, purchase.key, customs)
    _settle(purchase, adapter, spec, look_up_first)
    return purchase, True


def _live(fo_id: int, parcel: int) -> LabelPurchase | None:
    rows = P.objects.filter(fulfillment_order_id=fo_id, parcel=parcel).exclude(status=P.VOIDED)
    return rows.select_related("account").first()


def _may_exist(live: LabelPurchase | None) -> bool:
    """A purchase left unknown (or pending) with a rate chosen: retried, it is looked up first
    and, if none is found, the same rate is bought — no new rates are asked (`_claim`)."""
    return live is not None and live.status in (P.UNKNOWN, P.PENDING) and bool(live.rate)


def _in_progress(parcel: int) -> DomainError:
    return DomainError(
        "purchase_in_progress",
        f"Parcel {parcel}'s label is being bought now: retry in a minute.",
        status=409,
    )


def _claim(live, fo, account, command, actor) -> tuple[LabelPurchase, bool]:
    """The purchase this call may settle, and whether a label may already exist (look it up
    before buying). A twin's running claim is 409 `purchase_in_progress`."""
    measures = {k: str(v) for k, v in asdict(command.measures).items()}
    if live is None:
        try:
            with savepoint():  # a twin's insert fails here alone, whatever holds a transaction
                return P.objects.create(
                    fulfillment_order=fo,
                    parcel=command.parcel,
                    account=account,
                    key=f"ordino-{uuid.uuid4().hex}",
                    measures=measures,
                    service=command.service,
                    actor=actor,
                    attempts=0,
                ), False
        except IntegrityError:  # a twin inserted it first
            raise _in_progress(command.parcel) from None
    now = utcnow()
    claimable = Q(status__in=(P.FAILED, P.UNKNOWN)) | Q(
        status=P.PENDING, updated_at__lt=now - STALE
    )
    look_up_first = _may_exist(live)
    fields = {"status": P.PENDING, "updated_at": now, "error": ""}
    if not look_up_first:  # refused before: ask for rates again, for this parcel as it is now
        fields.update(rate={}, measures=measures, service=command.service)
    with use_case_atomic():
        claimed = P.objects.filter(claimable, pk=live.pk, status=live.status).update(**fields)
    if not claimed:
        raise _in_progress(command.parcel)
    live.refresh_from_db()
    return live, look_up_first


def _settle(
    purchase: LabelPurchase, adapter: CarrierAdapter, spec: ShipmentSpec, look_up_first: bool
) -> None:
    if look_up_first:
        rate = LiveRate(**{**purchase.rate, "amount": Decimal(purchase.rate["amount"])})
        try:
            found = adapter.lookup(rate, reference=purchase.key)
        except (CarrierUnanswered, CarrierRefused) as exc:
            _end(purchase, P.UNKNOWN, f"Looking the label up: {exc}")
            raise _unanswered(purchase) from None
        if found is not None:
            return _bought(purchase, found)
    else:
        try:
            rate = _choose(adapter.rates(spec), purchase.service)
        except CarrierUnanswered as exc:  # a rate request buys nothing: ask again next time
            _end(purchase, P.FAILED, f"No rates: {exc}")
            raise _unanswered(purchase) from None
        except CarrierRefused as exc:
            _end(purchase, P.FAILED, exc.message)
            raise _refused(purchase, exc) from None
        purchase.rate = {**asdict(rate), "amount": str(rate.amount)}
    purchase.attempts += 1
    with use_case_atomic():  # the rate being bought is kept before the call
        purchase.save(update_fields=["rate", "attempts"])
    try:
        label = adapter.buy(rate, reference=purchase.key)
    except CarrierUnanswered as exc:
        _end(purchase, P.UNKNOWN, f"No answer: {exc}")
        raise _unanswered(purchase) from None
    except CarrierRefused as exc:
        if look_up_first:  # a rate that may have been bought: refused, it is read once more
            try:
                found = adapter.lookup(rate, reference=purchase.key)
            except (CarrierUnanswered, CarrierRefused):
                _end(purchase, P.UNKNOWN, f"Refused, then not found: {exc}")
                raise _unanswered(purchase) from None
            if found is not None:
                return _bought(purchase, found)
        _end(purchase, P.FAILED, exc.message)
        raise _refused(purchase, exc) from None
    _bought(purchase, label)


def _choose(rates: list[LiveRate], service: str) -> LiveRate:
    wanted = [r for r in rates if not service or service in (r.key, r.service)]
    if not wanted:
        offered = ", ".join(sorted({r.key for r in rates})) or "none"
        raise CarrierRefused(
            f"No rate for {service or 'this parcel'} (offered: {offered}).", code="no_rate"
        )
    return min(wanted, key=lambda r: (r.amount, r.key))


def _end(purchase: LabelPurchase, status: str, error: str) -> None:
    purchase.status, purchase.error, purchase.updated_at = status, error[:500], utcnow()
    with use_case_atomic():
        purchase.save(update_fields=["status", "error", "updated_at"])


def _bought(purchase: LabelPurchase, label) -> None:
    purchase.status, purchase.error, purchase.updated_at = P.BOUGHT, "", utcnow()
    purchase.tracking_number, purchase.label_url = (
        label.tracking_number[:64],
        label.label_url[:1000],
    )
    purchase.provider_id, purchase.amount, purchase.currency = (
        label.provider_id[:100],
        label.amount,
        label.currency[:3],
    )
    fo = purchase.fulfillment_order
    with use_case_atomic():
        purchase.save()
        ports.order_timeline_add(
            order_id=fo.order_id,
            kind="label_bought",
            message=f"Label bought for parcel {purchase.parcel} ({label.carrier} "
            f"{label.service}): {label.amount} {label.currency}, tracking {label.tracking_number}.",
            actor=purchase.actor,
            now=purchase.updated_at,
            data={
                "fulfillment_order_id": fo.pk,
                "purchase_id": purchase.pk,
                "tracking_number": label.tracking_number,
            },
        )


def _refused(purchase: LabelPurchase, exc: CarrierRefused) -> DomainError:
    return DomainError(
        "carrier_refused",
        f"Purchase {purchase.pk}: {exc.message} Nothing was bought; the same request asks again.",
        status=409,
    )


def _unanswered(purchase: LabelPurchase) -> DomainError:
    return DomainError(
        "carrier_unanswered",
        f"Purchase {purchase.pk}: the carrier did not "
        "answer. Retry the same request: it looks the label up before buying.",
        status=409,
    )


def label_void(
    *, purchase_id: int, fo_id: int, actor: str, scope: Scope = UNRESTRICTED
) -> LabelPurchase:
    """Refund a bought label at the provider; the purchase is voided and its parcel free for a
    new label. Anything but a bought label is 409 `not_voidable`."""
    purchase = purchase_get(purchase_id=purchase_id, fo_id=fo_id, scope=scope, reach=WORK)
    if purchase.status != P.BOUGHT:
        raise DomainError(
            "not_voidable",
            f"Purchase {purchase.pk} is {purchase.status}: only a bought label is voided.",
            status=409,
        )
    adapter = carrier_adapter(purchase.account)
    try:
        refund = adapter.void(purchase.provider_id)
    except CarrierUnanswered:
        raise DomainError(
            "carrier_unanswered",
            "The carrier did not answer: the label stands; void it again.",
            status=409,
        ) from None
    except CarrierRefused as exc:
        raise DomainError(exc.code, f"{exc.message} The label stands.", status=409) from None
    purchase.status, purchase.refund_status, purchase.updated_at = P.VOIDED, refund[:32], utcnow()
    with use_case_atomic():
        purchase.save(update_fields=["status", "refund_status", "updated_at"])
        ports.order_timeline_add(
            order_id=purchase.fulfillment_order.order_id,
            kind="label_voided",
            message=f"Label {purchase.tracking_number} of parcel {purchase.parcel} voided "
            f"(refund {refund or 'asked'}).",
            actor=actor,
            now=purchase.updated_at,
            data={"fulfillment_order_id": fo_id, "purchase_id": purchase.pk},
        )
    return purchase


def purchase_get(
    *, purchase_id: int, fo_id: int, scope: Scope = UNRESTRICTED, reach: str = WORK
) -> LabelPurchase:
    fulfillment_get(fo_id=fo_id, scope=scope, reach=reach)  # 404 outside the caller's reach
    found = (
        P.objects.filter(pk=purchase_id, fulfillment_order_id=fo_id)
        .select_related("account", "fulfillment_order")
        .first()
    )
    if found is None:
        raise NotFound("label_purchase", purchase_id)
    return found


def purchases_of(*, fo_id: int, scope: Scope = UNRESTRICTED) -> list[LabelPurchase]:
    fulfillment_get(fo_id=fo_id, scope=scope)
    return list(P.objects.filter(fulfillment_order_id=fo_id).select_related("account"))

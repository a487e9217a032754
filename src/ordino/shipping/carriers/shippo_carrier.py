"""Shippo through its official library (`shippo`, docs/shipping.md, "Carrier adapters").

A shipment is created for the parcel (synchronously: its rates come back with it); a
transaction buys one rate's label, with our purchase's key as its `metadata`. Shippo takes no
idempotency key: after an answer that never came, the transactions of that rate are listed
(`lookup`) and a successful one is the label — the rate is never bought a second time."""

from __future__ import annotations

import json

import requests
import shippo
from shippo.models import components, errors, operations
from shippo.utils import utils as shippo_utils

from ordino.shipping.carriers.base import (
    Address,
    BoughtLabel,
    CarrierRefused,
    CarrierUnanswered,
    LiveRate,
    ShipmentSpec,
)
from ordino.shipping.carriers.calls import TimeoutSession, amount, guarded, logged
from ordino.shipping.domain.customs import CustomsDeclaration, eel_pfc
from ordino.shipping.domain.tracking_payloads import TrackingUpdate, shippo_parse

SYSTEM = "shippo"
API = "https://api.goshippo.com"
UNANSWERED = (requests.Timeout, requests.ConnectionError)
PENDING = {"QUEUED", "WAITING"}


def _refused(exc: Exception) -> Exception:
    if isinstance(exc, errors.SDKError):
        if exc.status_code >= 500:
            return CarrierUnanswered(str(exc))
        return CarrierRefused(
            f"Shippo: {_detail(exc.body)}", code="shippo_refused", status=exc.status_code
        )
    return CarrierRefused(f"Shippo: {exc}", code="shippo_error")


def _detail(body: str) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return body[:200]
    return (data.get("detail") if isinstance(data, dict) else None) or body[:200]


def _value(v: object) -> str:
    return str(getattr(v, "value", v) or "")


def _address(a: Address) -> components.AddressCreateRequest:
    return components.AddressCreateRequest(
        country=a.country,
        name=a.name,
        company=a.company or None,
        street1=a.street1,
        street2=a.street2 or None,
        city=a.city,
        state=a.region or None,
        zip=a.postal_code,
        phone=a.phone or None,
        email=a.email or None,
    )


EEL_PFC = {
    "NOEEI 30.37(a)": components.CustomsDeclarationEelPfcEnum.NOEEI_30_37_A,
    "NOEEI 30.36": components.CustomsDeclarationEelPfcEnum.NOEEI_30_36,
}


def customs_declaration(d: CustomsDeclaration) -> components.CustomsDeclarationCreateRequest:
    """The declaration as Shippo's: each item's net weight in grams and value for all its
    units, exact decimal strings, in the order's currency."""
    return components.CustomsDeclarationCreateRequest(
        certify=True,
        certify_signer=d.signer,
        contents_type=components.CustomsDeclarationContentsTypeEnum(d.contents_type.upper()),
        non_delivery_option=components.CustomsDeclarationNonDeliveryOptionEnum(
            d.non_delivery.upper()
        ),
        eel_pfc=EEL_PFC.get(eel_pfc(d)),
        items=[
            components.CustomsItemCreateRequest(
                description=i.description,
                mass_unit=components.WeightUnitEnum.G,
                net_weight=str(i.net_weight_grams),
                origin_country=i.origin_country,
                quantity=i.quantity,
                value_amount=str(i.value),
                value_currency=d.currency,
                tariff_number=i.hs_code,
                sku_code=i.sku,
            )
            for i in d.items
        ],
    )


def rate_of(r) -> LiveRate:
    level = r.servicelevel
    return LiveRate(
        carrier=str(r.provider or ""),
        service=str(level.token or level.name or ""),
        amount=amount(r.amount),
        currency=str(r.currency or ""),
        shipment_id=str(r.shipment or ""),
        rate_id=str(r.object_id or ""),
        days=r.estimated_days,
    )


def label_of(t, rate: LiveRate) -> BoughtLabel:
    core = t.rate if not isinstance(t.rate, str | None) else None
    return BoughtLabel(
        tracking_number=str(t.tracking_number or ""),
        label_url=str(t.label_url or ""),
        amount=amount(core.amount) if core else rate.amount,
        currency=str(core.currency) if core else rate.currency,
        carrier=str(core.provider) if core else rate.carrier,
        service=str(getattr(core, "servicelevel_token", "") or rate.service)
        if core
        else rate.service,
        provider_id=str(t.object_id or ""),
    )


def _messages(t) -> str:
    texts = [m.text for m in (t.messages or []) if getattr(m, "text", None)]
    return "; ".join(texts)[:300] or "the label was not created"


class ShippoCarrier:
    name = SYSTEM
    buys_labels = True

    def __init__(self, api_key: str) -> None:
        self.client = shippo.Shippo(api_key_header=api_key, client=TimeoutSession())

    def _run(self, operation, method, path, run, *, reference="", body=None, object_type=""):
        with logged(
            SYSTEM, operation, method, f"{API}{path}", reference=reference, request_body=body
        ) as call:
            result = guarded(call, run, _refused, UNANSWERED)
            call.object_type = object_type
            call.object_id = str(getattr(result, "object_id", "") or "")
            return result

    def rates(self, shipment: ShipmentSpec) -> list[LiveRate]:
        p = shipment.parcel
        request = components.ShipmentCreateRequest(
            address_from=_address(shipment.sender),
            address_to=_address(shipment.recipient),
            parcels=[
                components.ParcelCreateRequest(
                    mass_unit=components.WeightUnitEnum.KG,
                    weight=str(p.weight_kg),
                    distance_unit=components.DistanceUnitEnum.CM,
                    height=str(p.height_cm),
                    length=str(p.length_cm),
                    width=str(p.width_cm),
                )
            ],
            metadata=shipment.reference or None,
            customs_declaration=customs_declaration(shipment.customs) if shipment.customs else None,
            async_=False,
        )
        body = json.loads(shippo_utils.marshal_json(request, components.ShipmentCreateRequest))
        created = self._run(
            "shipments.create",
            "POST",
            "/shipments",
            lambda: self.client.shipments.create(request),
            reference=shipment.reference,
            body=body,
            object_type="shipment",
        )
        return [rate_of(r) for r in created.rates or []]

    def buy(self, rate: LiveRate, *, reference: str) -> BoughtLabel:
        request = components.TransactionCreateRequest(
            rate=rate.rate_id,
            async_=False,
            metadata=reference,
            label_file_type=components.LabelFileTypeEnum.PDF_4X6,
        )
        t = self._run(
            "transactions.create",
            "POST",
            "/transactions",
            lambda: self.client.transactions.create(request),
            reference=reference,
            body={"rate": rate.rate_id, "async": False, "metadata": reference},
            object_type="transaction",
        )
        status = _value(t.status)
        if status == "SUCCESS":
            return label_of(t, rate)
        if status in PENDING:
            raise CarrierUnanswered(f"Shippo's transaction {t.object_id} is {status}.")
        raise CarrierRefused(f"Shippo: {_messages(t)}", code="shippo_label_failed")

    def lookup(self, rate: LiveRate, *, reference: str) -> BoughtLabel | None:
        page = self._run(
            "transactions.list",
            "GET",
            f"/transactions?rate={rate.rate_id}",
            lambda: self.client.transactions.list(
                operations.ListTransactionsRequest(rate=rate.rate_id)
            ),
            reference=reference,
            object_type="transaction",
        )
        for t in page.results or []:
            if _value(t.status) == "SUCCESS":
                return label_of(t, rate)
            if _value(t.status) in PENDING:
                raise CarrierUnanswered(f"Shippo's transaction {t.object_id} is pending.")
        return None

    def void(self, provider_id: str) -> str:
        refund = self._run(
            "refunds.create",
            "POST",
            "/refunds",
            lambda: self.client.refunds.create(transaction=provider_id, async_=False),
            body={"transaction": provider_id, "async": False},
            object_type="refund",
        )
        status = _value(refund.status)
        if status == "ERROR":
            raise CarrierRefused("Shippo refused the refund.", code="void_rejected")
        return status.lower()

    def track(self, carrier: str, tracking_number: str) -> TrackingUpdate:
        track = self._run(
            "tracks.get",
            "GET",
            f"/tracks/{carrier}/{tracking_number}",
            lambda: self.client.tracking_status.get(tracking_number, carrier),
            object_type="track",
        )
        data = json.loads(shippo_utils.marshal_json(track, components.Track))
        return shippo_parse({"event": "track_poll", "data": data})

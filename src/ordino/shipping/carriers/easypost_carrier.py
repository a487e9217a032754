"""EasyPost through its official library (`easypost`, docs/shipping.md, "Carrier adapters").

A shipment is created for the parcel (its rates come with it, `reference` is our purchase's
key); a label is bought for one of its rates. EasyPost sends no idempotency key, but a shipment
holds one label: after an answer that never came, the shipment is read back (`lookup`) and its
postage label, if any, is the label — the rate is never bought a second time."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import easypost
from easypost import errors as ep_errors

from ordino.shipping.carriers.base import (
    TIMEOUT_SECONDS,
    Address,
    BoughtLabel,
    CarrierRefused,
    CarrierUnanswered,
    LiveRate,
    ShipmentSpec,
)
from ordino.shipping.carriers.calls import amount, guarded, logged
from ordino.shipping.domain.customs import CustomsDeclaration, eel_pfc
from ordino.shipping.domain.tracking_payloads import TrackingUpdate, easypost_parse

SYSTEM = "easypost"
API = "https://api.easypost.com/v2"
IN_PER_CM = Decimal("0.3937007874")
OZ_PER_KG = Decimal("35.27396195")
# no answer to trust: EasyPost's own timeout and gateway errors, a broken connection, a 5xx
UNANSWERED = (
    ep_errors.TimeoutError,
    ep_errors.GatewayTimeoutError,
    ep_errors.HttpError,
    ep_errors.InternalServerError,
    ep_errors.ServiceUnavailableError,
)


def _refused(exc: Exception) -> Exception:
    if isinstance(exc, ep_errors.ApiError):
        status = exc.http_status
        if status is not None and status >= 500:
            return CarrierUnanswered(str(exc))
        code = f"easypost_{(exc.code or 'error').lower().replace('.', '_')}"[:64]
        return CarrierRefused(f"EasyPost: {exc.message}", code=code, status=status)
    return CarrierRefused(f"EasyPost: {exc}", code="easypost_error")


def _address(a: Address) -> dict:
    return {
        "name": a.name,
        "company": a.company,
        "street1": a.street1,
        "street2": a.street2,
        "city": a.city,
        "state": a.region,
        "zip": a.postal_code,
        "country": a.country,
        "phone": a.phone,
        "email": a.email,
    }


def _tenth(value: Decimal) -> float:
    """A parcel's inches or ounces as EasyPost's JSON numbers take them: measures, not money,
    rounded to one decimal first (never 0) so the float carries exactly what was decided."""
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) or Decimal("0.1"))


def customs_info(d: CustomsDeclaration) -> dict:
    """The declaration as EasyPost's CustomsInfo: each item's value for all its units as an
    exact decimal string in the order's currency, its weight in ounces for all its units."""
    info = {
        "contents_type": d.contents_type,
        "customs_certify": True,
        "customs_signer": d.signer,
        "non_delivery_option": d.non_delivery,
        "restriction_type": "none",
        "customs_items": [
            {
                "description": i.description,
                "quantity": i.quantity,
                "value": str(i.value),
                "currency": d.currency,
                "weight": _tenth(Decimal(i.net_weight_grams) / 1000 * OZ_PER_KG),
                "hs_tariff_number": i.hs_code,
                "origin_country": i.origin_country,
                "code": i.sku,
            }
            for i in d.items
        ],
    }
    if eel_pfc(d):
        info["eel_pfc"] = eel_pfc(d)
    return info


def rate_of(r: dict) -> LiveRate:
    return LiveRate(
        carrier=str(r.get("carrier") or ""),
        service=str(r.get("service") or ""),
        amount=amount(r.get("rate")),
        currency=str(r.get("currency") or ""),
        shipment_id=str(r.get("shipment_id") or ""),
        rate_id=str(r.get("id") or ""),
        days=r.get("delivery_days") if isinstance(r.get("delivery_days"), int) else None,
    )


def label_of(shipment: dict) -> BoughtLabel | None:
    """The shipment's label, if it has one (bought now or before)."""
    postage = shipment.get("postage_label") or {}
    if not postage or not shipment.get("tracking_code"):
        return None
    chosen = rate_of(shipment.get("selected_rate") or {})
    return BoughtLabel(
        tracking_number=str(shipment["tracking_code"]),
        label_url=str(postage.get("label_pdf_url") or postage.get("label_url") or ""),
        amount=chosen.amount,
        currency=chosen.currency,
        carrier=chosen.carrier,
        service=chosen.service,
        provider_id=str(shipment.get("id") or ""),
    )


class EasyPostCarrier:
    name = SYSTEM
    buys_labels = True

    def __init__(self, api_key: str) -> None:
        self.client = easypost.EasyPostClient(api_key, timeout=TIMEOUT_SECONDS)

    def _run(self, operation, method, path, run, *, reference="", body=None):
        with logged(
            SYSTEM, operation, method, f"{API}{path}", reference=reference, request_body=body
        ) as call:
            result = guarded(call, lambda: run().to_dict(), _refused, UNANSWERED)
            call.object_type, call.object_id = "shipment", str(result.get("id") or "")
            return result

    def rates(self, shipment: ShipmentSpec) -> list[LiveRate]:
        p = shipment.parcel
        body = {
            "from_address": _address(shipment.sender),
            "to_address": _address(shipment.recipient),
            "parcel": {
                "length": _tenth(p.length_cm * IN_PER_CM),
                "width": _tenth(p.width_cm * IN_PER_CM),
                "height": _tenth(p.height_cm * IN_PER_CM),
                "weight": _tenth(p.weight_kg * OZ_PER_KG),
            },
            "reference": shipment.reference,
        }
        if shipment.customs is not None:
            body["customs_info"] = customs_info(shipment.customs)
        created = self._run(
            "shipments.create",
            "POST",
            "/shipments",
            lambda: self.client.shipment.create(**body),
            reference=shipment.reference,
            body={"shipment": body},
        )
        return [rate_of(r) for r in created.get("rates") or []]

    def buy(self, rate: LiveRate, *, reference: str) -> BoughtLabel:
        bought = self._run(
            "shipments.buy",
            "POST",
            f"/shipments/{rate.shipment_id}/buy",
            lambda: self.client.shipment.buy(rate.shipment_id, rate={"id": rate.rate_id}),
            reference=reference,
            body={"rate": {"id": rate.rate_id}},
        )
        label = label_of(bought)
        if label is None:
            raise CarrierRefused("EasyPost bought no label.", code="easypost_no_label")
        return label

    def lookup(self, rate: LiveRate, *, reference: str) -> BoughtLabel | None:
        found = self._run(
            "shipments.retrieve",
            "GET",
            f"/shipments/{rate.shipment_id}",
            lambda: self.client.shipment.retrieve(rate.shipment_id),
            reference=reference,
        )
        return label_of(found)

    def void(self, provider_id: str) -> str:
        refunded = self._run(
            "shipments.refund",
            "POST",
            f"/shipments/{provider_id}/refund",
            lambda: self.client.shipment.refund(provider_id),
        )
        status = str(refunded.get("refund_status") or "")
        if status == "rejected":
            raise CarrierRefused("EasyPost rejected the refund.", code="void_rejected")
        return status

    def track(self, carrier: str, tracking_number: str) -> TrackingUpdate:
        tracker = self._run(
            "trackers.create",
            "POST",
            "/trackers",
            lambda: self.client.tracker.create(tracking_code=tracking_number, carrier=carrier),
            body={"tracker": {"tracking_code": tracking_number, "carrier": carrier}},
        )
        return easypost_parse({"result": tracker, "description": "tracker.poll"})

"""Use cases of sales channels."""

from __future__ import annotations

from django.db import IntegrityError

from ordino.audit.services import audit_record, snapshot
from ordino.channels.models import Channel
from ordino.core.domain.codes import code_check, name_check
from ordino.core.domain.errors import Conflict, DomainError
from ordino.core.domain.money import currency_check
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.locations.models import Location

UNSET: object = object()
KINDS = tuple(dict(Channel.KINDS))


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise DomainError(
            "invalid_kind", f"kind must be one of {', '.join(KINDS)}, not {kind!r}.", field="kind"
        )
    return kind


def _currency(currency: str) -> str:
    value = (currency or "").strip().upper()
    try:
        return currency_check(value)
    except DomainError as exc:
        raise DomainError(exc.code, exc.message, field="currency") from None


def _buffer(value: int) -> int:
    if value is None or value < 0:
        raise DomainError("invalid_number", "stock_buffer must be 0 or more.", field="stock_buffer")
    return value


def _locations_by_code(codes: list[str]) -> list[Location]:
    found = {loc.code: loc for loc in Location.objects.filter(code__in=codes)}
    missing = [c for c in dict.fromkeys(codes) if c not in found]
    if missing:
        raise DomainError(
            "location_not_found",
            f"Unknown location(s): {', '.join(missing)}.",
            field="excluded_locations",
        )
    return list(found.values())


def channel_create(
    *,
    code: str,
    name: str,
    kind: str,
    currency: str,
    stock_buffer: int = 0,
    excluded_location_codes: list[str] | None = None,
    prices_include_tax: bool = False,
    is_active: bool = True,
) -> Channel:
    code = code_check(code)
    channel = Channel(
        code=code,
        name=name_check(name),
        kind=_kind(kind),
        currency=_currency(currency),
        stock_buffer=_buffer(stock_buffer),
        prices_include_tax=bool(prices_include_tax),
        is_active=is_active,
    )
    excluded = _locations_by_code(excluded_location_codes) if excluded_location_codes else []
    try:
        with savepoint():  # a taken code: IntegrityError, answered 409; the transaction goes on
            channel.save()
            if excluded:
                channel.excluded_locations.set(excluded)
    except IntegrityError:
        if Channel.objects.filter(code=code).exists():
            raise Conflict(
                "channel_exists", f"A channel with code {code!r} exists.", field="code"
            ) from None
        raise
    audit_record(
        object_type="channel",
        object_id=channel.code,
        label=channel.name,
        action="created",
        after=snapshot(channel),
    )
    return channel


def channel_update(
    *,
    channel: Channel,
    name: str | object = UNSET,
    kind: str | object = UNSET,
    currency: str | object = UNSET,
    stock_buffer: int | object = UNSET,
    excluded_location_codes: list[str] | object = UNSET,
    prices_include_tax: bool | object = UNSET,
    is_active: bool | object = UNSET,
) -> Channel:
    """Change a channel. `excluded_location_codes` replaces the whole exclusion list."""
    before = snapshot(channel)
    changed: list[str] = []
    if name is not UNSET:
        channel.name = name_check(name)  # type: ignore[arg-type]
        changed.append("name")
    if kind is not UNSET:
        channel.kind = _kind(kind)  # type: ignore[arg-type]
        changed.append("kind")
    if currency is not UNSET:
        channel.currency = _currency(currency)  # type: ignore[arg-type]
        changed.append("currency")
    if stock_buffer is not UNSET:
        channel.stock_buffer = _buffer(stock_buffer)  # type: ignore[arg-type]
        changed.append("stock_buffer")
    if prices_include_tax is not UNSET:
        if prices_include_tax is None:
            raise DomainError(
                "required", "prices_include_tax must not be null.", field="prices_include_tax"
            )
        # orders captured before keep their amounts; new ones are priced the new way
        channel.prices_include_tax = bool(prices_include_tax)
        changed.append("prices_include_tax")
    if is_active is not UNSET:
        if is_active is None:
            raise DomainError("required", "is_active must not be null.", field="is_active")
        channel.is_active = bool(is_active)
        changed.append("is_active")
    excluded = None
    if excluded_location_codes is not UNSET:
        codes = excluded_location_codes or []
        excluded = _locations_by_code(codes) if codes else []  # type: ignore[arg-type]
    with use_case_atomic():
        if changed:
            channel.save(update_fields=changed)
        if excluded is not None:
            channel.excluded_locations.set(excluded)
    audit_record(
        object_type="channel",
        object_id=channel.code,
        label=channel.name,
        action="changed",
        before=before,
        after=snapshot(channel),
    )
    return channel

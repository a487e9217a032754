"""Carrier accounts as data (docs/shipping.md, "Carrier adapters"): which adapter, its API key
encrypted at rest (core/encryption.py) and never read back, every change audited (the audit says
only that the key changed). `carrier_adapter` makes the account's adapter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ordino.audit.services import audit_record
from ordino.core.domain.clock import utcnow
from ordino.core.domain.codes import code_check
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.encryption import secret_decrypt, secret_encrypt
from ordino.core.transactions import use_case_atomic
from ordino.shipping.carriers.base import CarrierAdapter
from ordino.shipping.carriers.easypost_carrier import EasyPostCarrier
from ordino.shipping.carriers.offline import OfflineCarrier
from ordino.shipping.carriers.shippo_carrier import ShippoCarrier
from ordino.shipping.models import CarrierAccount

# adapter name -> how it is made from the account's API key
ADAPTERS: dict[str, Callable[[str], CarrierAdapter]] = {
    "offline": lambda _key: OfflineCarrier(),
    "easypost": EasyPostCarrier,
    "shippo": ShippoCarrier,
}


@dataclass(frozen=True)
class AccountSettings:
    """A carrier account, created when new; None: unchanged (on a change)."""

    code: str
    name: str | None = None
    adapter: str | None = None
    api_key: str | None = None
    is_active: bool | None = None
    reason: str = ""


def _public(a: CarrierAccount) -> dict[str, Any]:
    return {
        "code": a.code,
        "name": a.name,
        "adapter": a.adapter,
        "is_active": a.is_active,
        "has_api_key": bool(a.api_key_encrypted),
    }


def _check(values: AccountSettings, account: CarrierAccount) -> None:
    if values.adapter is not None and values.adapter not in ADAPTERS:
        raise DomainError(
            "unknown_adapter", f"adapter is one of {', '.join(ADAPTERS)}.", field="adapter"
        )
    if values.name is not None and not 0 < len(values.name.strip()) <= 100:
        raise DomainError("invalid_name", "name has 1 to 100 characters.", field="name")
    if values.api_key is not None and len(values.api_key) > 200:
        raise DomainError("invalid_api_key", "api_key has at most 200 characters.", field="api_key")
    if account.adapter != "offline" and not (values.api_key or account.api_key_encrypted):
        raise DomainError(
            "api_key_required",
            f"An {account.adapter} account needs its API key.",
            field="api_key",
        )


def carrier_account_save(*, values: AccountSettings, actor: str) -> tuple[CarrierAccount, bool]:
    """Create (True) or change (False) the account named by its code; audited."""
    if len(code_check(values.code, field="code")) > 32:
        raise DomainError("invalid_code", "code has at most 32 characters.", field="code")
    with use_case_atomic():
        account = CarrierAccount.objects.select_for_update().filter(code=values.code).first()
        created = account is None
        if created:
            if values.name is None or values.adapter is None:
                raise DomainError(
                    "invalid_account",
                    "A new account needs name and adapter.",
                    field="name" if values.name is None else "adapter",
                )
            account = CarrierAccount(code=values.code)
        before = None if created else _public(account)
        for name in ("name", "adapter", "is_active"):
            if getattr(values, name) is not None:
                setattr(account, name, getattr(values, name))
        _check(values, account)
        if values.api_key is not None:
            account.api_key_encrypted = secret_encrypt(values.api_key)
        account.name = account.name.strip()
        account.updated_at = utcnow()
        account.save()
        after = _public(account)
        if values.api_key is not None and not created:
            after["api_key_changed"] = True
        audit_record(
            object_type="carrier_account",
            object_id=account.pk,
            action="created" if created else "changed",
            before=before,
            after=after,
            reason=values.reason,
            label=str(account),
            actor=actor,
        )
        return account, created


def carrier_account_list(*, active: bool | None = None):
    rows = CarrierAccount.objects.all()
    return rows if active is None else rows.filter(is_active=active)


def carrier_account_get(*, code: str) -> CarrierAccount:
    found = CarrierAccount.objects.filter(code=code).first()
    if found is None:
        raise NotFound("carrier_account", code)
    return found


def carrier_adapter(account: CarrierAccount) -> CarrierAdapter:
    """The account's adapter with its API key; an inactive account is refused (409)."""
    if not account.is_active:
        raise DomainError(
            "account_inactive",
            f"Carrier account {account.code} is inactive.",
            status=409,
            field="account",
        )
    key = secret_decrypt(
        account.api_key_encrypted,
        what=f"Carrier account {account.code}'s API key",
        remedy="enter it again",
    )
    return ADAPTERS[account.adapter](key)

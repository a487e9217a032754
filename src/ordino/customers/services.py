"""Use cases of customers: one person across every channel, their addresses and identities."""

from __future__ import annotations

from functools import cache

from django.db import IntegrityError, connection

from ordino.channels.models import Channel
from ordino.core.domain.codes import tags_normalise
from ordino.core.domain.countries import country_normalise
from ordino.core.domain.errors import Conflict, DomainError
from ordino.core.sql import columns, instances_of
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.customers.domain.contact import email_normalise, name_clean, phone_normalise
from ordino.customers.models import Customer, CustomerAddress, CustomerChannelIdentity

UNSET: object = object()


def _email_taken(email: str) -> Conflict:
    return Conflict("customer_exists", f"A customer with e-mail {email!r} exists.", field="email")


def _save_unique_email(customer: Customer, **save_kwargs: object) -> None:
    try:
        with savepoint():
            customer.save(**save_kwargs)
    except IntegrityError:
        if customer.email and (
            Customer.objects.filter(email=customer.email).exclude(pk=customer.pk).exists()
        ):
            raise _email_taken(customer.email) from None
        raise


def customer_create(
    *,
    email: str = "",
    phone: str = "",
    first_name: str = "",
    last_name: str = "",
    country: str = "",
    tags: list[str] | None = None,
) -> Customer:
    """A new customer, reachable by e-mail or phone. `country` reads a national phone number."""
    region = country_normalise(country, required=False)
    customer = Customer(
        email=email_normalise(email),
        phone=phone_normalise(phone, country=region),
        first_name=name_clean(first_name),
        last_name=name_clean(last_name),
        tags=tags_normalise(tags or []),
    )
    if not customer.email and not customer.phone:
        raise DomainError(
            "contact_required", "A customer needs an e-mail or a phone number.", field="email"
        )
    _save_unique_email(customer)
    return customer


def customer_update(
    *,
    customer: Customer,
    email: str | object = UNSET,
    phone: str | object = UNSET,
    first_name: str | object = UNSET,
    last_name: str | object = UNSET,
    country: str | object = UNSET,
    tags: list[str] | object = UNSET,
) -> Customer:
    """Change contact data. A national phone is read in `country`, else the default address's."""
    changed: list[str] = []
    if email is not UNSET:
        customer.email = email_normalise(email)  # type: ignore[arg-type]
        changed.append("email")
    if phone is not UNSET:
        if country is not UNSET and country:
            region = country_normalise(country)  # type: ignore[arg-type]
        else:
            default = customer.addresses.order_by("-is_default", "id").first()
            region = default.country if default else ""
        customer.phone = phone_normalise(phone, country=region)  # type: ignore[arg-type]
        changed.append("phone")
    if first_name is not UNSET:
        customer.first_name = name_clean(first_name)  # type: ignore[arg-type]
        changed.append("first_name")
    if last_name is not UNSET:
        customer.last_name = name_clean(last_name)  # type: ignore[arg-type]
        changed.append("last_name")
    if tags is not UNSET:
        customer.tags = tags_normalise(tags or [])  # type: ignore[arg-type]
        changed.append("tags")
    if not customer.email and not customer.phone:
        raise DomainError(
            "contact_required", "A customer needs an e-mail or a phone number.", field="email"
        )
    if changed:
        _save_unique_email(customer, update_fields=changed)
    return customer


def customer_address_add(
    *,
    customer: Customer,
    line1: str,
    city: str,
    country: str,
    name: str = "",
    line2: str = "",
    region: str = "",
    postal_code: str = "",
    phone: str = "",
    is_default: bool = False,
) -> CustomerAddress:
    """Add an address; the first one, or one marked default, becomes the default address."""
    country = country_normalise(country)
    errors = [
        {"field": field, "code": "required", "message": f"{field} must not be blank."}
        for field, value in (("line1", line1), ("city", city))
        if not (value or "").strip()
    ]
    postal_code = (postal_code or "").strip().upper()
    if len(postal_code) > CustomerAddress._meta.get_field("postal_code").max_length:
        # upper-casing may lengthen it ('ß' → 'SS')
        errors.append(
            {"field": "postal_code", "code": "too_long", "message": "postal_code is too long."}
        )
    if errors:
        raise DomainError(errors[0]["code"], errors[0]["message"], errors=errors)
    address = CustomerAddress(
        customer=customer,
        name=name_clean(name),
        line1=line1.strip(),
        line2=(line2 or "").strip(),
        city=city.strip(),
        region=(region or "").strip(),
        postal_code=postal_code,
        country=country,
        phone=phone_normalise(phone, country=country),
    )
    with use_case_atomic():
        has_default = CustomerAddress.objects.filter(customer=customer, is_default=True)
        if is_default:
            has_default.update(is_default=False)
            address.is_default = True
        else:
            address.is_default = not has_default.exists()
        address.save()
    return address


def customer_resolve(
    *,
    channel: Channel,
    email: str | None = None,
    phone: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    external_id: str | None = None,
    country: str | None = None,
) -> Customer | None:
    """The customer this channel's buyer is: found by the channel's own id for them, else by
    normalised e-mail, else by E.164 phone (read in `country`); created when nobody matches.

    Records the (channel, external id) identity and fills the customer's empty contact and name
    fields. None when the buyer gave neither e-mail, phone nor external id. An existing customer
    costs one SELECT (plus one write when something new was learned).
    Raises DomainError (field email/phone) for a malformed e-mail or phone number.
    """
    region = country_normalise(country or "", required=False)
    email_n = email_normalise(email)
    phone_n = phone_normalise(phone, country=region)
    external = (external_id or "").strip()
    if not (email_n or phone_n or external):
        return None
    first, last = name_clean(first_name), name_clean(last_name)
    with use_case_atomic():
        return _resolve(channel, email_n, phone_n, external, first, last, retry=True)


def _candidates(channel: Channel, email: str, phone: str, external: str) -> list[Customer]:
    """In one statement: the identity's customer (rank 0), the e-mail's (1), the phone's (2).
    Order capture resolves its buyer with it (the hot path: its text is built once, core/sql.py)."""
    params: list = []
    if external:
        params += [channel.pk, external]
    params += [v for v in (email, phone) if v]
    with connection.cursor() as cursor:
        cursor.execute(
            _candidates_sql(connection.vendor, bool(external), bool(email), bool(phone)), params
        )
        found = instances_of(Customer, cursor.fetchall(), extra=1)
    for customer, (rank,) in found:
        customer.rank = rank  # type: ignore[attr-defined]
    return [customer for customer, _ in found]


@cache
def _candidates_sql(vendor: str, external: bool, email: bool, phone: bool) -> str:
    q = connection.ops.quote_name

    def select(rank: int) -> str:
        return f"SELECT {columns(Customer, 'c')}, {rank} FROM {q(Customer._meta.db_table)} c"

    branches = []
    if external:
        branches.append(
            select(0)
            + f" JOIN {q(CustomerChannelIdentity._meta.db_table)} i ON i.customer_id = c.id"
            " WHERE i.channel_id = %s AND i.external_id = %s"
        )
    if email:
        branches.append(select(1) + " WHERE c.email = %s")
    if phone:
        branches.append(select(2) + " WHERE c.phone = %s")
    # At most one row of rank 0 and one of rank 1 exist, so three rows tell us all we need.
    rank = len(Customer._meta.concrete_fields) + 1
    return f"{' UNION ALL '.join(branches)} ORDER BY {rank}, 1 LIMIT 3"


def _resolve(
    channel: Channel, email: str, phone: str, external: str, first: str, last: str, *, retry: bool
) -> Customer:
    rows = _candidates(channel, email, phone, external)
    changed: list[str] = []
    if rows:
        customer = rows[0]
        email_free = not any(r.rank == 1 for r in rows)  # type: ignore[attr-defined]
        learned = {
            "email": email if email_free else "",
            "phone": phone,
            "first_name": first,
            "last_name": last,
        }
        changed = [f for f, v in learned.items() if v and not getattr(customer, f)]
        for field in changed:
            setattr(customer, field, learned[field])
        new_identity = bool(external) and customer.rank > 0  # type: ignore[attr-defined]
        if not changed and not new_identity:
            return customer  # the returning buyer: one SELECT, no write
    try:
        with savepoint():  # a savepoint: a concurrent twin may win the insert
            if not rows:
                customer = Customer.objects.create(
                    email=email, phone=phone, first_name=first, last_name=last
                )
                if external:
                    CustomerChannelIdentity.objects.create(
                        customer=customer, channel=channel, external_id=external
                    )
                return customer
            if new_identity:
                CustomerChannelIdentity.objects.create(
                    customer=customer, channel=channel, external_id=external
                )
            if changed:
                customer.save(update_fields=changed)
            return customer
    except IntegrityError:
        # A concurrent capture recorded the same e-mail or identity first: it is them.
        if not retry:
            raise
    return _resolve(channel, email, phone, external, first, last, retry=False)

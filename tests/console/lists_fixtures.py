"""What the console lists' tests share: a shop with orders in two channels, and staff users
(an unrestricted manager, a user limited to one channel)."""

from __future__ import annotations

from django.contrib.auth.models import Permission, User
from django.test import Client

from ordino.accounts.models import StaffAccess
from ordino.orders.models import Order
from tests.factories import make_channel, order_body, stock


def staff_user(username: str, *perms: str, channels=(), locations=()) -> User:
    """A staff user holding `perms` ("orders.view_order"), limited to channels/locations."""
    user = User.objects.create_user(username, f"{username}@example.com", "pw-long-enough")
    user.is_staff = True
    user.save()
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    if channels or locations:
        access = StaffAccess.objects.create(user=user)
        access.channels.set(channels)
        access.locations.set(locations)
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def orders_made(shop, api) -> dict:
    """Three orders: W-1 and W-2 in web (W-2 to postal code 75001), A-1 in a second channel."""
    make_channel("app", currency="EUR")
    stock(shop["wh_a"], shop["TEE"], 50)
    stock(shop["wh_a"], shop["MUG"], 50)
    address = {"name": "Bo", "line1": "1 rue", "city": "Paris", "postal_code": "75001"}
    bodies = [
        order_body("W-1"),
        order_body(
            "W-2",
            shipping_address={**address, "country": "FR"},
            customer={"email": "bo@example.com", "phone": "+33612345678", "first_name": "Bo"},
        ),
        order_body("A-1", channel="app"),
    ]
    for body in bodies:
        assert api.post("/orders", body).status_code in (200, 201)
    return {o.external_id: o for o in Order.objects.all()}

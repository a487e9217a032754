"""What the console lists' tests share: a shop with orders in two channels, and staff users
(an unrestricted manager, a user limited to one channel)."""

from __future__ import annotations

from django.contrib.auth.models import Permission, User
from django.test import Client

from ordino.accounts.models import StaffAccess


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

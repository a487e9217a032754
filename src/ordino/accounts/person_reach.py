"""What a person's API token may do and reach: its owner's permissions and console access
(docs/people.md, "A person's API tokens"), read at every request of such a token.

One hand-written statement per vendor, as the token's own look-up (`auth.py`): through the ORM
(`user.get_all_permissions()` and `staff_limits`) it took six statements and about 12 ms a
request on SQLite. It keeps Django's ModelBackend rules: an inactive user has nothing (their
tokens answer 401), a superuser everything, the others the permissions given to them or to
their groups; and the console's (`staff.staff_limits`): a superuser is never limited.
`tests/accounts/test_person_tokens.py` checks it agrees with both."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from ordino.accounts.models import StaffAccess
from ordino.core.principal import EVERYTHING

Ids = frozenset[int] | None


@dataclass(frozen=True)
class PersonReach:
    """A person's permissions (`app.codename`; EVERYTHING for a superuser; None: no person,
    an integration's token) and console access limits (None: no limit on that dimension)."""

    permissions: Container[str] | None
    channel_ids: Ids
    location_ids: Ids


NOBODY = PersonReach(None, None, None)  # an integration's token: no person limits it
SUPERUSER = PersonReach(EVERYTHING, None, None)  # may everything, never limited

_REACH = """SELECT u.is_superuser,
 (SELECT {agg_channel} FROM {access_channels} c JOIN {access} a ON a.id = c.staffaccess_id
  WHERE a.user_id = u.id),
 (SELECT {agg_location} FROM {access_locations} l JOIN {access} a ON a.id = l.staffaccess_id
  WHERE a.user_id = u.id),
 (SELECT {agg_permission} FROM
   (SELECT up.permission_id AS id FROM {user_permissions} up WHERE up.user_id = u.id
    UNION SELECT gp.permission_id FROM {group_permissions} gp
    JOIN {user_groups} ug ON ug.group_id = gp.group_id WHERE ug.user_id = u.id) g
  JOIN {permissions} p ON p.id = g.id JOIN {types} t ON t.id = p.content_type_id)
 FROM {users} u WHERE u.id = %s AND u.is_active"""
_reach_sql: dict[str, str] = {}


def _reach(vendor: str) -> str:
    if vendor not in _reach_sql:
        quote = connection.ops.quote_name
        agg = "STRING_AGG(({})::text, ',')" if vendor == "postgresql" else "GROUP_CONCAT({})"
        user = get_user_model()
        _reach_sql[vendor] = _REACH.format(
            agg_channel=agg.format("c.channel_id"),
            agg_location=agg.format("l.location_id"),
            agg_permission=agg.format("t.app_label || '.' || p.codename"),
            access=quote(StaffAccess._meta.db_table),
            access_channels=quote(StaffAccess.channels.through._meta.db_table),
            access_locations=quote(StaffAccess.locations.through._meta.db_table),
            permissions=quote(Permission._meta.db_table),
            types=quote(ContentType._meta.db_table),
            user_permissions=quote(user.user_permissions.through._meta.db_table),
            group_permissions=quote(Group.permissions.through._meta.db_table),
            user_groups=quote(user.groups.through._meta.db_table),
            users=quote(user._meta.db_table),
        )
    return _reach_sql[vendor]


def _ids(text: str | None) -> Ids:
    return frozenset(int(part) for part in text.split(",")) if text else None


def person_reach(user_id: int) -> PersonReach | None:
    """The reach of an active person; None for an inactive (or deleted) one."""
    with connection.cursor() as cursor:
        cursor.execute(_reach(connection.vendor), [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    superuser, channel_ids, location_ids, permissions = row
    if superuser:
        return SUPERUSER
    granted = frozenset(permissions.split(",")) if permissions else frozenset()
    return PersonReach(granted, _ids(channel_ids), _ids(location_ids))


def limits_meet(first: Ids, second: Ids) -> Ids:
    """Two limits on one dimension together: the intersection (None: no limit)."""
    if first is None or second is None:
        return second if first is None else first
    return first & second

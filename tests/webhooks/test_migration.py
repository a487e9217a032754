"""The migration that encrypts endpoints' secrets (webhooks 0002, docs/webhooks.md "Endpoints"):
existing rows' plain secrets become Fernet tokens, and going back gives the plain ones again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ordino.core.encryption import secret_decrypt

BEFORE = [("webhooks", "0001_initial")]
AFTER = [("webhooks", "0002_endpoint_secrets_encrypted")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_existing_secrets_are_encrypted_and_decrypted_back():
    old = _migrate(BEFORE)
    try:
        # given two endpoints stored in plain, one with a previous secret
        endpoints = old.get_model("webhooks", "WebhookEndpoint")
        common = {"url": "https://hooks.example.com/x", "created_at": "2026-03-02T09:00:00Z",
                  "updated_at": "2026-03-02T09:00:00Z"}  # fmt: skip
        endpoints.objects.create(secret="whsec_AAAA", previous_secret="whsec_OLD", **common)
        endpoints.objects.create(secret="whsec_BBBB", **common)
        # when the migration runs
        _migrate(AFTER)
        # then the table holds tokens of those secrets, and no plain secret
        rows = _rows(
            "SELECT secret_encrypted, previous_secret_encrypted FROM webhooks_webhookendpoint "
            "ORDER BY id"
        )
        assert "whsec_" not in repr(rows)
        assert [tuple(secret_decrypt(t) for t in row) for row in rows] == [
            ("whsec_AAAA", "whsec_OLD"), ("whsec_BBBB", ""),
        ]  # fmt: skip
        # when it is reversed, then the plain columns are back with the same secrets
        _migrate(BEFORE)
        back = _rows("SELECT secret, previous_secret FROM webhooks_webhookendpoint ORDER BY id")
        assert back == [("whsec_AAAA", "whsec_OLD"), ("whsec_BBBB", "")]
    finally:
        _migrate(AFTER)  # the schema the other tests expect (their rows are flushed)

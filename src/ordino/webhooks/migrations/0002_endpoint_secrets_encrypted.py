"""Endpoints' signing secrets encrypted at rest (docs/webhooks.md, "Endpoints"): the plain
`secret` and `previous_secret` columns become `secret_encrypted` and `previous_secret_encrypted`,
each row's secrets encrypted with the credentials key (core/encryption.py). Reversible: going
back decrypts them into the plain columns (with the same key)."""

from django.db import migrations, models

from ordino.core.encryption import secret_decrypt, secret_encrypt


def secrets_encrypt(apps, schema_editor):
    endpoints = apps.get_model("webhooks", "WebhookEndpoint")
    for endpoint in endpoints.objects.all().only("pk", "secret", "previous_secret"):
        endpoints.objects.filter(pk=endpoint.pk).update(
            secret_encrypted=secret_encrypt(endpoint.secret),
            previous_secret_encrypted=secret_encrypt(endpoint.previous_secret),
        )


def secrets_decrypt(apps, schema_editor):
    endpoints = apps.get_model("webhooks", "WebhookEndpoint")
    fields = ("pk", "secret_encrypted", "previous_secret_encrypted")
    for endpoint in endpoints.objects.all().only(*fields):
        endpoints.objects.filter(pk=endpoint.pk).update(
            secret=secret_decrypt(endpoint.secret_encrypted),
            previous_secret=secret_decrypt(endpoint.previous_secret_encrypted),
        )


class Migration(migrations.Migration):

    dependencies = [
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookendpoint",
            name="secret_encrypted",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="webhookendpoint",
            name="previous_secret_encrypted",
            field=models.TextField(blank=True),
        ),
        # blank first, so that going back adds the plain column to a table with rows ("" until
        # the data step fills it)
        migrations.AlterField(
            model_name="webhookendpoint",
            name="secret",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.RunPython(secrets_encrypt, secrets_decrypt),
        migrations.RemoveField(model_name="webhookendpoint", name="secret"),
        migrations.RemoveField(model_name="webhookendpoint", name="previous_secret"),
    ]

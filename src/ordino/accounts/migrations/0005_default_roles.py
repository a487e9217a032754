"""The default roles (accounts/roles.py, docs/people.md): groups carrying action permissions and
the view permissions of the areas they work in. Depends on every app's latest migration so that
each model's view permission exists."""

from django.db import migrations

from ordino.accounts.roles import roles_migrate


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_people_roles_and_token_owner"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalog", "0003_sku_tax_class"),
        ("channels", "0003_channel_prices_include_tax"),
        ("console", "0001_saved_view"),
        ("customers", "0005_name_trigram_indexes"),
        ("events", "0003_outbox_replay_audit"),
        ("fulfillment", "0004_tracking_numbers_index"),
        ("inventory", "0005_movement_sku_index"),
        ("invoices", "0001_initial"),
        ("locations", "0002_clock_created_at"),
        ("orders", "0009_line_tax_rate"),
        ("payments", "0002_store_credit"),
        ("returns", "0002_return_exchange"),
        ("sourcing", "0002_profile_audit_plural"),
        ("tax", "0001_initial"),
    ]

    operations = [migrations.RunPython(roles_migrate, migrations.RunPython.noop)]

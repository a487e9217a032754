"""The default roles (accounts/roles.py, docs/people.md): groups carrying action permissions and
the view permissions of the areas they work in. Depends on every app's latest migration so that
each model's view permission exists."""

from django.db import migrations


def install(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from ordino.accounts.roles import roles_install

    for app_config in apps.get_app_configs():  # permissions are made after migrate otherwise
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_install(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


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

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

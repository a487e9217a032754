"""The default roles again (accounts/roles.py, docs/people.md), now that the inbox (`cases`),
holds and single sign-on exist: `work_cases` and the view permissions of their tables are added
to the roles that carry them. Like 0005 it adds what a role lacks and takes nothing away."""

from django.db import migrations

from ordino.accounts.roles import roles_migrate


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_action_work_cases"),
        ("audit", "0001_audit_entry"),
        ("cases", "0001_initial"),
        ("holds", "0001_initial"),
        ("invoices", "0002_invoice_line_discount"),
        ("payments", "0005_remove_payment_held_fulfillment_orders"),
        ("sso", "0001_idp_group_role_and_identity"),
    ]

    operations = [migrations.RunPython(roles_migrate, migrations.RunPython.noop)]

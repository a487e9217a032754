"""The default roles again (accounts/roles.py, docs/people.md), now that cases have routing rules
(docs/cases.md, "Routing"): the roles that carry every view permission get the routing rule's.
Like 0005 and 0007 it adds what a role lacks and takes nothing away."""

from django.db import migrations

from ordino.accounts.roles import roles_migrate


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_roles_for_cases_and_holds"),
        ("cases", "0002_routing_rules"),
    ]

    operations = [migrations.RunPython(roles_migrate, migrations.RunPython.noop)]

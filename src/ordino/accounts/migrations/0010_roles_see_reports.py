"""The default roles again (accounts/roles.py, docs/people.md), now that the network's reports
have their own action permission `see_reports` (a person's token reads them only with it, as the
dashboard shows them: docs/people.md, "A person's API tokens"): the operations manager, finance
and admin get it. Like 0005, 0007 and 0008 it adds what a role lacks and takes nothing away."""

from django.db import migrations

from ordino.accounts.roles import roles_migrate


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_action_see_reports")]

    operations = [migrations.RunPython(roles_migrate, migrations.RunPython.noop)]

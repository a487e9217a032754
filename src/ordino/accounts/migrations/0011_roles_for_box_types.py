"""The default roles again (accounts/roles.py, docs/people.md), now that shipping has box types
(docs/shipping.md, "Parcels and packing"): the admin role ("everything") gets
`shipping.view_boxtype`, which a person's token needs to read them through the API. Like 0005,
0007, 0008 and 0010 it adds what a role lacks and takes nothing away."""

from django.db import migrations

from ordino.accounts.roles import roles_migrate


class Migration(migrations.Migration):
    dependencies = [("accounts", "0010_roles_see_reports"), ("shipping", "0005_box_types")]

    operations = [migrations.RunPython(roles_migrate, migrations.RunPython.noop)]

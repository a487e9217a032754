"""The console's home page is the dashboard (console/dashboard/): unfold's own
`admin/index.html` comes first among the apps' templates, so the site's index template names
ours, which extends it."""

from django.contrib import admin

admin.site.index_template = "console/dashboard/index.html"
admin.site.index_title = "Dashboard"

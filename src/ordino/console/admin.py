"""The console's home page is the dashboard (console/dashboard/): unfold's own
`admin/index.html` comes first among the apps' templates, so the site's index template names
ours, which extends it."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

admin.site.index_template = "console/dashboard/index.html"
admin.site.index_title = "Dashboard"

# The database task backend's rows are its bookkeeping, not a page of the console: what a task
# does is shown where its truth is (an outbox event and its subscribers done, a webhook's
# deliveries). `ordino prune_db_task_results` and the worker's log cover the rest.
admin.site.unregister(DBTaskResult)

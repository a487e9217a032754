"""`{% saved_views_bar cl %}`: the saved views of a list, and the form to save the current one."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import Group

from ordino.console.models import NAME_MAX
from ordino.console.saved_views import query_kept, saved_views_for

register = template.Library()


@register.inclusion_tag("console/lists/saved_views.html", takes_context=True)
def saved_views_bar(context, cl):
    request = context["request"]
    model_label = f"{cl.opts.app_label}.{cl.opts.model_name}"
    user = request.user
    teams = Group.objects.all() if user.is_superuser else user.groups.all()
    query = query_kept(request.GET.urlencode())
    views = list(saved_views_for(user, model_label).select_related("shared_with", "owner"))
    return {
        "csrf_token": context.get("csrf_token"),
        "model_label": model_label,
        "query": query,
        "changelist_url": request.path,
        "views": views,
        "current": next((v for v in views if v.query == query and query), None),
        "teams": list(teams.order_by("name")[:50]),
        "name_max": NAME_MAX,
        "user": user,
    }

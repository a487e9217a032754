"""How a console page that is more than a model form is built (docs/console.md, "Adding a
screen"): a view function in the module of the `console` package that owns the screen, wrapped by
`console_view` (signed-in staff only, like every admin page) and rendered by `console_render`
inside the unfold frame (menu, header, messages). Pages that span modules (the order page, the
store screen, the dashboard) live here, at the top of the layers, so they may read every module."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def console_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in, active staff only (else the sign-in page), never cached: the admin's own rule."""
    return admin.site.admin_view(view)


def console_render(
    request: HttpRequest, template: str, context: dict | None = None, *, title: str = ""
) -> TemplateResponse:
    """`template` (which extends `console/page.html`) inside the console's frame."""
    frame = admin.site.each_context(request)
    frame.update({"title": title, **(context or {})})
    return TemplateResponse(request, template, frame)

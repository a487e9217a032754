"""The console's Data → Import page (docs/transfer.md): upload a file, choose its kind and
mapping, dry-run it or import it (in the background by default), see its progress and every bad
row; save a mapping; and the
reconciliation of a legacy export. The same use cases as `ordino transfer` and the API."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ordino.accounts.staff import console_principal
from ordino.console.pages import console_render, console_view
from ordino.core.domain.errors import DomainError
from ordino.transfer import selectors, services
from ordino.transfer.domain.fields import KIND_FIELDS, KINDS, MAPPING_KINDS

MAX_TEXT = 20_000
VIEW, ADD, MAP = "transfer.view_importjob", "transfer.add_importjob", "transfer.add_importmapping"


def _actor(request: HttpRequest) -> str:
    return f"user:{request.user.get_username()}"


def _need(request: HttpRequest, permission: str) -> None:
    """The permission, and a console user limited to no channel or location: imports and
    reconciliations reach the whole network, as the API's (a restricted token: 403)."""
    if not request.user.has_perm(permission) or console_principal(request).scope.restricted:
        raise PermissionDenied


@console_view
@require_http_methods(["GET", "POST"])
def imports_page(request: HttpRequest) -> HttpResponse:
    _need(request, VIEW)
    if request.method == "POST":
        _need(request, ADD)
        return _import_post(request)
    context = {
        "kinds": KINDS,
        "fields": {kind: list(KIND_FIELDS[kind]) for kind in MAPPING_KINDS},
        "mappings": list(selectors.import_mapping_list()),
        "jobs": [selectors.import_job_progress(job) for job in selectors.import_job_list()[:30]],
        "may_import": request.user.has_perm(ADD),
        "may_map": request.user.has_perm(MAP),
        "mapping_kinds": MAPPING_KINDS,
    }
    return console_render(request, "console/transfer/imports.html", context, title="Import")


def _import_post(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a file to import.")
        return HttpResponseRedirect(reverse("console:transfer_imports"))
    kind, mapping = request.POST.get("kind", "")[:16], request.POST.get("mapping", "")
    # In the background unless the box was unticked: the page answers at once and the job's
    # page follows the progress (docs/transfer.md, "In the background").
    run = services.import_enqueue if request.POST.get("background") == "on" else services.import_run
    try:
        job = run(
            kind=kind, handle=upload.file, file_name=(upload.name or "upload")[:255],
            actor=_actor(request), mapping_name=mapping[:64],
            dry_run=request.POST.get("run") != "import",
        )  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("console:transfer_imports"))
    return HttpResponseRedirect(reverse("console:transfer_import", args=[job.pk]))


@console_view
@require_http_methods(["GET"])
def import_page(request: HttpRequest, job_id: int) -> HttpResponse:
    _need(request, VIEW)
    try:
        job = selectors.import_job_get(job_id=job_id)
    except DomainError:
        raise PermissionDenied from None
    percent = int(100 * job.rows_done / job.rows_total) if job.rows_total else 0
    if job.status not in (job.PENDING, job.RUNNING):
        percent = 100
    context = {"job": job, "percent": min(percent, 100), "running": job.status == job.RUNNING}
    return console_render(request, "console/transfer/import.html", context, title="Import")


def _pairs(text: str) -> dict[str, str]:
    """Lines of `left = right` (a mapping's columns or constants) as a dict."""
    pairs: dict[str, str] = {}
    for line in text[:MAX_TEXT].splitlines():
        if line.strip():
            left, sep, right = line.partition("=")
            if not sep:
                raise DomainError("invalid_mapping", f"{line.strip()!r}: write `left = right`.")
            pairs[left.strip()] = right.strip()
    return pairs


@console_view
@require_http_methods(["POST"])
def mapping_save(request: HttpRequest) -> HttpResponse:
    _need(request, MAP)
    kind, name = request.POST.get("kind", "")[:16], request.POST.get("name", "")[:64]
    try:
        services.import_mapping_save(
            kind=kind, name=name, columns=_pairs(request.POST.get("columns", "")),
            constants=_pairs(request.POST.get("constants", "")),
        )  # fmt: skip
    except DomainError as exc:
        details = "; ".join(e["message"] for e in exc.errors[:5])
        messages.error(request, f"{exc.message} {details}".strip())
    else:
        messages.success(request, f"Mapping {kind}/{name} saved.")
    return HttpResponseRedirect(reverse("console:transfer_imports"))


@console_view
@require_http_methods(["GET", "POST"])
def reconcile_page(request: HttpRequest) -> HttpResponse:
    _need(request, VIEW)
    context: dict = {"mappings": list(selectors.import_mapping_list(kind="legacy_orders"))}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "Choose the legacy system's order export.")
        else:
            try:
                report = services.legacy_reconcile(
                    handle=upload.file, file_name=upload.name or "legacy.csv",
                    mapping_name=request.POST.get("mapping", "")[:64],
                )  # fmt: skip
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if request.POST.get("as") == "csv":
                    response = HttpResponse(services.report_csv(report), content_type="text/csv")
                    response["Content-Disposition"] = 'attachment; filename="reconciliation.csv"'
                    return response
                context["report"] = services.report_as_dict(report)
    return console_render(
        request, "console/transfer/reconcile.html", context, title="Reconciliation"
    )

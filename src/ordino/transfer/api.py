"""`/api/v1/transfer`: CSV and XLSX imports and the legacy reconciliation (docs/transfer.md).

Both take a multipart form (the file in `file`); both are network-wide: a token limited to
some channels or locations is refused (403 `token_restricted`).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from ordino.core.domain.errors import DomainError
from ordino.core.principal import Principal, principal_of
from ordino.transfer import selectors, services
from ordino.transfer.schemas import ImportJobOut, ReconcileOut

router = Router(tags=["transfer"])

IMPORT_FIELDS = {"kind", "mapping", "dry_run", "columns", "constants", "background"}
RECONCILE_FIELDS = {"mapping", "columns", "constants"}
MAX_JSON_CHARS = 20_000
MAX_NAME = 64


def _caller(request: HttpRequest, scope: str) -> Principal:
    principal = principal_of(request)
    principal.require(scope)
    principal.scope.require_unrestricted("imports and reconciliations")
    return principal


def _form(request: HttpRequest, allowed: set[str]) -> tuple[dict[str, str], object]:
    """The multipart form's fields (each once, bounded) and its file; unknown fields refused."""
    if (request.content_type or "") != "multipart/form-data":
        raise DomainError(
            "unsupported_media_type", "Send a multipart/form-data form (the file in `file`).",
            status=415,
        )  # fmt: skip
    errors = [
        {"field": name, "code": "extra_forbidden", "message": f"Unknown field {name!r}."}
        for name in sorted(set(request.POST) - allowed)
    ]
    fields: dict[str, str] = {}
    for name in sorted(set(request.POST) & allowed):
        values = request.POST.getlist(name)
        if len(values) != 1 or len(values[0]) > MAX_JSON_CHARS:
            errors.append({"field": name, "code": "invalid", "message": f"Give {name} once."})
        else:
            fields[name] = values[0]
    upload = request.FILES.get("file")
    if upload is None or len(request.FILES.getlist("file")) != 1:
        errors.append({"field": "file", "code": "missing", "message": "Upload one file."})
    if errors:
        raise DomainError(errors[0]["code"], "The form has invalid fields.", errors=errors)
    return fields, upload


def _json_object(fields: dict[str, str], name: str) -> dict:
    text = fields.get(name, "").strip()
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise DomainError(
            "invalid_json_object", f"{name} is a JSON object of text values.", field=name
        )
    return value


def _flag(fields: dict[str, str], name: str) -> bool:
    value = fields.get(name, "false")
    if value not in ("true", "false"):  # as the OpenAPI document says: exactly these
        raise DomainError("bool_parsing", f"{name} is true or false.", field=name)
    return value == "true"


def _mapping_name(fields: dict[str, str]) -> str:
    name = fields.get("mapping", "").strip()
    if len(name) > MAX_NAME:
        raise DomainError(
            "too_long", f"mapping has at most {MAX_NAME} characters.", field="mapping"
        )
    return name


FILE_FORM = {
    "responses": {
        415: {
            "description": "The body is not a multipart/form-data form.",
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
    },
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary",
                                 "description": ".csv (UTF-8) or .xlsx, at most 20 MB"},
                        "kind": {"type": "string",
                                 "enum": ["orders", "products", "customers", "stock"]},
                        "mapping": {"type": "string", "description": "a saved mapping's name"},
                        "columns": {"type": "string",
                                    "description": 'JSON: {"Source column": "field"}'},
                        "constants": {"type": "string", "description": 'JSON: {"field": "value"}'},
                        "dry_run": {"type": "string", "enum": ["true", "false"]},
                        "background": {"type": "string", "enum": ["true", "false"],
                                       "description": "true: answer 202 at once, the import "
                                       "run by `ordino worker` (imports only)"},
                    },
                    "required": ["file"],
                }
            }
        },
    }
}  # fmt: skip


@router.post(
    "/imports", response={201: ImportJobOut, 202: ImportJobOut},
    summary="Import a CSV or XLSX file", openapi_extra=FILE_FORM,
)  # fmt: skip
def import_create(request: HttpRequest, response: HttpResponse):
    """Import (or with `dry_run`, only check) a file of orders, products, customers or stock
    levels through Ordino's use cases. Every bad row is listed (row, column, reason); a file
    with any bad row imports nothing (`status: refused`). Orders are captured exactly once by
    channel and external id: the same file again creates nothing. With `background=true` the
    answer is 202 at once (the job `pending`, `Location` its address): `ordino worker` runs
    it, and `GET` on the job shows its progress, then its outcome."""
    principal = _caller(request, "transfer:write")
    fields, upload = _form(request, IMPORT_FIELDS)
    kind = fields.get("kind", "").strip()
    if not kind:
        raise DomainError("missing", "kind is required.", field="kind")
    background = _flag(fields, "background")
    run = services.import_enqueue if background else services.import_run
    job = run(
        kind=kind,
        handle=upload.file,  # type: ignore[attr-defined]
        file_name=(upload.name or "upload.csv")[:255],  # type: ignore[attr-defined]
        actor=f"token:{principal.token.name}",
        mapping_name=_mapping_name(fields),
        columns=_json_object(fields, "columns"),
        constants=_json_object(fields, "constants"),
        dry_run=_flag(fields, "dry_run"),
    )
    job = selectors.import_job_progress(job)
    if background:
        response["Location"] = f"/api/v1/transfer/imports/{job.pk}"
        return Status(202, job)
    return Status(201, job)


@router.get("/imports/{job_id}", response=ImportJobOut, summary="Get an import")
def import_get(request: HttpRequest, job_id: int):
    _caller(request, "transfer:read")
    return selectors.import_job_get(job_id=job_id)


@router.post(
    "/reconcile", response=ReconcileOut, summary="Reconcile a legacy order export",
    openapi_extra=FILE_FORM,
)  # fmt: skip
def reconcile(request: HttpRequest):
    """Compare a legacy system's order list (external id, channel, date, total, currency,
    status, line count; mapped like an import of kind `legacy_orders`) with Ordino's orders of
    the same channels and dates: counts, totals per currency and every order that differs.
    Writes nothing."""
    _caller(request, "transfer:read")
    fields, upload = _form(request, RECONCILE_FIELDS)
    report = services.legacy_reconcile(
        handle=upload.file,  # type: ignore[attr-defined]
        file_name=upload.name or "legacy.csv",  # type: ignore[attr-defined]
        mapping_name=_mapping_name(fields),
        columns=_json_object(fields, "columns"),
        constants=_json_object(fields, "constants"),
    )
    return services.report_as_dict(report)

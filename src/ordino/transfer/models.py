"""Import jobs and their saved column mappings (docs/transfer.md)."""

from __future__ import annotations

from django.db import models

KINDS = [
    ("orders", "Orders"),
    ("products", "Products"),
    ("customers", "Customers"),
    ("stock", "Stock levels"),
]
MAPPING_KINDS = [*KINDS, ("legacy_orders", "Legacy orders (reconciliation)")]


class ImportMapping(models.Model):
    """A saved column mapping for one import kind: source column → Ordino field, plus constants
    (a field's value for every row, e.g. the channel of a legacy export)."""

    kind = models.CharField(max_length=16, choices=MAPPING_KINDS)
    name = models.CharField(max_length=64)
    columns = models.JSONField(default=dict, blank=True)  # {"Order No": "external_id", ...}
    constants = models.JSONField(default=dict, blank=True)  # {"channel": "legacy", ...}
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="import_mapping_kind_name_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.name}"


class ImportJob(models.Model):
    """One import of one file: what was asked, how far it got and every bad row (bounded)."""

    PENDING, RUNNING, DONE, REFUSED, CHECKED, FAILED = (
        "pending", "running", "done", "refused", "checked", "failed",
    )  # fmt: skip
    STATUSES = [
        (PENDING, "Pending"),
        (RUNNING, "Running"),
        (DONE, "Imported"),
        (CHECKED, "Checked (dry run, no errors)"),
        (REFUSED, "Refused (nothing imported)"),
        (FAILED, "Failed (nothing imported)"),
    ]

    kind = models.CharField(max_length=16, choices=KINDS)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)
    mapping_name = models.CharField(max_length=64, blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # the mapping as used (a copy)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=STATUSES, default=PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_failed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)  # new objects (orders, SKUs, ...)
    existing = models.PositiveIntegerField(default=0)  # already there: nothing new created
    errors = models.JSONField(default=list, blank=True)  # [{row, column, code, message}] bounded
    errors_more = models.PositiveIntegerField(default=0)  # errors beyond the bound, counted
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # Background imports (docs/transfer.md, "In the background"): run by `ordino worker`.
    background = models.BooleanField(default=False)
    queued_at = models.DateTimeField(null=True, blank=True)  # last handed to the task queue
    started_at = models.DateTimeField(null=True, blank=True)  # the current attempt's start
    attempts = models.PositiveSmallIntegerField(default=0)  # runs started (a worker may die)
    note = models.CharField(max_length=500, blank=True)  # why it was run again or failed

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="importjob_created_idx")]

    def __str__(self) -> str:
        return f"import #{self.pk} {self.kind} {self.file_name}"


class ImportFile(models.Model):
    """A background import's file, kept from the upload until its job ends (then deleted): a
    row, so every process on the database reads it and a worker's restart finds it again."""

    job = models.OneToOneField(
        ImportJob, on_delete=models.CASCADE, primary_key=True, related_name="upload"
    )
    data = models.BinaryField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"file of import #{self.job_id}"

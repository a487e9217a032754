from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    """Who changed what, when, from what to what, and why (docs/people.md, "Audit"). Written in
    the transaction of the change itself, never changed afterwards."""

    at = models.DateTimeField()
    actor = models.CharField(max_length=128)  # user:<username>, token:<name>, cli:<who>, system
    object_type = models.CharField(max_length=40)  # order, channel, location, user, role, ...
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=40)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"
        indexes = [
            models.Index(fields=["at"], name="audit_at_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.object_type} {self.object_id}"

"""The console's own table: saved views of a list (its filters and search), private to their
owner or shared with a group (a team). Owned by `console` (docs/architecture.md)."""

from __future__ import annotations

from django.db import models

NAME_MAX = 80
QUERY_MAX = 2000


class SavedView(models.Model):
    name = models.CharField(max_length=NAME_MAX)
    model = models.CharField(max_length=100, help_text="The list's model: app_label.model_name.")
    query = models.CharField(
        max_length=QUERY_MAX, blank=True, help_text="The list's query string (filters, search)."
    )
    owner = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="saved_views")
    shared_with = models.ForeignKey(
        "auth.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="saved_views",
        help_text="Empty: private to its owner.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "saved view"
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "model", "name"], name="saved_view_owner_model_name_unique"
            )
        ]
        indexes = [models.Index(fields=["model", "owner"], name="saved_view_model_owner_idx")]

    def __str__(self) -> str:
        return self.name

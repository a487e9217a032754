"""What `ordino export` writes and `ordino import` loads: every table of Ordino's modules and
the console's people, in dependency order, less what must not leave (docs/transfer.md,
"What is exported").

A new table is exported by default; one that holds secrets or only transient state is listed in
EXCLUDED with the reason (`tests/transfer/test_entities.py` holds every model to one or the
other).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models

# Django's own apps whose tables are Ordino's data too: the console's people and roles.
PEOPLE = ("auth.User", "auth.Group", "auth.Group_permissions", "auth.User_groups",
          "auth.User_user_permissions")  # fmt: skip
EXCLUDED: dict[str, str] = {
    "accounts.ApiToken": "secrets: API tokens are issued again in the new system",
    "accounts.IdempotencyKey": "transient: answers kept for a client's retries",
    "transfer.ImportJob": "this system's own import history",
    "transfer.ImportFile": "transient: a background import's file, deleted when its job ends",
    "transfer.ImportMapping": "this system's configuration for its own imports",
    "auth.Permission": "made by `ordino migrate` (referenced by app label and codename)",
    "contenttypes.ContentType": "made by `ordino migrate` (referenced by app label and model)",
    "sessions.Session": "transient: console sign-ins",
    "admin.LogEntry": "Django's admin history; Ordino's audit log (audit.AuditEntry) is exported",
    "axes.AccessAttempt": "transient: failed sign-in attempts",
    "axes.AccessFailureLog": "transient: failed sign-in attempts",
    "axes.AccessLog": "transient: sign-in history",
}
# Columns left out of an exported table (they are secrets); import sets them as said.
OMITTED_COLUMNS: dict[str, dict[str, str]] = {
    "auth.User": {"password": "unusable: people set a new one or sign in with SSO"},
}
# Foreign keys to tables `migrate` makes: written as natural keys, not ids.
NATURAL = {"auth.Permission": ("content_type__app_label", "codename"),
           "contenttypes.ContentType": ("app_label", "model")}  # fmt: skip


@dataclass(frozen=True)
class Entity:
    label: str  # app_label.ModelName
    model: type[models.Model]
    columns: tuple[str, ...]  # attnames, in the model's order
    natural: dict[str, str]  # column → the label of the natural-keyed table it points to

    @property
    def file_stem(self) -> str:
        return self.label.lower()


def _ordino_or_people(model: type[models.Model]) -> bool:
    label = model._meta.label
    owner = model._meta.auto_created  # a many-to-many's table goes with its model
    if owner and owner._meta.label in EXCLUDED:
        return False
    return model.__module__.startswith("ordino.") or label in PEOPLE


def entity_of(model: type[models.Model]) -> Entity:
    label = model._meta.label
    omitted = OMITTED_COLUMNS.get(label, {})
    columns, natural = [], {}
    for f in model._meta.concrete_fields:
        if f.name in omitted:
            continue
        columns.append(f.attname)
        if f.is_relation and f.related_model._meta.label in NATURAL:
            natural[f.attname] = f.related_model._meta.label
    return Entity(label, model, tuple(columns), natural)


def entities() -> list[Entity]:
    """Every exported table, each after the tables it points to."""
    chosen = [
        m
        for m in apps.get_models(include_auto_created=True)
        if _ordino_or_people(m) and m._meta.label not in EXCLUDED and m._meta.managed
        and not m._meta.proxy
    ]  # fmt: skip
    return [entity_of(m) for m in _dependency_order(chosen)]


def _dependency_order(chosen: list[type[models.Model]]) -> list[type[models.Model]]:
    by_label = {m._meta.label: m for m in sorted(chosen, key=lambda m: m._meta.label)}
    done: dict[str, type[models.Model]] = {}
    visiting: set[str] = set()

    def visit(label: str) -> None:
        if label in done or label in visiting or label not in by_label:
            return
        visiting.add(label)
        for f in by_label[label]._meta.concrete_fields:
            if f.is_relation and f.related_model is not None:
                visit(f.related_model._meta.label)  # a cycle: constraints are deferred
        visiting.discard(label)
        done[label] = by_label[label]

    for label in by_label:
        visit(label)
    return list(done.values())


def excluded_present() -> dict[str, str]:
    """The excluded tables this Ordino has, with why (written into the manifest)."""
    present = {m._meta.label for m in apps.get_models(include_auto_created=True)}
    return {label: why for label, why in EXCLUDED.items() if label in present}

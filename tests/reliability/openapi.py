"""Ordino's own OpenAPI document, as served, and what the reliability suites derive from it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from django.test import Client

DOCUMENT_URL = "/api/v1/openapi.json"
PREFIX = "/api/v1/"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@cache
def _document_text() -> str:
    response = Client().get(DOCUMENT_URL)
    assert response.status_code == 200, response.content
    return response.content.decode()


def openapi_document() -> dict:
    """A fresh copy of the document the app serves (callers may change their copy)."""
    return json.loads(_document_text())


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def path_params(self) -> list[str]:
        return [p["name"] for p in self.spec.get("parameters", []) if p.get("in") == "path"]

    @property
    def query_params(self) -> list[str]:
        return [p["name"] for p in self.spec.get("parameters", []) if p.get("in") == "query"]


def operations(document: dict | None = None) -> list[Operation]:
    document = document or openapi_document()
    return [
        Operation(method, path, spec)
        for path, item in document["paths"].items()
        for method, spec in item.items()
        if method in METHODS
    ]


def resolve(document: dict, ref: str) -> dict:
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node

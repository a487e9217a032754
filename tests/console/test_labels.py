"""Every list reads in words: no status code with underscores in its rows, no "object (N)"
title anywhere, plural names that are plurals."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from ordino.core.domain.display import status_word

pytestmark = pytest.mark.django_db
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
REGISTERED = sorted(
    (m._meta.app_label, m._meta.model_name) for m in admin.site._registry if m._meta.app_label
)


class ResultText(HTMLParser):
    """The text of the list's result table (links' query strings and attributes left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.icon = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if (tag == "table" and ("id", "result_list") in attrs) or (self.depth and tag == "table"):
            self.depth += 1
        # an icon's name is a font ligature, not a word on screen
        self.icon = "material-symbols" in (dict(attrs).get("class") or "")

    def handle_endtag(self, tag):
        self.icon = False
        if tag == "table" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.icon:
            self.text.append(data)


def rows_text(html: str) -> str:
    parser = ResultText()
    parser.feed(html)
    return " ".join(parser.text)


@pytest.mark.parametrize(("app", "model"), REGISTERED)
def test_a_list_shows_words_not_codes_and_no_object_titles(orders, admin_client, app, model):
    page = admin_client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "object (" not in html
    codes = {
        c
        for c in CODE.findall(rows_text(html))
        if status_word(c) != c  # a code the console would have said as words
    }
    assert codes == set(), f"{app}.{model} shows codes {codes}"


@pytest.mark.parametrize(("app", "model"), REGISTERED)
def test_a_page_is_titled_by_its_object(orders, admin_client, app, model):
    model_class = next(m for m in admin.site._registry if m._meta.model_name == model)
    obj = model_class.objects.order_by("pk").first()
    if obj is None:
        pytest.skip(f"no {model} in the fixture")
    html = admin_client.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk])).content
    assert b"object (" not in html


def test_plural_names_are_plurals():
    singular_as_plural = [
        m._meta.label
        for m in admin.site._registry
        if m._meta.verbose_name_plural == m._meta.verbose_name
        and m._meta.label != "accounts.StaffAccess"  # "console access" is uncountable
    ]
    assert singular_as_plural == []

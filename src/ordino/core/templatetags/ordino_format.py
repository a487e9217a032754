"""`{% load ordino_format %}`: `{{ amount|money:currency }}`, `{{ code|word }}`,
`{{ address|address_lines }}` (the rules: core/domain/display.py)."""

from __future__ import annotations

from django import template

from ordino.core.domain import display

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    return display.money_display(amount, currency)


@register.filter
def word(code) -> str:
    return display.status_word(code)


@register.filter
def address_lines(address) -> list[str]:
    return display.address_lines(address)

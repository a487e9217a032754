"""The dashboard's period and channel picker: a GET form on the page (`?period=7d&channel=web`,
or `?period=custom&from=2026-03-01&to=2026-03-31`). Wrong input never breaks the page: the
picker says what was wrong and falls back to the last 30 days, all channels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from ordino.channels.models import Channel
from ordino.core.domain.scope import Scope
from ordino.reports.selectors import FIRST_DAY, LAST_DAY

MAX_DAYS = 366  # as the API: a year and a day at most
TODAY, LAST_7, LAST_30, THIS_MONTH, CUSTOM = "today", "7d", "30d", "month", "custom"
PERIODS = [
    (TODAY, "Today"),
    (LAST_7, "Last 7 days"),
    (LAST_30, "Last 30 days"),
    (THIS_MONTH, "This month"),
    (CUSTOM, "From … to …"),
]


@dataclass(frozen=True)
class Choice:
    """What the dashboard shows: a period (UTC days, inclusive) and a channel, or all."""

    period: str
    date_from: date
    date_to: date
    channel: Channel | None

    def query(self) -> dict[str, str]:
        """The picker's GET parameters, kept in the page's own links."""
        params = {"period": self.period}
        if self.period == CUSTOM:
            params.update({"from": self.date_from.isoformat(), "to": self.date_to.isoformat()})
        if self.channel is not None:
            params["channel"] = self.channel.code
        return params


def _date_input() -> UnfoldAdminTextInputWidget:
    return UnfoldAdminTextInputWidget(attrs={"type": "date"})


class PickerForm(forms.Form):
    period = forms.ChoiceField(
        choices=PERIODS, required=False, widget=UnfoldAdminSelectWidget, label="Period"
    )
    date_from = forms.DateField(required=False, label="From", widget=_date_input())
    date_to = forms.DateField(required=False, label="To", widget=_date_input())
    channel = forms.ChoiceField(
        required=False, widget=UnfoldAdminSelectWidget, label="Channel", choices=()
    )

    def __init__(self, data, *, channels: list[Channel], today: date):
        data = data.copy()
        if not data.get("period") and (data.get("from") or data.get("to")):
            data["period"] = CUSTOM  # ?from=…&to=… alone, as the API reads them
        super().__init__(data)
        # the URL says from/to, as the API does (not Python names, hence renamed here)
        self.fields["from"] = self.fields.pop("date_from")
        self.fields["to"] = self.fields.pop("date_to")
        self.fields["channel"] = self.fields.pop("channel")  # keeps the fields' order
        self.today = today
        self.channels = {c.code: c for c in channels}
        self.fields["channel"].choices = [("", "All channels")] + [
            (c.code, c.name) for c in channels
        ]

    def clean(self):
        data = super().clean()
        if data.get("period") != CUSTOM:
            return data
        first, last = data.get("from"), data.get("to")
        if first is None or last is None:
            if "from" not in self.errors and "to" not in self.errors:
                raise forms.ValidationError("Give both days of the period: from and to.")
            return data
        for day in (first, last):
            if not FIRST_DAY <= day <= LAST_DAY:
                raise forms.ValidationError(f"Days go from {FIRST_DAY} to {LAST_DAY}.")
        if last < first:
            raise forms.ValidationError("The period ends before it starts.")
        if (last - first).days + 1 > MAX_DAYS:
            raise forms.ValidationError(f"A period is at most {MAX_DAYS} days.")
        return data


def period_of(period: str, today: date) -> tuple[date, date]:
    """The days of a named period ending today."""
    if period == TODAY:
        return today, today
    if period == LAST_7:
        return today - timedelta(days=6), today
    if period == THIS_MONTH:
        return today.replace(day=1), today
    return today - timedelta(days=29), today


def choice_resolve(params, *, scope: Scope, today: date) -> tuple[PickerForm, Choice, list[str]]:
    """The form (to draw), what to show, and what was wrong in the input (to say)."""
    channels = list(Channel.objects.order_by("name", "code"))
    if scope.channel_ids is not None:
        channels = [c for c in channels if c.id in scope.channel_ids]
    form = PickerForm(params, channels=channels, today=today)
    if form.is_valid():
        data, problems = form.cleaned_data, []
    else:
        data = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if k not in form.errors}
        problems = [_problem(form, name, errors) for name, errors in form.errors.items()]
    period = data.get("period") or LAST_30
    if period == CUSTOM and form.is_valid():
        date_from, date_to = data["from"], data["to"]
    else:
        period = LAST_30 if period == CUSTOM else period
        date_from, date_to = period_of(period, today)
    channel = form.channels.get(data.get("channel") or "")
    return form, Choice(period, date_from, date_to, channel), problems


def _problem(form: PickerForm, name: str, errors) -> str:
    label = form.fields[name].label if name in form.fields else "Period"
    text = " ".join(str(e) for e in errors)
    if name == "channel":
        text = "That channel is not one you can see."
    return f"{label}: {text}"

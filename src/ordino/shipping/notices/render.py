"""Rendering the merchant's e-mail templates (docs/shipping.md, "Customer e-mails"): two dedicated
Django template engines (no loaders, no extra libraries) whose unknown variables render as a
sentinel naming them — one without autoescape for the subject and the plain-text body, one with
it for the HTML body, so a customer's name such as `<script>` arrives as text. A template is
checked when it is saved — it compiles, it renders the sample, it names only the fixed
context's variables, an HTML one never turns escaping off — never at send time."""

from __future__ import annotations

import re

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Node, Variable
from django.template.defaulttags import AutoEscapeControlNode, ForNode, IfNode

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.notices import VARIABLES, sample_context

_SENTINEL = "\x00unknown:%s\x00"
_UNKNOWN = re.compile("\x00unknown:(.*?)\x00")
ENGINE = Engine(
    dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=False,
    string_if_invalid=_SENTINEL, debug=False,
)  # fmt: skip
HTML_ENGINE = Engine(
    dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=True,
    string_if_invalid=_SENTINEL, debug=False,
)  # fmt: skip
_UNESCAPING = {"safe", "safeseq"}  # nothing in the context is HTML: these only let markup in


def _refuse(field: str, message: str) -> DomainError:
    return DomainError("invalid_template", f"{field}: {message}", field=field)


def _expressions(node: Node):
    """The filter expressions a node evaluates: a variable's, a for's sequence, an if's
    conditions (with their operands), and the arguments of their filters."""
    if hasattr(node, "filter_expression"):
        yield node.filter_expression
    if isinstance(node, ForNode):
        yield node.sequence
    if isinstance(node, IfNode):
        stack = [c for c, _ in node.conditions_nodelists if c is not None]
        while stack:
            condition = stack.pop()
            if isinstance(getattr(condition, "value", None), FilterExpression):
                yield condition.value
            operands = (getattr(condition, "first", None), getattr(condition, "second", None))
            stack.extend(x for x in operands if x is not None)


def _names(nodelist, loop_names: set[str]):
    """(root name, known) of every variable the nodelist uses, a for's loop variables known
    inside it."""
    for node in nodelist:
        known = set(loop_names)
        if isinstance(node, ForNode):
            known |= set(node.loopvars) | {"forloop"}
        for expression in _expressions(node):
            variables = [expression.var] + [a for _, args in expression.filters for _, a in args]
            for var in variables:
                if isinstance(var, Variable) and var.lookups:
                    yield var.lookups[0], var.lookups[0] in known
        for attr in getattr(node, "child_nodelists", ()):
            yield from _names(getattr(node, attr, None) or [], known)


def _unescaping(nodelist):
    """What in an HTML template would let a variable's markup through unescaped."""
    for node in nodelist:
        if isinstance(node, AutoEscapeControlNode) and not node.setting:
            yield "{% autoescape off %}"
        for expression in _expressions(node):
            yield from (f"|{f.__name__}" for f, _ in expression.filters
                        if f.__name__ in _UNESCAPING)  # fmt: skip
        for attr in getattr(node, "child_nodelists", ()):
            yield from _unescaping(getattr(node, attr, None) or [])


def template_check(*, field: str, source: str, html: bool = False) -> None:
    """Refuse (422 `invalid_template`, naming the field) a template that does not compile,
    does not render the sample, or uses a variable outside the fixed context (named); an HTML
    one that turns escaping off too."""
    try:
        template = (HTML_ENGINE if html else ENGINE).from_string(source)
    except TemplateSyntaxError as exc:
        raise _refuse(field, f"does not compile: {exc}") from None
    for what in _unescaping(template.nodelist) if html else ():
        raise _refuse(field, f"{what} is refused: the customer's data is always escaped.")
    allowed = set(VARIABLES)
    for name, in_loop in _names(template.nodelist, set()):
        if name not in allowed and not in_loop:
            raise _refuse(field, f"unknown variable {name!r}: use one of {', '.join(VARIABLES)}.")
    try:
        shown = template.render(Context(sample_context("shipped"), autoescape=html))
    except Exception as exc:  # a filter refusing its input, a tag that cannot run here
        raise _refuse(field, f"does not render: {exc}") from None
    unknown = _UNKNOWN.search(shown)
    if unknown:
        raise _refuse(field, f"unknown variable {unknown.group(1)!r}.")


def template_render(source: str, context: dict, *, html: bool = False) -> str:
    """A checked template with its context (HTML: escaped); an unknown attribute renders
    blank."""
    template = (HTML_ENGINE if html else ENGINE).from_string(source)
    return _UNKNOWN.sub("", template.render(Context(context, autoescape=html)))

"""The cases' blocks on lower apps' pages (the company is already scoped by the page's view).

{% load cases_tags %}
{% case_list company %}                 the Ärenden tab's list (web's company/cases.html)
{% open_case_count company %}           the count beside the tab's name
{% case_inbox as inbox %}              the bell's case entries (portal's _bell.html)
{% difference_case company fiscal_year item %}  "Öppna ärende" on the tax-account page
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from ledgerport.tenancy.selectors import can

from .. import selectors
from ..differences import key_of
from ..forms import ReminderPolicyForm
from ..reminders import firm_cadence

register = template.Library()


def _user(context: Any) -> Any:
    # An inclusion tag's own template keeps the request on its context, not as a variable.
    request = getattr(context, "request", None) or context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@register.inclusion_tag("cases/_list.html", takes_context=True)
def case_list(context: Any, company: Any) -> dict[str, Any]:
    user = _user(context)
    if user is None:
        return {"company": company, "cases": []}
    manage = can(user, company, "manage")
    return {
        "company": company,
        "cases": selectors.case_list(user=user, company=company),
        "can_work": can(user, company, "work"),
        "can_manage": manage,
        "policy_form": ReminderPolicyForm(initial=firm_cadence(company.firm_id).__dict__) if manage else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def open_case_count(context: Any, company: Any) -> str:
    user = _user(context)
    count = selectors.open_count(user=user, company=company) if user is not None else 0
    return (
        format_html(' <span class="tab-count" data-testid="open-case-count">{}</span>', count)
        if count
        else ""
    )


@register.simple_tag(takes_context=True)
def case_inbox(context: Any) -> dict[str, Any]:
    """The bell's case part: {"unread": count, "latest": notifications}."""
    user = _user(context)
    unread, latest = selectors.inbox(user=user) if user is not None else (0, [])
    return {"unread": unread, "latest": latest}


@register.inclusion_tag("cases/_difference_case.html", takes_context=True)
def difference_case(context: Any, company: Any, fiscal_year: Any, item: Any) -> dict[str, Any]:
    key = key_of(item)
    user = _user(context)
    if key is None or user is None or not can(user, company, "work"):
        return {"key": None}
    return {
        "key": key,
        "company": company,
        "fiscal_year": fiscal_year,
        "case": selectors.open_case_for(company=company, subject_key=key),
        "csrf_token": context.get("csrf_token"),
    }

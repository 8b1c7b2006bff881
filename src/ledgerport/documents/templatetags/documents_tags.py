"""{% load documents_tags %}{% document_list company %}: the Dokument tab's list (company scoped by the page)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("documents/_document_list.html", takes_context=True)
def document_list(context: Any, company: Any) -> dict[str, Any]:
    from ledgerport.documents.views import list_context

    return list_context(context["request"], company)

"""The documents' blocks on other apps' pages (the company is already scoped by the page's view).

{% load documents_tags %}
{% document_list company %}              the Dokument tab's list
{% voucher_documents company voucher %}  a voucher's documents on its page (the ledger imports no documents)
"""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("documents/_document_list.html", takes_context=True)
def document_list(context: Any, company: Any) -> dict[str, Any]:
    from ledgerport.documents.views import list_context

    return list_context(context["request"], company)


@register.inclusion_tag("documents/_voucher_documents.html")
def voucher_documents(company: Any, voucher: Any) -> dict[str, Any]:
    from ledgerport.documents.selectors import documents_for_voucher

    return {"company": company, "documents": list(documents_for_voucher(voucher))}

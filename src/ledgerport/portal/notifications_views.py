"""The page of all the signed-in person's notifications (the bell lists the latest only) and
"mark all as read". The person's own notifications only: no company in the URL."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .notification_feed import FeedKey, feed_page, mark_all_read


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    page = feed_page(user=request.user, after=FeedKey.parse(request.GET.get("after")))
    return render(request, "portal/notifications.html", {"page": page})


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    marked = mark_all_read(user=request.user)
    if marked:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("portal:notifications")

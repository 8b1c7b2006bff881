"""The project's URLs plus one view that fails, for the 500 page test."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from ledgerport.urls import urlpatterns as project


@login_not_required
def boom(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("a bug")


urlpatterns = [*project, path("boom/", boom, name="boom")]

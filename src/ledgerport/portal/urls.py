from django.urls import URLPattern, URLResolver

from .archive_urls import urlpatterns as archive_urlpatterns

app_name = "portal"

# The portal's pages: the document archive, notifications, the company's users.
urlpatterns: list[URLPattern | URLResolver] = [
    # The document archive (h/archive).
    *archive_urlpatterns,
]

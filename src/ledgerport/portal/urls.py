from django.urls import URLPattern, URLResolver

app_name = "portal"

# The portal's pages: the document archive, notifications, the company's users.
urlpatterns: list[URLPattern | URLResolver] = []

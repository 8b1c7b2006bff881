"""The archive's routes; `portal/urls.py` includes them. A folder is addressed by its key."""

from __future__ import annotations

from django.urls import path, register_converter

from ledgerport.documents.archive_folders import FOLDER_KEY, Folder

from . import archive_views as views


class FolderConverter:
    regex = FOLDER_KEY

    def to_python(self, value: str) -> Folder:
        return Folder.parse(value)

    def to_url(self, value: Folder | str) -> str:
        return value.key if isinstance(value, Folder) else Folder.parse(value).key


register_converter(FolderConverter, "folder")

urlpatterns = [
    path("companies/<int:company_id>/archive/<folder:folder>/", views.archive_folder, name="archive_folder"),
    path(
        "companies/<int:company_id>/archive/<folder:folder>/upload/",
        views.archive_upload,
        name="archive_upload",
    ),
    path("companies/<int:company_id>/archive/<folder:folder>/zip/", views.archive_zip, name="archive_zip"),
    path(
        "companies/<int:company_id>/archive/files/<int:entry_id>/", views.archive_entry, name="archive_entry"
    ),
    path(
        "companies/<int:company_id>/archive/files/<int:entry_id>/content/",
        views.archive_content,
        name="archive_content",
    ),
]

"""The case forms: open a case, answer it, change its settings, the firm's default cadence."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ledgerport.documents.upload_checks import CheckedFile, UploadRefused, check_upload
from ledgerport.identity.models import User

from .services import CaseCadence

MAX_FILES = 20


def checked_files(uploads: list[Any]) -> list[CheckedFile]:
    """Each upload checked; `forms.ValidationError` naming the file that is refused."""
    if len(uploads) > MAX_FILES:
        raise forms.ValidationError(_("At most %(count)d files at a time.") % {"count": MAX_FILES})
    files = []
    for upload in uploads:
        try:
            files.append(check_upload(upload.name, upload.read()))
        except UploadRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
    return files


def _user_label(user: Any) -> str:
    return str(user.full_name or user.email)


class CadenceFields(forms.Form):
    remind_days_before = forms.IntegerField(
        label=_("Remind … days before the due date"), min_value=0, max_value=60, required=False
    )
    remind_every_days = forms.IntegerField(
        label=_("then every … days"), min_value=0, max_value=60, required=False
    )
    remind_max = forms.IntegerField(label=_("at most … reminders"), min_value=0, max_value=20, required=False)

    def cadence(self) -> CaseCadence:
        data = self.cleaned_data
        return CaseCadence(
            data.get("remind_days_before"), data.get("remind_every_days"), data.get("remind_max")
        )


class CaseSettingsForm(CadenceFields):
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    recipients = forms.ModelMultipleChoiceField(
        label=_("For (none chosen: all the company's users)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, client_users: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipients"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = User.objects.filter(pk__in=[u.pk for u in client_users]).order_by("email")
        field.label_from_instance = _user_label  # type: ignore[method-assign,assignment]


class CaseForm(CaseSettingsForm):
    field_order = ["title", "body", "due_date", "recipients"]
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}), required=False)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, uploads: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.uploads = uploads or []
        self.files_checked: list[CheckedFile] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            self.files_checked = checked_files(self.uploads)
        except forms.ValidationError as error:
            self.add_error(None, error)
            return data
        if not data.get("body", "").strip() and not self.files_checked:
            raise forms.ValidationError(_("Write a message or attach a file."))
        return data


class ReminderPolicyForm(forms.Form):
    days_before = forms.IntegerField(label=_("Days before the due date"), min_value=0, max_value=60)
    every_days = forms.IntegerField(label=_("then every … days"), min_value=0, max_value=60)
    max_count = forms.IntegerField(label=_("at most … reminders"), min_value=0, max_value=20)

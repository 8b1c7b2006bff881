"""What an uploaded file must pass before it is stored: size, type from its bytes, no script,
no zip bomb, a safe name. Nothing here stores anything; `check_upload` says yes or why not.

The type comes from the bytes (`filetype`), never from the name or the browser's claim, and
only an allow-list is accepted. Markup (HTML, SVG, XML) with script is refused; markup without
is kept as plain text, which is only ever downloaded.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Sniffed types we store and the ones a browser may show inline (the rest are downloads).
ALLOWED_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/heic",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
}
ZIP_BASED = {t for t in ALLOWED_TYPES if t == "application/zip" or "openxml" in t or "opendocument" in t}
TEXT = "text/plain"
_SCRIPT = re.compile(
    rb"<\s*script|javascript\s*:|<\s*(?:iframe|object|embed|foreignobject|handler)\b|\son[a-z]+\s*=|<\?xml-stylesheet",
    re.IGNORECASE,
)
_MARKUP = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<", re.IGNORECASE)
_UNSAFE_NAME = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')


class UploadRefused(Exception):
    """One file refused, with a message that names it."""


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    content: bytes


def safe_file_name(name: str) -> str:
    """The last path segment only, printable, no leading dots: `../../x` becomes `x`."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("", "".join(ch for ch in name if ch.isprintable())).strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[: 190 - len(extension)]}.{extension}" if dot and len(extension) <= 10 else name[:200]
    return name or "dokument"


def check_upload(name: str, content: bytes) -> CheckedFile:
    """The file as it will be stored, or `UploadRefused` naming it and saying why."""
    shown = safe_file_name(name)
    limit = settings.ARCHIVE_MAX_UPLOAD_BYTES
    if len(content) > limit:
        raise UploadRefused(
            _("%(name)s is larger than %(limit)s and was not uploaded.")
            % {"name": shown, "limit": filesizeformat(limit)}
        )
    if not content:
        raise UploadRefused(_("%(name)s is empty and was not uploaded.") % {"name": shown})
    kind = filetype.guess(content)
    content_type = kind.mime if kind is not None else _text_type(content)
    if content_type is None or (content_type not in ALLOWED_TYPES and content_type != TEXT):
        raise UploadRefused(
            _(
                "%(name)s is not a file type the archive takes. Upload PDF, images, office"
                " documents, text or zip files."
            )
            % {"name": shown}
        )
    if content_type == TEXT and _MARKUP.match(content[:1024]) and _SCRIPT.search(content):
        raise UploadRefused(_("%(name)s contains script and was not uploaded.") % {"name": shown})
    if content_type in ZIP_BASED:
        _check_zip(shown, content)
    return CheckedFile(shown, content_type, content)


def _text_type(content: bytes) -> str | None:
    """Plain text (SIE in CP437, CSV, XML …): no NUL byte and hardly any control characters in
    its first 64 kB, whatever the 8-bit encoding; else None (an unknown binary)."""
    head = content[:65536]
    if b"\x00" in head:
        return None
    controls = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\n\r\x0c\x1a")
    return TEXT if controls <= len(head) // 100 else None


def _check_zip(name: str, content: bytes) -> None:
    """Refuse a zip whose members claim, or turn out, to expand beyond the limit."""
    limit = settings.ARCHIVE_MAX_UNZIPPED_BYTES
    refused = UploadRefused(
        _("%(name)s unpacks to more than %(limit)s and was not uploaded.")
        % {"name": name, "limit": filesizeformat(limit)}
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if len(members) > 10_000 or sum(member.file_size for member in members) > limit:
                raise refused
            expanded = 0  # what they really unpack to: the declared sizes can lie
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(1 << 20):
                        expanded += len(chunk)
                        if expanded > limit:
                            raise refused
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError) as exc:
        raise UploadRefused(
            _("%(name)s is a damaged zip file and was not uploaded.") % {"name": name}
        ) from exc

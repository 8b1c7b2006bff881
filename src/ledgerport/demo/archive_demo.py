"""The demo company's archive: a payslip under Löner › 08. Augusti and a balance and income
report under Rapporter, this year, filed by the firm (so the client sees yellow dots)."""

from __future__ import annotations

from django.utils import timezone

from ledgerport.documents.archive import archive_file
from ledgerport.documents.archive_folders import Area, Folder
from ledgerport.documents.models import ArchiveEntry
from ledgerport.documents.upload_checks import check_upload
from ledgerport.identity.models import User
from ledgerport.tenancy.models import Company


def simple_pdf(*lines: str) -> bytes:
    """A valid one-page PDF with a few lines of Latin-1 text (enough for the demo's preview)."""
    text = (
        b"BT /F1 16 Tf 72 760 Td 22 TL "
        + b" ".join(
            b"(%s) '" % line.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)") for line in lines
        )
        + b" ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def seed_archive(*, company: Company, uploader: User, year: int | None = None) -> None:
    """Idempotent: a company that has archive documents gets none added."""
    if ArchiveEntry.objects.filter(company=company).exists():
        return
    year = year or timezone.localdate().year
    payslip = simple_pdf(
        f"Lönebesked augusti {year}", company.name, "Tolvan Tolvansson", "Utbetalt: 32 400,00 kr"
    )
    report = simple_pdf(
        f"Balans- och resultatrapport jan-mar {year}", company.name, "Resultat: 184 250,00 kr"
    )
    for folder, name, content in (
        (Folder(year, Area.PAYROLL, 8), f"Lönebesked {year}-08 Tolvan Tolvansson.pdf", payslip),
        (Folder(year, Area.REPORTS, 3), f"Balans- och resultatrapport {year}-03.pdf", report),
    ):
        archive_file(
            company=company,
            user=uploader,
            folder=folder,
            files=[check_upload(name, content)],
            by_client=False,
        )

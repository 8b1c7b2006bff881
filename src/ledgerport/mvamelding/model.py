"""The plain values the library builds from and parses into (no XML, no Django)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Line:
    """One mvaSpesifikasjonslinje. Amounts are whole kroner (R082); `rate` is the code list's
    text ("25", "11,11"); `base`/`rate` are None on a deduction line (input VAT)."""

    code: str  # mvaKode: the SAF-T StandardTaxCode
    vat: Decimal  # merverdiavgift: positive = to pay, negative = deduction
    base: Decimal | None = None  # grunnlag
    rate: str | None = None  # sats
    own_code: str = ""  # mvaKodeRegnskapsystem: the firm's own code
    specification: str = ""  # spesifikasjon (uttak, tapPåKrav, …)
    remark: str = ""  # merknad/beskrivelse


@dataclass(frozen=True)
class Melding:
    """A VAT return (mvaMeldingDto) for one term."""

    orgnr: str
    year: int
    period: tuple[str, str]  # (element, value), e.g. ("skattleggingsperiodeToMaaneder", "mars-april")
    lines: tuple[Line, ...]
    reference: str  # regnskapssystemsreferanse: unique per submission in our system
    system_name: str = "Ledgerport"
    system_version: str = "1"
    category: str = "alminnelig"  # meldingskategori
    kid: str = ""  # betalingsinformasjon/kundeIdentifikasjonsnummer (refunds)
    remark: str = ""

    @property
    def total(self) -> Decimal:
        """fastsattMerverdiavgift: Σ merverdiavgift (positive = to pay)."""
        return sum((line.vat for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class Envelope:
    """The submission envelope (mvaMeldingInnsending, "konvolutt")."""

    orgnr: str
    year: int
    period: tuple[str, str]
    created_by: str
    created_at: dt.datetime  # aware
    category: str = "alminnelig"
    complete: bool = True  # innsendingstype komplett / ikke komplett
    melding_file: str = "mvamelding.xml"


@dataclass(frozen=True)
class Problem:
    """One finding: the line in the XML, the element's path and the reason (Norwegian where it
    is our rule, libxml2's words where the XSD speaks). `rule` names the rule (R082, xsd, …)."""

    line: int
    path: str
    reason: str
    rule: str = ""

    def __str__(self) -> str:
        return f"line {self.line}: {self.path}: {self.reason}"


@dataclass(frozen=True)
class Deviation:
    """One avvik of the authority's validation result."""

    path: str  # stiTilAvvik
    code: str  # mvaKode, "" when none
    line: int | None  # xmlLinjenummer
    reasons: tuple[tuple[str, str, str], ...]  # (avvikKode, avvikstype, begrunnelse)


@dataclass(frozen=True)
class ValidationResult:
    """valideringsresultat: the overall verdict and the deviations."""

    status: str  # avvikVedMeldingslevering: "ingen avvik", "avvikende skattemelding", …
    deviations: tuple[Deviation, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """No deviation that stops the return ("ingen avvik", or only remarks)."""
        return self.status in ("ingen avvik", "avvikende skattemelding")


@dataclass(frozen=True)
class PaymentInfo:
    """betalingsinformasjon: what to pay (or get back), by when, to which account."""

    reference: str  # innsendingsreferanse
    orgnr: str
    kid: str
    amount: Decimal
    due_date: dt.date
    account: str  # norskKontonummer
    pay_to: str = ""
    iban: str = ""
    bic: str = ""
    information: str = ""

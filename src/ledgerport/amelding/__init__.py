"""The a-melding (Norway's monthly employer return) as a pure library: no Django.

`model` (the month's summary), `csvfile` (the documented CSV layout, docs/a-melding-csv.md),
`checks` (what the authority refuses), `sums` (sumForskuddstrekk, sumArbeidsgiveravgift),
`leveranse` (the v2.3 JSON the API takes, and reading one back), `xml` (the v2.2 XML against
the XSD at hand), `jsonio` (JSON with exact amounts).
"""

from .checks import check
from .csvfile import read_csv, write_csv
from .leveranse import build_leveranse, read_leveranse
from .model import Contribution, Employee, Employment, Income, MonthSummary, Payment, Unit, Withholding
from .problems import AmeldingError, Problem
from .xml import build_xml

__all__ = [
    "AmeldingError",
    "Contribution",
    "Employee",
    "Employment",
    "Income",
    "MonthSummary",
    "Payment",
    "Problem",
    "Unit",
    "Withholding",
    "build_leveranse",
    "build_xml",
    "check",
    "read_csv",
    "read_leveranse",
    "write_csv",
]

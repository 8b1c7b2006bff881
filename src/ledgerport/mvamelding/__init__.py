"""The Norwegian VAT return (mva-melding) as files: build the melding and its envelope from
plain values, validate them (Skatteetaten's XSDs and the rules we can check locally), read the
authority's feedback. lxml only, no Django."""

from .build import build_envelope, build_melding
from .codes import NOT_REPORTED, Code, code_list, rate_text, rate_value
from .feedback import FeedbackInvalid, parse_payment_info, parse_validation_result
from .model import Deviation, Envelope, Line, Melding, PaymentInfo, Problem, ValidationResult
from .read import read_melding
from .terms import ANNUAL, Term, term_of_period, terms_of_year
from .validate import validate

__all__ = [
    "ANNUAL",
    "NOT_REPORTED",
    "Code",
    "Deviation",
    "Envelope",
    "FeedbackInvalid",
    "Line",
    "Melding",
    "PaymentInfo",
    "Problem",
    "Term",
    "ValidationResult",
    "build_envelope",
    "build_melding",
    "code_list",
    "parse_payment_info",
    "parse_validation_result",
    "rate_text",
    "rate_value",
    "read_melding",
    "term_of_period",
    "terms_of_year",
    "validate",
]

"""Which SAF-T schema a file follows, and validating it against that XSD in one streaming pass.

Skatteetaten reads `Header/AuditFileVersion` and validates against the matching schema: "1.30"
against the 1.30 XSD, the earlier versions ("1.0", "1.10", "1.20") against the 1.20 XSD. A file
that fails its declared version's schema but follows the other one is accepted with a warning
(programs have written 1.30 content under "1.20" and the reverse).

libxml2 reports no line for an error found while streaming; a failing file up to
EXACT_LINES_UP_TO bytes is validated again as a tree to name the exact line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any, Union

from lxml import etree

from .errors import SaftError

NS = "urn:StandardAuditFile-Taxation-Financial:NO"
XSD_DIR = Path(__file__).with_name("xsd")
SCHEMA_FILES = {"1.20": "saft-financial-1.20.xsd", "1.30": "saft-financial-1.30.xsd"}
EXACT_LINES_UP_TO = 64 << 20

Source = Union[str, "os.PathLike[str]", IO[bytes]]


@dataclass(slots=True)
class Checked:
    """What validation found: the schema used and the file's first and last transaction date."""

    declared: str  # AuditFileVersion as written
    schema: str  # "1.20" or "1.30"
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    warnings: list[tuple[int, str, str, str, dict[str, str]]] = field(default_factory=list)


@cache
def load_schema(version: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / SCHEMA_FILES[version])))


def schema_for(declared: str) -> str | None:
    """The schema a declared AuditFileVersion is validated against; None: not a version we know."""
    match = re.fullmatch(r"\s*1\.(\d{1,2})(?:\.\d+)?\s*", declared)
    if match is None:
        return None
    minor = int(match.group(1).ljust(2, "0"))  # "1.3" is 1.30
    return "1.30" if minor >= 30 else "1.20"


def _rewind(source: Source) -> None:
    if hasattr(source, "seek"):
        source.seek(0)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _syntax(exc: etree.XMLSyntaxError) -> SaftError:
    line = exc.lineno or 0
    return SaftError(
        "not-xml",
        line,
        "",
        f"the file is not well-formed XML ({exc.msg})",
        {"detail": str(exc.msg)},
    )


def sniff(source: Source) -> tuple[str, int]:
    """The declared AuditFileVersion and its line; refuses what is not a SAF-T Financial file."""
    _rewind(source)
    parser = etree.iterparse(source, events=("start", "end"), resolve_entities=False, no_network=True)
    root_seen = False
    try:
        for event, element in parser:
            if not root_seen:
                root_seen = True
                qname = etree.QName(element.tag)
                if qname.localname != "AuditFile" or qname.namespace != NS:
                    found = qname.namespace or ""
                    where = f"the namespace '{found}'" if found else "no namespace"
                    if qname.localname == "AuditFile":
                        raise SaftError(
                            "namespace",
                            element.sourceline or 0,
                            "AuditFile",
                            f"the root element AuditFile is in {where}, not in SAF-T Financial's '{NS}'",
                            {"found": found or "-", "expected": NS},
                        )
                    raise SaftError(
                        "not-saft",
                        element.sourceline or 0,
                        qname.localname,
                        f"the root element is {qname.localname}, not a SAF-T Financial AuditFile",
                        {"found": qname.localname},
                    )
            if event == "end" and element.tag == f"{{{NS}}}AuditFileVersion":
                return (element.text or "").strip(), element.sourceline or 0
            if event == "end" and element.tag == f"{{{NS}}}Header":
                break
    except etree.XMLSyntaxError as exc:
        raise _syntax(exc) from exc
    if not root_seen:
        raise SaftError("not-xml", 0, "", "the file is empty", {"detail": "empty"})
    raise SaftError(
        "missing",
        0,
        "AuditFileVersion",
        "the header has no AuditFileVersion",
        {"element": "Header/AuditFileVersion"},
    )


def _exact_line(source: Source, version: str) -> tuple[int, str] | None:
    """The first schema error with its line, from a tree (small files only)."""
    size = _size(source)
    if size is None or size > EXACT_LINES_UP_TO:
        return None
    _rewind(source)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    tree = etree.parse(source, parser)
    schema = load_schema(version)
    if schema.validate(tree):
        return None
    log: Any = schema.error_log  # the stubs know no indexing
    error = log[0]
    return error.line, error.message


def _size(source: Source) -> int | None:
    if hasattr(source, "seek") and hasattr(source, "tell"):
        source.seek(0, os.SEEK_END)
        size = int(source.tell())
        source.seek(0)
        return size
    try:
        return os.stat(source).st_size
    except (OSError, TypeError):
        return None


_NS_BRACES = re.compile(r"\{" + re.escape(NS) + r"\}")


def _readable(message: str) -> str:
    return _NS_BRACES.sub("", message).strip()


def _stream_validate(source: Source, version: str, checked: Checked) -> str | None:
    """One streaming pass with the schema; the libxml2 message of the first error, or None."""
    _rewind(source)
    tags = (
        f"{{{NS}}}Transaction",
        f"{{{NS}}}TransactionDate",
        f"{{{NS}}}Account",
        f"{{{NS}}}Customer",
        f"{{{NS}}}Supplier",
    )
    parser = etree.iterparse(
        source,
        events=("end",),
        tag=tags,
        schema=load_schema(version),
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
    )
    first = last = None
    try:
        for _event, element in parser:
            if element.tag == tags[1]:
                try:
                    day = dt.date.fromisoformat((element.text or "").strip())
                except ValueError:
                    continue  # the schema reports it
                if first is None or day < first:
                    first = day
                if last is None or day > last:
                    last = day
                continue
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        if exc.lineno:  # the parser's own error (not well-formed), which has a line
            raise _syntax(exc) from exc
        return str(exc.msg)
    checked.first_date, checked.last_date = first, last
    return None


def check(source: Source) -> Checked:
    """Validate the file against the schema of its AuditFileVersion. Raises SaftError."""
    declared, line = sniff(source)
    version = schema_for(declared)
    if version is None:
        raise SaftError(
            "version",
            line,
            "AuditFileVersion",
            f"the AuditFileVersion '{declared}' is not a SAF-T Financial version (1.10, 1.20 or 1.30)",
            {"version": declared},
        )
    checked = Checked(declared=declared, schema=version)
    failure = _stream_validate(source, version, checked)
    if failure is None:
        return checked
    other = "1.20" if version == "1.30" else "1.30"
    if _stream_validate(source, other, checked) is None:
        checked.schema = other
        checked.warnings.append(
            (
                line,
                "AuditFileVersion",
                "schema-other",
                f"the file says version {declared} but follows the {other} schema",
                {"declared": declared, "schema": other},
            )
        )
        return checked
    exact = _exact_line(source, version)
    if exact is not None:
        error_line, message = exact
    else:
        error_line, message = 0, failure
    message = _readable(message)
    element_match = re.match(r"Element '([^']+)'", message)
    element = element_match.group(1) if element_match else ""
    raise SaftError(
        "schema",
        error_line,
        element,
        f"the file does not follow the SAF-T {version} schema: {message}",
        {"version": version, "detail": message},
    )

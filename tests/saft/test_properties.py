"""Properties of the SAF-T reader: amounts round-trip exactly as Decimal, the file's totals are the
lines' totals, balances add up, and no input makes it fail other than with SaftError."""

from __future__ import annotations

import io
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerport import saft

NS = "urn:StandardAuditFile-Taxation-Financial:NO"

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999.99"), places=2)
accounts = st.sampled_from(["1500", "1920", "2400", "2700", "3000", "4000", "6300", "8050"])


@st.composite
def transactions(draw):
    """A balanced transaction: debit lines and one credit line (or the reverse)."""
    debits = draw(st.lists(st.tuples(accounts, amounts), min_size=1, max_size=4))
    total = sum(amount for _account, amount in debits)
    credit_account = draw(accounts)
    flip = draw(st.booleans())
    lines = [(account, amount if not flip else -amount) for account, amount in debits]
    lines.append((credit_account, -total if not flip else total))
    return lines


def _xml(entries: list[list[tuple[str, Decimal]]], openings: dict[str, Decimal]) -> bytes:
    debit = sum((a for lines in entries for _acc, a in lines if a > 0), Decimal(0))
    out = [
        f'<AuditFile xmlns="{NS}"><Header><AuditFileVersion>1.20</AuditFileVersion>',
        "<Company><RegistrationNumber>923609016</RegistrationNumber><Name>Æøå &amp; Co AS</Name></Company>",
        "<SelectionCriteria><SelectionStartDate>2024-01-01</SelectionStartDate>"
        "<SelectionEndDate>2024-12-31</SelectionEndDate></SelectionCriteria></Header>",
        "<MasterFiles><GeneralLedgerAccounts>",
    ]
    for number, opening in openings.items():
        side = "Debit" if opening >= 0 else "Credit"
        out.append(
            f"<Account><AccountID>{number}</AccountID><Opening{side}Balance>{abs(opening)}</Opening{side}Balance></Account>"
        )
    out.append("</GeneralLedgerAccounts></MasterFiles>")
    out.append(
        f"<GeneralLedgerEntries><NumberOfEntries>{len(entries)}</NumberOfEntries>"
        f"<TotalDebit>{debit}</TotalDebit><TotalCredit>{debit}</TotalCredit><Journal><JournalID>GL</JournalID>"
    )
    for index, lines in enumerate(entries):
        out.append(
            f"<Transaction><TransactionID>{index}</TransactionID><TransactionDate>2024-03-01</TransactionDate>"
        )
        for number, amount in lines:
            side = "DebitAmount" if amount >= 0 else "CreditAmount"
            out.append(
                f"<Line><AccountID>{number}</AccountID><{side}><Amount>{abs(amount)}</Amount></{side}></Line>"
            )
        out.append("</Transaction>")
    out.append("</Journal></GeneralLedgerEntries></AuditFile>")
    return "".join(out).encode()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(transactions(), min_size=0, max_size=12),
    st.dictionaries(accounts, st.decimals(min_value=-(10**9), max_value=10**9, places=2), max_size=4),
)
def test_amounts_totals_and_balances_round_trip(entries, openings):
    reader = saft.SaftReader(io.BytesIO(_xml(entries, openings)))
    read = reader.read_all()
    assert [[(ln.account, ln.amount) for ln in t.lines] for t in read] == entries
    assert reader.debit == reader.credit == reader.totals.debit
    assert reader.header.name == "Æøå & Co AS"
    for number, opening, closing in reader.balances():
        movement = sum((a for lines in entries for acc, a in lines if acc == number), Decimal(0))
        assert opening == openings.get(number, Decimal(0))
        assert closing == opening + movement


@settings(max_examples=60, deadline=None)
@given(st.lists(transactions(), min_size=1, max_size=5), st.data())
def test_a_changed_amount_is_always_caught(entries, data):
    """Any one line changed by a cent: the transaction no longer balances, at its line."""
    index = data.draw(st.integers(0, len(entries) - 1))
    changed = [list(lines) for lines in entries]
    account, amount = changed[index][0]
    changed[index][0] = (account, amount + (Decimal("0.01") if amount > 0 else Decimal("-0.01")))
    reader = saft.SaftReader(io.BytesIO(_xml(changed, {})), strict=False)
    reader.read_all()
    assert "unbalanced" in [p.code for p in reader.errors]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_fail_only_with_saft_error(data):
    for attempt in (saft.check, lambda s: saft.SaftReader(s).read_all()):
        try:
            attempt(io.BytesIO(data))
        except saft.SaftError as exc:
            assert exc.code


@given(st.integers(0, 99))
def test_every_1x_version_has_a_schema(minor):
    assert saft.schema_for(f"1.{minor}") in ("1.20", "1.30")
    assert saft.schema_for(f"1.{minor:02d}") == ("1.30" if minor >= 30 else "1.20")

"""The synthetic persons of the sandbox's ID-porten and their Altinn roles for the Norwegian demo
company (Fjordlys Rådgivning AS, 923609016). Skatteetaten's synthetic test persons (Tenor) have
the birth month raised by 80; the check digits are real.

Roles as the mva-melding app treats them (research §5.4): a signing role (Regnskapsfører med
signeringsrett, say) may complete the submission; a filling role (Regnskapsmedarbeider) may fill
it in but gets 403 at "confirm"; anyone else gets 403 at once.
"""

from __future__ import annotations

from dataclasses import dataclass

SIGN = "sign"
FILL = "fill"


@dataclass(frozen=True)
class Person:
    pid: str
    name: str
    roles: dict[str, str]  # orgnr -> SIGN | FILL
    role_text: str


PERSONS = (
    Person("15838510075", "Kari Fjellheim", {"923609016": SIGN}, "Regnskapsfører med signeringsrett"),
    Person("02899010070", "Ola Brekke", {"923609016": FILL}, "Regnskapsmedarbeider"),
    Person("27917410033", "Sigrid Dahl", {}, "Ingen roller for Fjordlys Rådgivning AS"),
)


def person_roles(pid: str) -> dict[str, str]:
    found = next((p for p in PERSONS if p.pid == pid), None)
    return found.roles if found is not None else {}


def _check(digits: list[int], weights: tuple[int, ...]) -> int:
    rest = 11 - sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    return 0 if rest == 11 else rest


def person_number_valid(pid: str) -> bool:
    """Fødselsnummer or D-nummer: 11 digits, both mod-11 check digits, a real date (D-nummer day
    + 40, synthetic month + 80 accepted)."""
    if len(pid) != 11 or not pid.isdigit():
        return False
    digits = [int(c) for c in pid]
    if _check(digits, (3, 7, 6, 1, 8, 9, 4, 5, 2)) != digits[9]:
        return False
    if _check(digits, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)) != digits[10]:
        return False
    day, month = int(pid[:2]), int(pid[2:4])
    day = day - 40 if day > 40 else day
    month = month - 80 if month > 80 else month
    return 1 <= day <= 31 and 1 <= month <= 12

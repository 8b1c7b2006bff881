"""BankID test persons the sandbox's test app can identify as (valid personnummer, Luhn-checked
in tests). Tolvan Tolvansson is BankID's own well-known test person; the product's demo seeds
him as a user. The others have no account in the demo: logging in as them shows the product's
"no account" message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    personal_number: str  # 12 digits, YYYYMMDDNNNN
    given_name: str
    surname: str

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.surname}"


PERSONS = (
    Person("191212121212", "Tolvan", "Tolvansson"),
    Person("198501012382", "Agda", "Testsson"),
    Person("199002146422", "Sven", "Provare"),
    Person("197607303117", "Elin", "Exempel"),
)


def person_by_number(number: str) -> Person | None:
    return next((p for p in PERSONS if p.personal_number == number), None)

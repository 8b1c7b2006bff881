"""The ledger's fixtures (sample SIE files, a company whose orgnr matches, media in tmp) serve here too."""

from tests.ledger.conftest import _media, imported, visma_company  # noqa: F401

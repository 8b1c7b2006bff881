"""Altinn (Norway): connection settings per company, the data-system test login (Altinn 2) and
the system user through Maskinporten (Altinn 3). `client.py` is pure; the rest is Django."""

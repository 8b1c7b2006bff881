"""Signals of the analysis app for the apps above it (analysis imports none of them)."""

from django.dispatch import Signal

# Sent after `services.tax_check_summaries_refresh` recomputed a company's tax checks, with
# `company` and `analyses` (the `TaxAccountAnalysis` of each fiscal year it covered). Cases
# closes the cases of differences no longer found.
tax_checks_computed = Signal()

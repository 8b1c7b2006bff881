"""Employer returns: a Norwegian company's monthly a-melding, from its payroll summary to the
authority's feedback (the message itself is the pure `ledgerport.amelding`)."""

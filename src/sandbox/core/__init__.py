"""Provider-neutral building blocks: clock, demo ledger, files, OAuth store, SIE writer."""

"""What the session remembers for the UI shell."""

# The client company a person who belongs to several last switched to (portal's switcher).
CURRENT_COMPANY_KEY = "current_company"

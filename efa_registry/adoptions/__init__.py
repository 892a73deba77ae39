"""Adoptions (Nachnutzung): who reuses which solution, and where each reuse stands."""

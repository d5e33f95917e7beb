"""Cadre work (DOMAIN §6): posts, movements, planning, local and non-local
district secretaries, and the discipline and rating bars."""

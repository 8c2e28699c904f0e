"""Writes to the books: keyword-only, typed, atomic and audited."""

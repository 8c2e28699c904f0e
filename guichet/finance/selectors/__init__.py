"""Reads of the books: each says what it loads, and none writes."""

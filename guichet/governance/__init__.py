"""Governance: proposals, decisions by consent or vote, colleges, the public decision log.

So far only the rules (domain/); the models, pages and API come next (issue #6)."""

"""Governance's pages, for the browser quality suite (see core/registries/pages.py): the
associates' pages in pages_proposals.py, the public log in pages_log.py."""

from guichet.governance import pages_log, pages_proposals  # noqa: F401 - they register

"""Upstream contributions as pure rules: the embargo, the address and its duplicates."""

from __future__ import annotations

from datetime import date

import pytest

from guichet.missions.domain.contributions import is_public, url_key, url_refusal

TODAY = date(2026, 5, 14)


def test_a_contribution_without_embargo_is_public() -> None:
    assert is_public(embargo_until=None, today=TODAY)


def test_an_embargoed_contribution_is_public_from_its_date_on() -> None:
    assert not is_public(embargo_until=date(2026, 5, 15), today=TODAY)
    assert is_public(embargo_until=TODAY, today=TODAY)
    assert is_public(embargo_until=date(2026, 1, 1), today=TODAY)


@pytest.mark.parametrize(
    "url",
    ["https://gitlab.com/glpi/glpi/-/merge_requests/12", "http://forge.example.org/p/1"],
)
def test_http_and_https_addresses_are_accepted(url: str) -> None:
    assert url_refusal(url) is None


@pytest.mark.parametrize(
    "url", ["ftp://example.org/patch", "javascript:alert(1)", "https://", "https:///path", "x"]
)
def test_other_addresses_are_refused(url: str) -> None:
    assert url_refusal(url) == "url_not_http"


def test_the_same_address_written_differently_is_one_duplicate_key() -> None:
    key = url_key("https://github.com/nextcloud/server/pull/42")
    assert url_key("HTTPS://GitHub.com/nextcloud/server/pull/42/") == key
    assert url_key("https://github.com/nextcloud/server/pull/42#discussion") == key
    assert url_key("  https://github.com/nextcloud/server/pull/42  ") == key


def test_the_path_keeps_its_case_and_different_paths_differ() -> None:
    assert url_key("https://example.org/Foo") != url_key("https://example.org/foo")
    assert url_key("https://example.org/pull/1") != url_key("https://example.org/pull/2")

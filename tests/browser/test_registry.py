"""Every registered page builds its path from the demo data, and the path is the page's own.

No browser needed, so this runs where Chromium is missing too.
"""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve
from django.utils import translation

from guichet.core.demo_data import load_all
from guichet.core.registries.pages import registry


@pytest.mark.django_db
def test_every_page_path_resolves_to_the_page() -> None:
    load_all()
    wrong = []
    with translation.override("fr"):
        for page in registry.pages.values():
            path = page.path().split("?")[0]
            try:
                name = resolve(path).view_name
            except Resolver404:
                wrong.append(f"{page.key}: {path} matches no URL pattern")
                continue
            if page.url_names and name not in page.url_names:
                wrong.append(f"{page.key}: {path} is {name}, not one of {page.url_names}")
    assert not wrong, "\n".join(wrong)

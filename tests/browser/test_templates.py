"""The site's templates override those of the libraries it draws pages with (no browser needed).

allauth's account pages and django-ninja's API documentation are drawn in the site's layout by
templates of guichet.web with the same names as the libraries' own. Django takes the first
template it finds, following INSTALLED_APPS: guichet.web must come before allauth and ninja,
or every account page loses the site's header, styles, skip link and main landmark.
"""

from pathlib import Path

import pytest
from django.template.loader import get_template

import guichet.web

WEB_TEMPLATES = Path(guichet.web.__file__).parent / "templates"
OVERRIDES = sorted(
    str(path.relative_to(WEB_TEMPLATES))
    for folder in ("allauth", "ninja")
    for path in (WEB_TEMPLATES / folder).rglob("*.html")
)


@pytest.mark.parametrize("name", OVERRIDES)
def test_the_site_template_wins(name: str) -> None:
    origin = Path(get_template(name).origin.name)
    assert origin.is_relative_to(WEB_TEMPLATES), (
        f"{name} is taken from {origin}, not from guichet/web/templates: put 'guichet.web' "
        "before 'allauth' and 'ninja' in INSTALLED_APPS (config/settings/base.py)."
    )

"""Every page of the registry, for each of its viewers, in French and in English.

Each page is loaded twice (in reused tabs, or fresh ones for a page that needs set-up):

1. JavaScript off — the page must work without it: it answers 200 (400 for a registered form
   error state, showing its errors), it is the page asked for
   (not a redirect to the sign-in), its <html lang> is the language, it has one main
   landmark, no two elements share an id (closed <details> included, which axe skips), it
   calls no third-party host, and it meets the weight budgets;
2. JavaScript on — what most people get: the same budgets and third-party rule (scripts may
   fetch more), then axe-core finds no WCAG 2.0/2.1 A or AA violation, in the light colour
   scheme and (contrast only) in the dark one.

Both loads must meet the budgets; the figures of the second one (the heavier when scripts
load more) are printed in the table at the end of the run.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation

from guichet.core.registries.pages import Page, registry

from .conftest import LANGUAGES, ContextFactory, Site, Tabs, without_cache
from .figures import PROPERTY
from .measure import Figures, Recorder, describe_violations, duplicate_ids, run_axe

# Colours that change with the scheme may be animated (the admin's links): let them settle.
FINISH_TRANSITIONS = """() => Promise.all(document.getAnimations()
    .filter(animation => animation instanceof CSSTransition)
    .map(animation => animation.finished.catch(() => null)))"""

CASES = [
    (page.key, viewer, lang)
    for page in registry.pages.values()
    for viewer in page.viewers
    for lang in LANGUAGES
]


def page_path(page: Page, lang: str) -> str:
    """The page's path in `lang`; skips the English run of a page with one URL for both."""
    with translation.override("fr"):
        path = page.path()
        if lang == "fr":
            return path
        translated = translate_url(path, lang)
    if translated == path:
        pytest.skip(f"{page.key} has one URL for every language: tested in French only.")
    return translated


def url_name_of(path: str, lang: str) -> str:
    with translation.override(lang):
        try:
            return resolve(urlsplit(path).path).view_name
        except Resolver404:
            return "no URL pattern"


def visit(tab: Any, page: Page, path: str, site: Site) -> tuple[Any, Figures]:
    """Load the page in `tab` and measure it: the response, and the page's figures."""
    if page.prepare is not None:
        page.prepare(tab)
    recorder = Recorder(tab, site.url)
    try:
        response = tab.goto(path, wait_until="load")
        if tab.locator("script[src]").count():
            tab.wait_for_load_state("networkidle")
        return response, recorder.figures()
    finally:
        recorder.stop()


def check_page(
    tab: Any, response: Any, page: Page, path: str, lang: str, figures: Figures, label: str
) -> list[str]:
    problems = []
    status = response.status if response else None
    # A registered error state (a form sent with mistakes) may answer 400 with the errors.
    shows_form_errors = tab.locator("[aria-invalid=true], [role=alert]").count() > 0
    if status != 200 and not (status == 400 and shows_form_errors):
        problems.append(f"{label}: status {status}, expected 200 (or 400 with form errors)")
    final_path = urlsplit(tab.url).path
    name = url_name_of(final_path, lang)
    expected = {url_name_of(path, lang), *page.url_names}
    if name not in expected:
        problems.append(f"{label}: ended on {final_path} ({name}), not on {sorted(expected)}")
    html_lang = tab.locator("html").get_attribute("lang")
    if html_lang != lang:
        problems.append(f"{label}: <html lang={html_lang!r}>, expected {lang!r}")
    mains = tab.get_by_role("main").count()
    if mains != 1:
        problems.append(f"{label}: {mains} main landmarks, expected 1")
    if repeated := duplicate_ids(tab):
        problems.append(f"{label}: ids used more than once: {', '.join(repeated)}")
    if figures.third_party:
        problems.append(f"{label}: requests to third-party hosts: {figures.third_party}")
    if not page.weight_exempt:
        problems += [f"{label}: over budget: {over}" for over in figures.over_budget()]
    return problems


@pytest.mark.browser
@pytest.mark.parametrize(("key", "viewer", "lang"), CASES, ids=["-".join(c) for c in CASES])
def test_page(
    key: str,
    viewer: str,
    lang: str,
    site: Site,
    tabs: Tabs,
    new_context: ContextFactory,
    axe_source: str,
    record_property: Any,
) -> None:
    page = registry.pages[key]
    path = page_path(page, lang)
    problems: list[str] = []

    def tab_for(javascript: bool) -> Any:
        # A page that needs set-up (a pending sign-in) gets a fresh context of its own.
        if page.prepare is not None:
            return without_cache(new_context(viewer, lang, javascript=javascript).new_page())
        return tabs.get(viewer, lang, javascript)

    # 1. Without JavaScript.
    tab = tab_for(javascript=False)
    response, figures = visit(tab, page, path, site)
    problems += check_page(tab, response, page, path, lang, figures, "without JavaScript")

    # 2. With JavaScript, and axe.
    tab = tab_for(javascript=True)
    response, figures = visit(tab, page, path, site)
    problems += check_page(tab, response, page, path, lang, figures, "with JavaScript")
    problems += describe_violations(run_axe(tab, axe_source))
    tab.emulate_media(color_scheme="dark")
    tab.evaluate(FINISH_TRANSITIONS)
    problems += describe_violations(run_axe(tab, axe_source, ["color-contrast"]), " [dark]")

    index = figures.ecoindex
    record_property(
        PROPERTY,
        {
            "key": key,
            "viewer": viewer,
            "lang": lang,
            "dom": figures.dom,
            "requests": figures.requests,
            "kb": figures.kb,
            "score": index.score,
            "grade": index.grade,
            "weight_exempt": page.weight_exempt,
            "within_budgets": not figures.over_budget(),
        },
    )
    print(
        f"{key} {viewer} {lang}: {figures.dom} elements, {figures.requests} requests, "
        f"{figures.kb:.1f} KB, EcoIndex {index.score} ({index.grade})"
    )
    assert not problems, f"{key} as {viewer} in {lang} ({path}):\n" + "\n".join(problems)

"""Proposal texts in Markdown, rendered safely: raw HTML is escaped, never passed through;
links keep to http(s), mailto and the site's own addresses; images are off, since a remote
image would let a third party see who reads the proposal."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

SAFE_LINKS = ("http://", "https://", "mailto:", "#", "/")


class _Renderer(MarkdownIt):
    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it's name
        return url.strip().lower().startswith(SAFE_LINKS)


_renderer = _Renderer("commonmark", {"html": False, "linkify": False, "typographer": False})
_renderer.disable(["image", "html_inline", "html_block"])


def render(text: str) -> SafeString:
    """The text as HTML fit to include in a page."""
    html: str = _renderer.render(text or "")
    return mark_safe(html)  # noqa: S308 - raw HTML is off: the content is escaped
